/**
 * The dev server's "smaller" holes from issue 17, one test each: clock-proof ordering, refused
 * saves shown as not saved, bounded imports and files, lab ids that are Object.prototype names,
 * one bad entry not costing the file, warnings that reach the page, orphan temp files, file
 * modes, malformed Host, 405 with Allow, and a header-read timeout.
 */
import assert from "node:assert/strict";
import { stopBundler } from "../../serve/bundle.ts";
import {
  GENERIC_RULES,
  type LedgerRules,
  LedgerStore as FileStore,
} from "../../serve/ledger-store.ts";
import { loadLedgerRules } from "../../serve/ledger-rules.ts";
import { type DevServer, startDevServer } from "../../serve/server.ts";
import {
  emptyLedger,
  LedgerError,
  ledgerStatusText,
  LedgerStore,
  makeEntry,
  putEntry,
} from "../../cells/mod.ts";
import { LEDGER_LIMITS } from "../../cells/ledger/schema.ts";

const MINI = new URL("../fixtures/labs/browser-mini.ts", import.meta.url);
const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));

/** A dev server on a temporary ledger file, closed after `fn`. */
async function withServer(
  fn: (s: DevServer, path: string) => Promise<void>,
  extra: { headerTimeoutMs?: number; ledgerRules?: LedgerRules } = {},
) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/ledger/ledger.json`;
  const s = await startDevServer(MINI, {
    port: 0,
    watch: false,
    typecheck: false,
    ledgerPath: path,
    cacheDir: null,
    log: () => {},
    ...extra,
  });
  try {
    await fn(s, path);
  } finally {
    await s.close();
    await stopBundler();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The page's ledger store talking to the dev server `s`. */
const pageStore = (s: DevServer, now = () => T(30)) =>
  new LedgerStore({ fetch: fetch.bind(globalThis), base: s.url.replace(/\/$/, ""), now });

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test({
  name: "an imported entry dated 9999-12-31 does not freeze the entry: the next save wins",
  ...opts,
  fn: () =>
    withServer(async (s, path) => {
      const page = pageStore(s);
      await page.load();
      const future = putEntry(
        emptyLedger(new Date("9999-12-31T00:00:00Z")),
        "v2-10",
        makeEntry({ context: "cloud", act1_prediction: "A" }, new Date("9999-12-31T00:00:00Z")),
      );
      await page.import(JSON.stringify(future));
      await page.save("v2-10", { context: "cloud", act1_prediction: "C" });
      assert.equal(page.ledger.labs["v2-10"].act1_prediction, "C");
      const disk = JSON.parse(await Deno.readTextFile(path));
      assert.equal(disk.labs["v2-10"].act1_prediction, "C", "the server kept the later save");
      assert.ok(disk.labs["v2-10"].rev >= 2);
      assert.equal(page.status.error, null);
    }),
});

Deno.test({
  name: "a save the server refuses (413) is shown as not saved",
  ...opts,
  fn: async () =>
    withServer(async (s) => {
      const page = pageStore(s);
      await page.load();
      await page.save("v2-10", { context: "cloud", predictions: { a: "x".repeat(2000) } });
      assert.match(page.status.error ?? "", /refused it \(413: the entry is larger than 1 KB/);
      assert.match(ledgerStatusText(page.status), /^not saved: /);
      await page.save("v2-10", { context: "cloud", predictions: { a: "small" } });
      assert.equal(page.status.error, null, "a later save that is accepted clears it");
    }, {
      ledgerRules: {
        ...await loadLedgerRules(new URL("../../", import.meta.url)),
        limits: { entryBytes: 1024, fileBytes: 1 << 20 },
      },
    }),
});

Deno.test("an entry over the limit is refused in the page too, and shown as not saved", async () => {
  const page = new LedgerStore({});
  const big = "x".repeat(LEDGER_LIMITS.entryBytes);
  await assert.rejects(
    () => page.save("v2-10", { context: "cloud", predictions: { big } }),
    /the entry for v2-10 is 65 KB; an entry may be at most 64 KB/,
  );
  assert.match(ledgerStatusText(page.status), /^not saved: the entry for v2-10 is 65 KB/);
});

Deno.test("import: over the lab count or the file size is refused with a message, nothing sent", async () => {
  const sent: string[] = [];
  const page = new LedgerStore({
    fetch: ((
      u: string,
    ) => (sent.push(u), Promise.resolve(new Response(null, { status: 204 })))) as typeof fetch,
  });
  const labs = Object.fromEntries(
    Array.from({ length: 5000 }, (_, i) => [`lab-${i}`, makeEntry({ context: "c" }, T(0))]),
  );
  const many = JSON.stringify({ version: 1, updatedAt: T(0).toISOString(), labs });
  await assert.rejects(
    () => page.import(many),
    (e) =>
      e instanceof LedgerError && /holds 5000 labs; a ledger may hold at most 500/.test(e.message),
  );
  await assert.rejects(
    () => page.import(" ".repeat(LEDGER_LIMITS.fileBytes + 1)),
    (e) =>
      e instanceof LedgerError &&
      /the file is 4\.0 MB; a ledger may be at most 4\.0 MB/.test(e.message),
  );
  assert.deepEqual(sent, []);
  assert.deepEqual(page.ledger.labs, {});
});

Deno.test("the file cannot outgrow its limit: a PUT that would is a 413 and the file is unchanged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const store = new FileStore(path, {
      ...GENERIC_RULES,
      limits: { entryBytes: 1000, fileBytes: 1500 },
    });
    await store.put("a", { x: "y".repeat(900) });
    const before = await Deno.readTextFile(path);
    await assert.rejects(
      () => store.put("b", { x: "y".repeat(900) }),
      /would be 0\.0 MB, over its 0\.0 MB limit; b was not saved/,
    );
    assert.equal(await Deno.readTextFile(path), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "lab ids constructor, toString, hasOwnProperty are saved and imported like any other",
  ...opts,
  fn: () =>
    withServer(async (s, path) => {
      const ids = ["constructor", "toString", "hasOwnProperty", "valueOf"];
      let l = emptyLedger(T(0));
      for (const id of ids) l = putEntry(l, id, makeEntry({ context: id }, T(1)));
      assert.deepEqual(Object.keys(l.labs).sort(), [...ids].sort());
      const page = pageStore(s);
      await page.load();
      await page.import(JSON.stringify(l));
      await page.save("constructor", { context: "again" });
      const disk = JSON.parse(await Deno.readTextFile(path));
      assert.deepEqual(Object.keys(disk.labs).sort(), [...ids].sort());
      assert.equal(disk.labs.constructor.context, "again");
      assert.equal(disk.labs.toString.context, "toString");
      assert.equal(page.status.error, null);
    }),
});

Deno.test({
  name: "one bad entry costs only itself; the warning reaches the page (header, status, events)",
  ...opts,
  fn: () =>
    withServer(async (s, path) => {
      const good = makeEntry({ context: "cloud", act1_prediction: "B" }, T(1));
      await Deno.mkdir(path.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(
        path,
        JSON.stringify({
          version: 1,
          updatedAt: T(1).toISOString(),
          labs: { "v2-10": good, "v2-11": { ...good, act1_correct: "yes" } },
        }),
      );
      const page = pageStore(s);
      await page.load();
      assert.deepEqual(Object.keys(page.ledger.labs), ["v2-10"], "the good lab is kept");
      assert.match(page.status.warning ?? "", /invalid entries \(v2-11\); they were dropped/);
      const aside = /The original is at (\S+)\.$/.exec(page.status.warning!)![1];
      assert.match(await Deno.readTextFile(aside), /"act1_correct":"yes"/);
      // a page that opens later still gets the warning from its event stream
      const res = await fetch(`${s.url}__syslab/events`);
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("ledger-warning")) {
        text += new TextDecoder().decode((await reader.read()).value);
      }
      await reader.cancel();
      assert.match(text, /"type":"ledger-warning","message":"The ledger file had invalid entries/);
    }),
});

Deno.test({
  name: "ledger files are private (0600, folder 0700); temp files of killed writers are removed",
  ...opts,
  fn: () =>
    withServer(async (s, path) => {
      await Deno.mkdir(path.replace(/\/[^/]+$/, ""), { recursive: true, mode: 0o700 });
      const orphan = `${path}.tmp-999999-1`;
      await Deno.writeTextFile(orphan, "half a file");
      const r = await fetch(`${s.url}__syslab/ledger/v2-10`, {
        method: "PUT",
        body: JSON.stringify(makeEntry({ context: "cloud" }, T(0))),
      });
      assert.equal(r.status, 200, await r.text());
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(`${path}.lock`)).mode! & 0o777, 0o600);
      await assert.rejects(() => Deno.stat(orphan), Deno.errors.NotFound);
    }),
});

Deno.test({
  name: "a fresh ledger folder is created 0700",
  ...opts,
  fn: () =>
    withServer(async (s, path) => {
      const r = await fetch(`${s.url}__syslab/ledger/v2-10`, {
        method: "PUT",
        body: JSON.stringify(makeEntry({ context: "cloud" }, T(0))),
      });
      await r.body?.cancel();
      assert.equal((await Deno.stat(path.replace(/\/[^/]+$/, ""))).mode! & 0o777, 0o700);
    }),
});

/** Sends raw bytes; resolves with what came back before the server closed (or `ms` passed). */
async function raw(port: number, text: string, ms = 5000): Promise<string> {
  const c = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await c.write(new TextEncoder().encode(text));
    let out = "";
    const buf = new Uint8Array(4096);
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const n = await Promise.race([
        c.read(buf),
        new Promise<"wait">((r) => setTimeout(() => r("wait"), deadline - Date.now())),
      ]);
      if (n === null || n === "wait") break;
      out += new TextDecoder().decode(buf.subarray(0, n));
    }
    return out;
  } finally {
    try {
      c.close();
    } catch { /* closed */ }
  }
}

Deno.test({
  name: "a malformed Host is a 403 that does not echo it (was a 500 with the host in it)",
  ...opts,
  fn: () =>
    withServer(async (s) => {
      for (const host of ["a b", "[::", "x:99999", "%zz"]) {
        const out = await raw(s.port, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
        assert.match(out, /^HTTP\/1\.1 403/, host);
        assert.ok(!out.split("\r\n\r\n")[1].includes(host), `the reply echoes ${host}`);
      }
    }),
});

Deno.test({
  name: "405s carry Allow",
  ...opts,
  fn: () =>
    withServer(async (s) => {
      const cases: Array<[string, string, string]> = [
        ["DELETE", "__syslab/ledger", "GET, HEAD"],
        ["POST", "", "GET, HEAD"],
        ["GET", "__syslab/ledger/v2-10", "PUT"],
        ["POST", "__syslab/ledger/v2-10", "PUT"],
      ];
      for (const [method, p, allow] of cases) {
        const r = await fetch(`${s.url}${p}`, { method });
        await r.body?.cancel();
        assert.equal(r.status, 405, `${method} /${p}`);
        assert.equal(r.headers.get("allow"), allow, `${method} /${p}`);
      }
    }),
});

Deno.test({
  name: "headers not sent within the timeout: 408 and the connection is closed",
  ...opts,
  fn: () =>
    withServer(async (s) => {
      const out = await raw(s.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n`, 5000);
      assert.match(out, /^HTTP\/1\.1 408 Request Timeout/);
      // a request sent in time is served as before
      const ok = await raw(
        s.port,
        `GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`,
      );
      assert.match(ok, /^HTTP\/1\.1 204/);
    }, { headerTimeoutMs: 300 }),
});
