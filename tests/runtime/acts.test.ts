/**
 * Acts in the runtime, with a hand-made prediction (no cells/): lesson order, the gate, the soft
 * summary, the final lock and the inputs it freezes, and restoring a kept commit.
 */
import assert from "node:assert/strict";
import { lab, LabEngine, runLab } from "../../runtime/mod.ts";
import type { ActCommit, ActGrade, PredictionDraft } from "../../runtime/act.ts";
import type { InputSpec } from "../../runtime/input.ts";

const numberInput = (value: number): InputSpec<number> => ({ value, html: (v) => `${v}` });

/** A prediction whose right option is the letter `right`; it records where it was bound. */
function draft(right: string, question: string): PredictionDraft<ActGrade> {
  return {
    bind: (site) => ({
      input: {
        value: null,
        html: (v) => `lock ${question} ${v}`,
        coerce: (v) => (v === null || "ABCD".includes(String(v)) ? v as string : (() => {
          throw new Error(`${v} is not an option`);
        })()),
        samples: [null, "A", "B", "C", "D"],
      },
      waiting: `commit ${site.act}`,
      grade: (v) => ({ value: v, shown: String(v), correct: v === right }),
      reveal: (g, extra) => `reveal ${g.value} ${g.correct} ${extra ?? ""}`,
      leaks: [],
    }),
  };
}

const twoActs = () =>
  lab({ id: "acts", title: "Acts" })
    .input("context", () => numberInput(1))
    .input("free", () => numberInput(5))
    .act("a1", {
      title: "Act I",
      intro: ({ context }) => `scenario ${context}`,
      prediction: ({ context }) => draft(context === 1 ? "B" : "C", `q${context}`),
    }, (act) =>
      act
        .input("knob", () => numberInput(2))
        .cell("result", ({ knob, context }) => knob * 100 + context)
        .show("instrument", ({ result }) => `result ${result}`)
        .reveal(({ result }) => `(${result})`)
        .record(({ result }) => ({ hud: [["Result", result]], ledger: { result } })))
    .act("a2", {
      title: "Act II",
      prediction: () => draft("A", "q2"),
    }, (act) => act.show("later", ({ a2 }) => `a2 ${a2.value}`))
    .summary("summary", ({ acts }) =>
      acts.map((a) =>
        `${a.id}:${a.status}:${a.record?.hud?.[0]?.[1] ?? "-"}`
      ).join(" "));

Deno.test("acts: the body waits on the commit, act 2 on act 1; the summary reads them softly", async () => {
  const h = await runLab(twoActs());
  assert.equal(h.value("summary"), "a1:open:- a2:waiting:-");
  assert.deepEqual(h.state("instrument"), { status: "waiting", on: "a1", reason: "stopped" });
  assert.deepEqual(h.state("a1"), { status: "stopped", output: "commit a1" });
  assert.equal(h.html("a2Lock"), "", "act 2's lock waits on act 1");
  await h.update({ a1Lock: "C" });
  assert.equal(h.value("instrument"), "result 201");
  assert.equal(h.value("a1Reveal"), "reveal C false (201)");
  assert.equal(h.value("summary"), "a1:committed:201 a2:open:-");
  await h.update({ a2Lock: "A" });
  assert.equal(h.value("later"), "a2 A");
  assert.equal(h.value("summary"), "a1:committed:201 a2:committed:-");
  h.dispose();
});

Deno.test("acts: a commit is final and freezes what its prediction read, nothing else", async () => {
  const h = await runLab(twoActs());
  await h.update({ a1Lock: "B" });
  assert.throws(() => h.set("a1Lock", "C"), { name: "InputLockedError", message: /is committed/ });
  assert.throws(() => h.set("context", 2), { name: "InputLockedError", message: /frozen at 1/ });
  h.set("a1Lock", "B"); // the same value is no change
  await h.update({ free: 9, knob: 3 }); // neither is read by the prediction
  assert.equal(h.value("result"), 301);
  h.startOver();
  await h.update({ context: 2, a1Lock: "C" });
  assert.equal((h.value("a1") as ActGrade).correct, true, "graded in its own context");
  h.dispose();
});

Deno.test("acts: a kept commit is restored with its setup, and reported once", async () => {
  const commits: ActCommit[] = [];
  const first = new LabEngine(twoActs(), { onCommit: (c) => commits.push(c) });
  await first.settled();
  first.setInput("context", 2);
  await first.settled();
  first.setInput("a1Lock", "D");
  await first.settled();
  assert.deepEqual(commits, [{ act: "a1", value: "D", setup: { context: 2 } }]);
  first.dispose();

  const again: ActCommit[] = [];
  const second = new LabEngine(twoActs(), { onCommit: (c) => again.push(c) });
  second.restoreCommit(commits[0]);
  await second.settled();
  assert.equal(second.value("context"), 2);
  assert.equal(second.value("a1Lock"), "D");
  assert.equal((second.value("a1") as ActGrade).correct, false);
  assert.throws(() => second.setInput("a1Lock", "C"), { name: "InputLockedError" });
  second.restoreCommit({ act: "a1", value: "C", setup: {} }); // a held lock is left alone
  assert.equal(second.value("a1Lock"), "D");
  second.dispose();
});

Deno.test("acts: a durable commit applies only once its write settles; settled() waits for it", async () => {
  const commits: ActCommit[] = [];
  const e = new LabEngine(twoActs(), { onCommit: (c) => commits.push(c) });
  await e.settled();
  let release!: () => void;
  const written: ActCommit[] = [];
  const durable = (c: ActCommit) => {
    written.push(c);
    return new Promise<void>((r) => release = r);
  };
  const applied = e.setInputDurably("a1Lock", "C", durable);
  assert.deepEqual(written, [{ act: "a1", value: "C", setup: { context: 1 } }]);
  let settled = false;
  const waiting = e.settled().then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false, "settled() waits for the write");
  assert.equal(e.value("a1Lock"), null, "the lock is open until the write settles");
  assert.deepEqual(commits, [], "nothing committed yet");
  release();
  await applied;
  await waiting;
  assert.equal(e.value("a1Lock"), "C");
  assert.equal(e.value("instrument"), "result 201", "the body runs once it is durable");
  assert.deepEqual(commits, [{ act: "a1", value: "C", setup: { context: 1 } }]);
  // Refused values throw at once, as setInput's do; a plain input is set at once.
  assert.throws(() => e.setInputDurably("a1Lock", "B", durable), { name: "InputLockedError" });
  assert.throws(() => e.setInputDurably("nope", 1, durable), /not an input/);
  void e.setInputDurably("free", 7, durable);
  assert.equal(written.length, 1, "a plain input is not written");
  await e.settled();
  assert.equal(e.value("free"), 7);
  e.dispose();
});

Deno.test("acts: the structure is checked as it is declared", () => {
  assert.throws(
    () =>
      lab({ id: "x", title: "x" }).act(
        "a",
        { title: "A", prediction: () => draft("A", "q") },
        (a) => a.act("b", { title: "B", prediction: () => draft("A", "q") }, (b) => b),
      ),
    /acts do not nest/,
  );
  assert.throws(() => lab({ id: "x", title: "x" }).record(() => ({})), /belongs inside an act/);
  assert.throws(
    () =>
      lab({ id: "x", title: "x" }).act(
        "a",
        { title: "A", prediction: () => draft("A", "q") },
        (a) => a.summary("s", () => ""),
      ),
    /must come after the acts/,
  );
});

Deno.test("acts: start over opens the lock again, so a re-commit of the same value is final", async () => {
  const h = await runLab(twoActs());
  await h.update({ a1Lock: "A" });
  h.startOver();
  await h.settled();
  assert.equal(h.value("a1Lock"), null);
  assert.deepEqual(h.state("instrument"), { status: "waiting", on: "a1", reason: "stopped" });
  await h.update({ a1Lock: "A" });
  assert.throws(() => h.set("a1Lock", "B"), { name: "InputLockedError" });
  h.dispose();
});
