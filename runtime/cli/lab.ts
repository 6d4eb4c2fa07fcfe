/**
 * `deno task lab <id|path> [--port N] [--no-open] [--check]` and `deno task lab --list`.
 */
import { parseArgs } from "node:util";
import { catalog } from "../catalog.ts";

const USAGE = `usage:
  deno task lab <id|path> [--port N] [--no-open]   open a lab in the browser (dev server)
  deno task lab <id|path> --check [--timeout MS]   run every cell headless (sandboxed: the lab may
                                                   read the project, nothing else); exit 1 on any
                                                   error; a cell running longer than MS (5000) fails
  deno task lab --list                             the catalog
ids: see --list; a bare number is Volume II (10 is v2-10), v1-11 names Volume I's lab 11`;

/** Entry point; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      list: { type: "boolean" },
      check: { type: "boolean" },
      timeout: { type: "string" },
      port: { type: "string" },
      "no-open": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return console.log(USAGE), 0;
  if (values.list) {
    const rows = await catalog();
    for (const r of rows) {
      console.log(
        `${r.id.padEnd(16)} ${(r.volume ?? "").padEnd(9)} ${
          (r.status ?? "ready").padEnd(7)
        } ${r.title}`,
      );
    }
    return 0;
  }
  const id = positionals[0];
  if (!id) return console.error(USAGE), 2;
  if (values.check) {
    const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
      console.error(`--timeout must be a whole number of milliseconds, not "${values.timeout}"`);
      return 2;
    }
    // imported here: the dev server (`deno task lab <id>`) does not load the checker
    const { checkLabReport } = await import("../check.ts");
    const { problems, warnings } = await checkLabReport(id, { timeoutMs });
    for (const p of problems) console.log(p);
    for (const w of warnings) console.log(`warning: ${w}`);
    if (!problems.length) console.log(`ok: ${id} — every cell ran without error`);
    return problems.length ? 1 : 0;
  }
  const port = values.port ? Number(values.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`--port must be a whole number from 1 to 65535, not "${values.port}"`);
    return 2;
  }
  const { serveLab } = await import("../../serve.ts");
  return await serveLab(id, { port, open: !values["no-open"] });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
