import assert from "node:assert/strict";
import fc from "fast-check";
import {
  emptyLedger,
  type Ledger,
  type LedgerEntry,
  LedgerError,
  ledgerSave,
  ledgerStatusText,
  LedgerStore,
  makeEntry,
  mergeEntries,
  mergeLedgers,
  parseLedger,
  putEntry,
  STORAGE_KEY,
} from "../../cells/mod.ts";

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));

Deno.test("parseLedger: a valid ledger round-trips", () => {
  const l = putEntry(
    emptyLedger(T(0)),
    "v2-10",
    makeEntry({ context: "cloud", act1_prediction: "C" }, T(1)),
  );
  assert.deepEqual(parseLedger(JSON.stringify(l)), l);
  assert.equal(l.version, 1);
  assert.equal(l.labs["v2-10"].act1_prediction, "C");
});

Deno.test("parseLedger: corrupt input gives a LedgerError naming each bad field", () => {
  assert.throws(
    () => parseLedger("{not json"),
    (e) => e instanceof LedgerError && /not JSON/.test(e.message),
  );
  assert.throws(
    () => parseLedger({ version: 2, updatedAt: "yesterday", labs: { "v2-10": { context: 3 } } }),
    (e) => {
      assert.ok(e instanceof LedgerError);
      assert.match(e.message, /at version/);
      assert.match(e.message, /at updatedAt/);
      assert.match(
        e.message,
        /expected string, received number\n {2}→ at labs\["v2-10"\]\.context/,
      );
      assert.match(e.message, /at labs\["v2-10"\]\.savedAt/);
      return true;
    },
  );
  assert.throws(() => makeEntry({ context: "cloud", act2_result: Number.NaN }), LedgerError);
});

Deno.test("makeEntry: spec'd fields, nulls dropped, savedAt stamped", () => {
  const e = makeEntry({
    context: "edge",
    act1_prediction: null,
    act1_correct: false,
    act2_result: 12.5,
    act2_decision: "continuous",
    constraint_hit: true,
    predictions: { act2_ttft: 180, skipped: undefined },
    decisions: { tp: 2 },
  }, T(5));
  assert.deepEqual(e, {
    savedAt: T(5).toISOString(),
    context: "edge",
    act1_correct: false,
    act2_result: 12.5,
    act2_decision: "continuous",
    constraint_hit: true,
    predictions: { act2_ttft: 180 },
    decisions: { tp: 2 },
  });
});

Deno.test("mergeEntries: newer wins per field; fields the newer lacks survive", () => {
  const older = makeEntry(
    { context: "cloud", act1_prediction: "C", decisions: { a: 1, b: 2 } },
    T(1),
  );
  const newer = makeEntry({ context: "edge", act2_result: 3, decisions: { b: 9, c: null } }, T(2));
  const m = mergeEntries(older, newer);
  assert.equal(m.savedAt, T(2).toISOString());
  assert.equal(m.context, "edge");
  assert.equal(m.act1_prediction, "C");
  assert.equal(m.act2_result, 3);
  assert.deepEqual(m.decisions, { a: 1, b: 9, c: null });
  assert.deepEqual(mergeEntries(newer, older), m);
});

Deno.test("two writers (two tabs sharing storage) lose nothing", async () => {
  const mem = new Map<string, string>();
  const storage = {
    getItem: (k: string) => mem.get(k) ?? null,
    setItem: (k: string, v: string) => void mem.set(k, v),
  };
  let t = 0;
  const now = () => T(++t);
  const tab1 = new LedgerStore({ storage, now });
  const tab2 = new LedgerStore({ storage, now });
  await tab1.save("v2-10", { context: "cloud", act1_prediction: "C" });
  await tab2.save("v2-11", { context: "edge" }); // tab2 never saw v2-10 in memory
  await tab1.save("v2-10", { context: "cloud", act2_decision: "continuous" });
  const final = parseLedger(mem.get(STORAGE_KEY)!);
  assert.deepEqual(Object.keys(final.labs), ["v2-10", "v2-11"]);
  assert.equal(final.labs["v2-10"].act1_prediction, "C");
  assert.equal(final.labs["v2-10"].act2_decision, "continuous");
  assert.equal(tab1.status.labs, 2);
  assert.match(ledgerStatusText(tab1.status), /^saved \d\d:\d\d · 2 labs in ledger$/);
});

Deno.test("store: a corrupt stored ledger is moved aside, not overwritten", () => {
  const mem = new Map<string, string>([[STORAGE_KEY, `{"version":1,"labs":`]]);
  const storage = {
    getItem: (k: string) => mem.get(k) ?? null,
    setItem: (k: string, v: string) => void mem.set(k, v),
  };
  const s = new LedgerStore({ storage, now: () => T(9) });
  const aside = [...mem.keys()].find((k) => k.startsWith(`${STORAGE_KEY}.corrupt-`));
  assert.ok(aside);
  assert.equal(mem.get(aside), `{"version":1,"labs":`);
  assert.match(s.status.error ?? "", /not JSON/);
});

Deno.test("store: talks to the dev server protocol (GET ledger, PUT entry, merge reply)", async () => {
  const server = putEntry(emptyLedger(T(0)), "v1-11", makeEntry({ context: "edge" }, T(0)));
  const calls: string[] = [];
  const fakeFetch = ((url: string | URL, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${url}`);
    if (!init?.method) return Promise.resolve(new Response(JSON.stringify(server)));
    const id = String(url).split("/").pop()!;
    const merged = putEntry(server, id, JSON.parse(String(init.body)) as LedgerEntry);
    return Promise.resolve(new Response(JSON.stringify(merged)));
  }) as typeof fetch;
  const s = new LedgerStore({ fetch: fakeFetch, now: () => T(3) });
  await s.load();
  assert.deepEqual(Object.keys(s.ledger.labs), ["v1-11"]);
  await s.save("gallery", { context: "cloud" });
  assert.deepEqual(calls, ["GET /__syslab/ledger", "PUT /__syslab/ledger/gallery"]);
  assert.deepEqual(Object.keys(s.ledger.labs), ["gallery", "v1-11"]);
  assert.equal(s.status.server, "available");
});

Deno.test("store: no server (404 on PUT, or fetch failing) keeps working locally", async () => {
  const failing = (() => Promise.reject(new TypeError("offline"))) as typeof fetch;
  const s = new LedgerStore({ fetch: failing });
  await s.load();
  await s.save("gallery", { context: "cloud" });
  assert.equal(s.status.server, "unavailable");
  assert.equal(Object.keys(s.ledger.labs).length, 1);
});

Deno.test("import merges and validates", async () => {
  const s = new LedgerStore({ now: () => T(7) });
  await s.save("a", { context: "cloud" });
  const other = putEntry(emptyLedger(T(1)), "b", makeEntry({ context: "edge" }, T(1)));
  await s.import(JSON.stringify(other));
  assert.deepEqual(Object.keys(s.ledger.labs), ["a", "b"]);
  await assert.rejects(() => s.import(`{"version":1}`), LedgerError);
  assert.deepEqual(parseLedger(s.exportJSON()), s.ledger);
});

Deno.test("ledgerSave: validates the entry and renders it headless", () => {
  const h = ledgerSave({ lab: "gallery", entry: { context: "cloud", act1_correct: true } }).html();
  assert.match(
    h,
    /<syslab-ledger-save lab="gallery" entry="\{&quot;context&quot;:&quot;cloud&quot;/,
  );
  assert.match(h, /<th scope="row">act1_correct<\/th><td>true<\/td>/);
  assert.throws(
    () => ledgerSave({ lab: "bad id!", entry: { context: "x" } }),
    /not a valid lab id/,
  );
});

// ---- properties ---------------------------------------------------------------------------

const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null));
const entryArb = fc.record({
  t: fc.integer({ min: 0, max: 50 }),
  context: fc.constantFrom("cloud", "edge"),
  act1_prediction: fc.option(fc.constantFrom("A", "B", "C", "D"), { nil: undefined }),
  act2_result: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  predictions: fc.dictionary(fc.constantFrom("p", "q", "r"), scalar),
}).map((r) =>
  makeEntry({
    context: r.context,
    act1_prediction: r.act1_prediction,
    act2_result: r.act2_result,
    predictions: r.predictions,
  }, T(r.t))
);
const ledgerArb = fc.dictionary(fc.constantFrom("v2-10", "v2-11", "gallery"), entryArb).map(
  (labs): Ledger => ({ version: 1, updatedAt: T(0).toISOString(), labs }),
);

Deno.test("property: merging is commutative and idempotent, and keeps every lab and set field", () => {
  fc.assert(fc.property(ledgerArb, ledgerArb, (a, b) => {
    const ab = mergeLedgers(a, b);
    assert.deepEqual(ab, mergeLedgers(b, a));
    assert.deepEqual(mergeLedgers(ab, ab), ab);
    assert.deepEqual(parseLedger(ab), ab);
    for (const src of [a, b]) {
      for (const [id, e] of Object.entries(src.labs)) {
        const m = ab.labs[id];
        assert.ok(m, `lab ${id} kept`);
        if (e.act1_prediction !== undefined) assert.notEqual(m.act1_prediction, undefined);
        for (const [k, v] of Object.entries(e.predictions)) {
          assert.ok(k in m.predictions);
          if (v !== null) assert.notEqual(m.predictions[k], null);
        }
      }
    }
  }));
});
