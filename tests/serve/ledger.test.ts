/**
 * The ledger on disk (issue 8): a corrupt file is moved aside and reported, never overwritten;
 * concurrent saves lose nothing; a process killed mid-write leaves a readable file.
 */
import assert from "node:assert/strict";
import { stopBundler } from "../../serve/bundle.ts";
import { LedgerStore, merge, parseDoc } from "../../serve/ledger-store.ts";
import { startDevServer } from "../../serve/server.ts";

const MINI = new URL("../fixtures/labs/browser-mini.ts", import.meta.url);

Deno.test("ledger: a corrupt file is moved aside with its bytes, and a new file started", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    await Deno.writeTextFile(path, `{"version":1,"labs":{"v2-10":{"pred`);
    const store = new LedgerStore(path);
    const r = await store.put("v2-11", { predictions: { a: 1 } });
    assert.ok(r.movedAside?.startsWith(`${path}.corrupt-`));
    assert.equal(await Deno.readTextFile(r.movedAside!), `{"version":1,"labs":{"v2-10":{"pred`);
    assert.deepEqual(parseDoc(await Deno.readTextFile(path))?.labs, {
      "v2-11": { predictions: { a: 1 } },
    });
    // JSON that is not a ledger counts as corrupt too
    await Deno.writeTextFile(path, `[1,2,3]`);
    const g = await store.read();
    assert.equal(g.value, null);
    assert.ok(g.movedAside);
    assert.equal(await Deno.readTextFile(g.movedAside!), "[1,2,3]");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "ledger over HTTP: concurrent PUTs from two tabs are all kept; corrupt file reported",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/ledger.json`;
    const s = await startDevServer(MINI, {
      port: 0,
      watch: false,
      typecheck: false,
      ledgerPath: path,
      log: () => {},
    });
    try {
      assert.equal(
        (await fetch(`${s.url}__syslab/ledger`).then((r) => (r.body?.cancel(), r))).status,
        204,
        "no ledger yet: no content, not an error",
      );
      const put = (lab: string, body: unknown) =>
        fetch(`${s.url}__syslab/ledger/${lab}`, { method: "PUT", body: JSON.stringify(body) })
          .then(async (r) => {
            const text = await r.text();
            return {
              status: r.status,
              body: r.ok ? JSON.parse(text) : text,
              aside: r.headers.get("x-syslab-moved-aside"),
            };
          });
      const entry = (savedAt: string, predictions: Record<string, unknown>) => ({
        savedAt,
        context: "cloud",
        predictions,
        decisions: {},
      });
      const results = await Promise.all([
        put("v2-10", entry("2026-01-01T10:00:00.000Z", { tabA: "B" })),
        put("v2-10", entry("2026-01-01T10:00:01.000Z", { tabB: "C" })),
        ...Array.from(
          { length: 30 },
          (_, i) => put(`lab-${i}`, entry("2026-01-01T10:00:00.000Z", { n: i })),
        ),
      ]);
      assert.ok(results.every((r) => r.status === 200));
      // the response is the whole ledger, as the page's ledger client expects
      assert.equal(results.at(-1)!.body.version, 1);
      const doc = await (await fetch(`${s.url}__syslab/ledger`)).json();
      assert.deepEqual(doc.labs["v2-10"].predictions, { tabA: "B", tabB: "C" });
      for (let i = 0; i < 30; i++) assert.deepEqual(doc.labs[`lab-${i}`].predictions, { n: i });
      // an entry the schema rejects is a 400 naming the problem
      const bad = await put("v2-10", { predictions: 3 });
      assert.equal(bad.status, 400);
      // bad requests
      assert.equal(
        (await fetch(`${s.url}__syslab/ledger/x`, { method: "PUT", body: "{" }).then((
          r,
        ) => (r.body?.cancel(), r))).status,
        400,
      );
      assert.equal(
        (await fetch(`${s.url}__syslab/ledger/x`, { method: "PUT", body: "[1]" }).then((
          r,
        ) => (r.body?.cancel(), r))).status,
        400,
      );
      assert.equal(
        (await fetch(`${s.url}__syslab/ledger/..%2fx`, { method: "PUT", body: "{}" }).then((
          r,
        ) => (r.body?.cancel(), r))).status,
        404,
      );
      assert.equal(
        (await fetch(`${s.url}__syslab/ledger/x`, { method: "PUT", body: "x".repeat(1 << 21) })
          .then((r) => (r.body?.cancel(), r))).status,
        413,
      );
      // corrupt on disk → moved aside, reported in the response
      await Deno.writeTextFile(path, "not json");
      const r = await put("v2-10", entry("2026-01-01T11:00:00.000Z", { again: 1 }));
      assert.equal(r.status, 200);
      assert.ok(String(r.aside).includes(".corrupt-"));
      assert.equal(await Deno.readTextFile(r.aside!), "not json");
      assert.deepEqual(Object.keys(r.body.labs), ["v2-10"]);
    } finally {
      await s.close();
      await stopBundler();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("ledger: a writer killed mid-write leaves a readable file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ledger.json`;
    const store = new URL("../../serve/ledger-store.ts", import.meta.url).href;
    const code = `import { LedgerStore } from "${store}";
      const s = new LedgerStore(${JSON.stringify(path)});
      const big = "x".repeat(200000);
      for (let i = 0; ; i++) { await s.put("lab-" + (i % 7), { i, big }); if (i === 3) console.log("go"); }`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read(); // "go": several writes done, more in flight
    await new Promise((r) => setTimeout(r, 150));
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    const doc = parseDoc(await Deno.readTextFile(path));
    assert.ok(doc, "the ledger file parses");
    assert.ok(Object.keys(doc!.labs).length >= 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger merge: objects key by key, everything else replaced", () => {
  assert.deepEqual(merge({ a: { x: 1 }, b: [1] }, { a: { y: 2 }, b: [2] }), {
    a: { x: 1, y: 2 },
    b: [2],
  });
  assert.deepEqual(merge(undefined, { a: 1 }), { a: 1 });
});
