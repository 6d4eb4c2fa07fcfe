/** The ledger's act entries: a commit is final, a record is whole, a new attempt replaces all. */
import assert from "node:assert/strict";
import { makeEntry, mergeEntries } from "../../cells/ledger/merge.ts";
import { commitsOf, ledgerCommitStore } from "../../cells/ledger/commits.ts";
import { LedgerStore } from "../../cells/ledger/store.ts";

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, s));

Deno.test("ledger acts: the first commit stays; the newer record replaces the older whole", () => {
  const older = makeEntry({
    context: "latency",
    act2_result: 52.9,
    decisions: { ttft_ms: 52.9, batch: 4 },
    acts: { act1: { prediction: "B", setup: { context: "latency" }, fields: { ttft_ms: 52.9 } } },
  }, at(1));
  const newer = makeEntry({
    context: "latency",
    decisions: { batch: 64 },
    acts: { act1: { prediction: "C", correct: true, fields: { batch: 64 } } },
  }, at(2));
  for (const m of [mergeEntries(older, newer), mergeEntries(newer, older)]) {
    assert.equal(m.acts!.act1.prediction, "B", "a commit is final");
    assert.deepEqual(m.acts!.act1.setup, { context: "latency" });
    assert.deepEqual(m.acts!.act1.fields, { batch: 64 }, "no stale field survives");
    assert.deepEqual(m.decisions, { batch: 64 });
    assert.equal(m.act2_result, undefined, "act2_result of an older decision is gone");
  }
});

Deno.test("ledger acts: a later attempt (start over) replaces the entry whole, whatever the clock", () => {
  const committed = makeEntry({
    context: "latency",
    act1_prediction: "B",
    acts: { act1: { prediction: "B" } },
  }, at(50));
  const restarted = makeEntry({ context: "throughput", attempt: 1 }, at(10));
  for (const m of [mergeEntries(committed, restarted), mergeEntries(restarted, committed)]) {
    assert.equal(m.attempt, 1);
    assert.equal(m.acts, undefined);
    assert.equal(m.act1_prediction, undefined);
  }
});

Deno.test("ledger commit store: save once, load, subscribe, clear", async () => {
  const mem = new Map<string, string>();
  const storage = {
    getItem: (k: string) => mem.get(k) ?? null,
    setItem: (k: string, v: string) => void mem.set(k, v),
  };
  const store = new LedgerStore({ storage });
  const commits = ledgerCommitStore("v2-10", store);
  const seen: number[] = [];
  commits.subscribe!((list) => seen.push(list.length));
  commits.save({ act: "act1", value: "B", setup: { context: "latency", table: [1] } });
  commits.save({ act: "act1", value: "C", setup: { context: "latency" } });
  await Promise.resolve();
  assert.deepEqual(commits.load(), [
    { act: "act1", value: "B", correct: undefined, setup: { context: "latency" } },
  ]);
  // Another tab (a second store over the same storage) sees it.
  assert.equal(commitsOf(new LedgerStore({ storage }).ledger.labs["v2-10"])[0].value, "B");
  commits.clear();
  assert.deepEqual(commits.load(), []);
  assert.equal(new LedgerStore({ storage }).ledger.labs["v2-10"].attempt, 1);
  // A save after the restart belongs to the new attempt.
  commits.save({ act: "act1", value: "D", setup: { context: "latency" } });
  assert.equal(commits.load()[0].value, "D");
  assert.ok(seen.length >= 3);
});
