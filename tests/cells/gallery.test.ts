import assert from "node:assert/strict";
import { CellRuntimeError, runLab } from "../../runtime/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";
import type { ChoiceGrade } from "../../cells/mod.ts";
import { maxUsers, serve } from "../../core/mod.ts";

Deno.test("gallery: runs headless; only brokenOnPurpose fails, and the others keep updating", async () => {
  const h = await runLab("gallery");
  try {
    const errors = h.errors();
    assert.deepEqual(errors.map((e) => e.cells.map((c) => c.cell).join()), ["brokenOnPurpose"]);
    assert.ok(errors[0] instanceof CellRuntimeError);
    assert.match(h.html("brokenOnPurpose"), /role="alert".*fails on purpose/);

    // The chart's data depends on the slider; its table shows the marker row.
    const before = h.html("chartDemo");
    assert.match(before, /<td data-num>4,096<\/td>/);
    await h.update({ seqLen: 8192 });
    assert.match(h.html("chartDemo"), /<td data-num>8,192<\/td>/);
    assert.match(h.html("inputValues"), /data-testid="value-seqLen">8192</);
    assert.equal(h.errors().length, 1, "still only the broken cell");

    // A reversible failure state: over budget → danger banner; back → success.
    await h.update({ budget: 5 });
    assert.match(h.html("failure"), /data-kind="danger" role="alert".*OOM/s);
    await h.update({ budget: 640 });
    assert.match(h.html("failure"), /data-testid="fits"/);
  } finally {
    h.dispose();
  }
});

Deno.test("gallery: Act I's lock gates its body; the grade, HUD and ledger come from core", async () => {
  const h = await runLab("gallery");
  try {
    assert.match(h.html("act1"), /data-testid="gate".*Commit your prediction to continue/s);
    assert.deepEqual(h.state("act1Descendant"), {
      status: "waiting",
      on: "act1",
      reason: "stopped",
    });
    assert.equal(h.html("act1Reveal"), "");
    assert.equal(h.html("act2Lock"), "", "Act II's lock waits on Act I");
    const want = maxUsers({
      model: "llama-3.1-8b",
      gpu: "h100-sxm",
      precision: "bf16",
      kvPrecision: "bf16",
      seqLen: 4096,
    }).maxUsers;
    assert.equal(want, 107);
    const summary = h.html("summary");
    assert.match(summary, /Act I<\/dt><dd[^>]*data-tone="neutral">OPEN/);
    assert.doesNotMatch(summary, /Max users|max_users|\b107\b/);
    assert.throws(() => h.set("act1Lock", "E"), /"E" is not an option/);

    // The correct letter is the option whose number is core's; a wrong commit is graded wrong.
    const p = h.value<ActPrediction<ChoiceGrade>>("act1Prediction");
    const graded = ["A", "B", "C", "D"].map((l) => p.grade(l));
    const right = graded.filter((g) => g.correct);
    assert.equal(right.length, 1);
    assert.equal(right[0].picked.predicted, want);
    const wrong = graded.find((g) => !g.correct)!.value;
    await h.update({ act1Lock: wrong });
    assert.match(h.html("act1Reveal"), new RegExp(`physics picks ${right[0].value}`));
    assert.match(h.html("act1Descendant"), new RegExp(`you chose <strong>${wrong}</strong>`));
    assert.match(h.html("summary"), /Act I<\/dt><dd[^>]*data-tone="bad">WRONG/);
    assert.match(h.html("summary"), /act1_prediction<\/th><td>[A-D]</);
    assert.throws(() => h.set("act1Lock", right[0].value), { name: "InputLockedError" });
    assert.throws(() => h.set("context", "edge"), { name: "InputLockedError" });

    // Start over, the other context: its own answer; a commit of it is correct.
    // The headless startOver keeps the locks' values; reopen both acts before committing again.
    h.startOver();
    await h.update({ act2Lock: null, act1Lock: null, context: "edge" });
    const edge = h.value<ActPrediction<ChoiceGrade>>("act1Prediction");
    const er = ["A", "B", "C", "D"].map((l) => edge.grade(l)).find((g) => g.correct)!;
    assert.equal(
      er.picked.predicted,
      maxUsers({
        model: "llama-3.1-8b",
        gpu: "jetson-orin-nx",
        precision: "int4",
        kvPrecision: "bf16",
        seqLen: 2048,
      }).maxUsers,
    );
    await h.update({ act1Lock: er.value });
    assert.throws(() => h.set("context", "cloud"), { name: "InputLockedError" });
    assert.match(h.html("summary"), /Act I<\/dt><dd[^>]*data-tone="ok">CORRECT/);
    assert.match(h.html("summary"), new RegExp(`Max users.*${er.picked.predicted}`, "s"));
    // Act II: a numeric estimate against core's TTFT, within 30 %.
    const ttft = serve({
      model: "llama-3.1-8b",
      gpu: "jetson-orin-nx",
      precision: "int4",
      batch: 32,
      prompt: 1024,
    }).ttftS * 1e3;
    await h.update({ act2Lock: Math.round(ttft * 1.1) });
    assert.equal(h.value<{ correct: boolean }>("act2").correct, true);
    assert.match(h.html("act2Reveal"), /data-kind="success"/);
    assert.match(h.html("summary"), /Act II<\/dt><dd[^>]*data-tone="ok">CORRECT/);
    assert.equal(h.errors().length, 1, "still only the broken cell");
  } finally {
    h.dispose();
  }
});

Deno.test("gallery: every input accepts a new value headless", async () => {
  const h = await runLab("gallery");
  try {
    await h.update({
      context: "edge",
      batch: 32,
      smoothing: 0.25,
      precision: 1,
      model: "toy-7b",
      paged: false,
      emphasis: true,
      note: "hello",
      clicks: 2,
      run: 1,
      view: "Users",
      picked: [0, 2],
      config: { replicas: 4, policy: "continuous" },
    });
    const v = h.html("inputValues");
    for (
      const [k, want] of Object.entries({
        context: "edge",
        batch: "32",
        smoothing: "0.25",
        precision: "1",
        model: "toy-7b",
        paged: "false",
        emphasis: "true",
        note: "hello",
        clicks: "2",
        run: "1",
        view: "Users",
        picked: "toy-7b, toy-70b",
        config: `{&quot;replicas&quot;:4,&quot;policy&quot;:&quot;continuous&quot;}`,
      })
    ) assert.ok(v.includes(`data-testid="value-${k}">${want}<`), `${k} → ${want}`);
    assert.match(h.html("message"), /Robotics platform lead/);
    // The inputs behind the lock take values once it is committed.
    await h.update({ act1Lock: "A" });
    await h.update({ reflect1: "B", act2Lock: 150 });
    assert.match(h.html("reflect1Feedback"), /data-kind="warn"/);
    assert.equal(h.value("act2Lock"), 150);
    assert.equal(h.errors().length, 1);
  } finally {
    h.dispose();
  }
});
