/**
 * A dev server in its own process, for tests of what two processes do to one ledger file:
 * `deno run -A tests/serve/dev-server-proc.ts <lab.ts> <ledger.json>` prints its URL, then serves
 * until its stdin closes.
 */
import { startDevServer } from "../../serve/server.ts";
import { stopBundler } from "../../serve/bundle.ts";

const [lab, ledgerPath] = Deno.args;
const s = await startDevServer(new URL(lab, `file://${Deno.cwd()}/`), {
  port: 0,
  watch: false,
  typecheck: false,
  ledgerPath,
  cacheDir: null,
  log: () => {},
});
console.log(s.url);
for await (const _ of Deno.stdin.readable) { /* serve until the parent closes stdin */ }
await s.close();
await stopBundler();
