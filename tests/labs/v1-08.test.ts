/**
 * Lab v1-08 (The Training Gauntlet): every option of both acts graded from core (Act I: the
 * option nearest the memory stack on a log scale; Act II: the fitting plan with the shortest
 * step), a wrong pick graded wrong, a second commit refused, nothing of an act in the summary
 * before its commit, the OOM banner exactly when core's stack exceeds the usable memory, every
 * knob and slider extreme clean in both contexts, and the numbers checked against
 * reference/training.md §1.1 by hand (16 and 10 B/param; accelerate's 4× rule is 8).
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatGB } from "../../core/mod.ts";
import { assertClean, has } from "./_clean.ts";
import { assertActGraded, assertActOpen, assertNotShown, nearestText } from "./_checks.ts";
import { plainText } from "./_render.ts";
import {
  act1Answer,
  act1Options,
  act2Best,
  act2Options,
  act2Plans,
  type Context,
  microBatchSteps,
  paramsOf,
  SCENARIOS,
  type Setup,
  stackOf,
  stepOf,
  usableOf,
} from "../../labs/v1-08/scenario.ts";
import type { Recompute } from "../../core/training/mod.ts";

const CONTEXTS: Context[] = ["cloud", "workstation"];

Deno.test("v1-08: the numbers are the reference's (bytes per parameter, usable memory)", () => {
  for (const c of CONTEXTS) {
    const psi = paramsOf(c);
    const [inference, four, states, full] = act1Options(c).map((o) => o.predicted!);
    assert.equal(inference, 4 * psi); // bf16 weights, doubled
    assert.equal(four, 8 * psi); // accelerate: 4 × the bf16 model (S10)
    assert.equal(states, 16 * psi); // ZeRO mixed-precision Adam, K = 12 (S7)
    assert.equal(full, act1Answer(c));
    assert.ok(full > states);
    const s8 = stackOf(c, { setup: "adam8bit", recompute: "full", microBatch: 1 });
    assert.equal(s8.states, 10 * psi); // 8-bit Adam with the fp32 master kept (§1.1)
    const fp32 = stackOf(c, { setup: "fp32", recompute: "full", microBatch: 1 });
    assert.equal(fp32.states, 16 * psi); // fp32 AdamW: the same 16 as mixed precision
  }
  // Llama-2-7B: 6.74 B params → 107.8 GB of states; the H100's runtime sees 79.2 GiB.
  assert.equal(formatGB(16 * paramsOf("cloud"), 1), "107.8 GB");
  assert.equal(Math.round(usableOf("cloud") / 2 ** 30 * 10) / 10, 79.2);
  // The cloud run is over the line on its states alone; the 24 GB run only with activations.
  const c1 = stackOf("cloud", { setup: "mixed", recompute: "selective", microBatch: 4 });
  assert.ok(c1.states > c1.usable);
  const w1 = stackOf("workstation", { setup: "mixed", recompute: "selective", microBatch: 4 });
  assert.ok(w1.states < w1.usable && w1.total > w1.usable);
});

for (const context of CONTEXTS) {
  Deno.test(`v1-08 (${context}): every option of both acts is graded from core and final`, async () => {
    const h = await runLab("v1-08");
    try {
      await h.update({ context });
      const o1 = act1Options(context);
      assert.equal(new Set(o1.map((o) => o.predicted)).size, 4);
      assert.equal(nearestText(o1, act1Answer(context)), o1[3].text); // the full stack
      // Act II: exactly one plan is best, and it fits; at least one plan is out of memory.
      const o2 = act2Options(context);
      assert.equal(o2.filter((o) => o.correct).length, 1);
      const best = act2Plans(context)[act2Best(context)];
      assert.ok(stackOf(context, best.design).fits);
      assert.ok(act2Plans(context).some((p) => !stackOf(context, p.design).fits));
      for (const [j, p] of act2Plans(context).entries()) {
        const s = stackOf(context, p.design);
        if (s.fits && j !== act2Best(context)) {
          assert.ok(
            stepOf(context, p.design).stepTimeS > stepOf(context, best.design).stepTimeS,
          );
        }
      }
      const wants = [nearestText(o1, act1Answer(context)), o2.find((o) => o.correct)!.text];
      for (const [i, id] of ["act1", "act2"].entries()) {
        if (i === 1) await h.update({ act1Lock: "A" });
        await assertActGraded(h, context, {
          act: id,
          want: wants[i],
          clean: assertClean,
          whileOpen: i === 0
            ? () => {
              assertActOpen(h, "act1", ["act1Chart"]);
              assertNotShown(h, formatGB(act1Answer(context), 1), "act1");
            }
            : undefined,
        });
        h.startOver();
        await h.settled();
      }
    } finally {
      h.dispose();
    }
  });

  Deno.test(`v1-08 (${context}): OOM banner exactly when the stack is over the line; every knob clean`, async () => {
    const h = await runLab("v1-08");
    try {
      await h.update({ context });
      await h.update({ act1Lock: "B" });
      for (const microBatch1 of [1, 16]) {
        for (const seq1 of [512, 4096]) {
          await h.update({ microBatch1, seq1 });
          assertClean(h, `${context} act1 b=${microBatch1} s=${seq1}`);
        }
      }
      await h.update({ act2Lock: "C" });
      // Act II opens on the failed run: out of memory.
      assert.ok(has(h, "act2Verdict", "oom-banner"));
      assert.match(plainText(h.html("summary")), /OOM/);
      const steps = microBatchSteps(context);
      assert.equal(steps.at(-1), SCENARIOS[context].effectiveBatch);
      for (const setup of ["mixed", "fp32", "adam8bit"] as Setup[]) {
        for (const recompute of ["none", "selective", "full"] as Recompute[]) {
          for (const microBatch2 of [steps[0], 4, steps.at(-1)!]) {
            await h.update({ setup, recompute, microBatch2 });
            const where = `${context} ${setup} ${recompute} b=${microBatch2}`;
            assertClean(h, where);
            const s = stackOf(context, { setup, recompute, microBatch: microBatch2 });
            assert.equal(has(h, "act2Verdict", "oom-banner"), !s.fits, where);
            assert.equal(has(h, "act2Verdict", "fits-ok"), s.fits, where);
            assert.match(plainText(h.html("summary")), s.fits ? /Memory OK/ : /Memory OOM/, where);
            assert.ok(plainText(h.html("act2Metrics")).includes(formatGB(s.total, 1)), where);
          }
        }
      }
      // Reversible: the best plan clears the banner, and going back brings it back.
      const best = act2Plans(context)[act2Best(context)].design;
      await h.update({
        setup: best.setup,
        recompute: best.recompute,
        microBatch2: best.microBatch,
      });
      assert.ok(has(h, "act2Verdict", "fits-ok"));
      await h.update({ setup: "mixed", recompute: "selective", microBatch2: 4 });
      assert.ok(has(h, "act2Verdict", "oom-banner"));
    } finally {
      h.dispose();
    }
  });
}
