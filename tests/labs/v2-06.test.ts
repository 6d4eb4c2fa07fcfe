/**
 * Lab v2-06 (Collective Communication): every option of both acts graded from core (Act I: the
 * option nearest core's all-reduce time on a log scale; Act II: the band core's exposed share
 * falls in), a wrong pick graded wrong, a second commit refused, nothing of an act in the page
 * before its commit, the over-budget banner exactly when core's bucket timeline says so, and every
 * slider and choice at its extremes clean in both contexts.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatDuration } from "../../core/mod.ts";
import {
  act1Answer,
  act1Options,
  act2Options,
  act2Result,
  act2Share,
  allReduce,
  type Context,
  DEFAULT_SETUP,
  gradBytes,
  measuredRows,
  ringAnatomy,
  SCENARIOS,
} from "../../labs/v2-06/scenario.ts";
import {
  assertActGraded,
  assertActOpen,
  assertNotShown,
  nearestText,
  reopenAct,
} from "./_checks.ts";
import { assertCleanText } from "./_clean.ts";
import { plainText } from "./_render.ts";

const CONTEXTS: Context[] = ["node", "cluster"];

Deno.test("v2-06: the options are plausible, distinct mental models; Act II bands differ by context", () => {
  for (const c of CONTEXTS) {
    const o = act1Options(c).map((x) => x.predicted!).sort((a, b) => a - b);
    const a = act1Answer(c);
    assert.ok(o.every((x) => Number.isFinite(x) && x > 0 && x / a < 20 && a / x < 20), `${c}`);
    for (let i = 1; i < 4; i++) assert.ok(o[i] / o[i - 1] > 1.4, `${c}: options ${o} too close`);
    assert.equal(act2Options(c).filter((x) => x.correct).length, 1, `${c}: one Act II band`);
  }
  // In one node the default 25 MB buckets hide behind backward; across nodes they expose more
  // than one whole all-reduce (a bucket's latency × 1,285 buckets).
  assert.ok(act2Share("node") < 0.1, `${act2Share("node")}`); // 6.6 % (NVLS buckets)
  assert.ok(act2Share("cluster") > 1, `${act2Share("cluster")}`);
  // The 16 GiB measured rows (J6) sit within 15 % of the fit the answers use.
  for (const c of CONTEXTS) {
    const n = SCENARIOS[c].gpus;
    const m = measuredRows(c, n).find((r) => r.mib === 16384)!;
    const t = allReduce(c, 16 * 2 ** 30, n).timeS * 1e3;
    assert.ok(Math.abs(t / m.ms - 1) < 0.15, `${c}: ${t} vs ${m.ms}`);
  }
});

for (const context of CONTEXTS) {
  Deno.test(`v2-06 (${context}): every option of both acts is graded from core and final`, async () => {
    const h = await runLab("v2-06");
    try {
      await h.update({ context });
      const acts = [
        { id: "act1", options: act1Options(context), answer: act1Answer(context) as number | null },
        { id: "act2", options: act2Options(context), answer: null },
      ];
      for (const [i, a] of acts.entries()) {
        await reopenAct(h, context, a.id);
        await assertActGraded(h, context, {
          act: a.id,
          want: a.answer !== null
            ? nearestText(a.options, a.answer)
            : a.options.find((o) => o.correct)!.text,
          clean: assertCleanText,
          // Before the commit nothing of the act shows.
          whileOpen: () => {
            assertActOpen(h, a.id, [i === 0 ? "act1Chart" : "act2Curve"]);
            if (a.answer !== null) assertNotShown(h, formatDuration(a.answer, 1), "act1");
          },
        });
      }
    } finally {
      h.dispose();
    }
  });

  Deno.test(`v2-06 (${context}): over-budget banner exactly when core says; every knob clean`, async () => {
    const h = await runLab("v2-06");
    try {
      await h.update({ context });
      await h.update({ act1Lock: "A" });
      const steps = SCENARIOS[context].gpuSteps;
      for (const gpus1 of [steps[0], steps[steps.length - 1], SCENARIOS[context].gpus]) {
        await h.update({ gpus1 });
        assertCleanText(h, `${context} gpus ${gpus1}`);
        const t = allReduce(context, gradBytes(), gpus1).timeS;
        assert.ok(plainText(h.html("act1Metrics")).includes(formatDuration(t, 1)), `gpus ${gpus1}`);
        // All-reduce = reduce-scatter + all-gather, on the ring.
        const a = ringAnatomy(gradBytes(), gpus1);
        assert.ok(Math.abs(a.reduceScatterS + a.allGatherS - a.allReduceS) < 1e-12 * a.allReduceS);
        assert.ok(plainText(h.html("act1Anatomy")).includes(formatDuration(a.allReduceS, 1)));
      }
      await h.update({ act2Lock: "B" });
      const algorithms = ["fastest", ...SCENARIOS[context].algorithms] as const;
      const seen = { over: 0, ok: 0 };
      for (const bucketMb of [1, 25, 250, 40000]) {
        for (const algorithm of algorithms) {
          for (const wire of ["fp32", "bf16"] as const) {
            for (const overlap of [true, false]) {
              for (const microBatch of [1, 4]) {
                await h.update({ bucketMb, algorithm, wire, overlap, microBatch });
                const where =
                  `${context} ${bucketMb} MB ${algorithm} ${wire} ${overlap} ${microBatch}`;
                assertCleanText(h, where);
                const r = act2Result(context, {
                  bucketBytes: bucketMb * 1e6,
                  algorithm,
                  wire,
                  overlap,
                  microBatch,
                });
                const verdict = h.html("act2Verdict");
                assert.equal(verdict.includes('data-testid="failure-banner"'), r.over, where);
                assert.equal(verdict.includes('data-testid="budget-ok"'), !r.over, where);
                assert.match(plainText(h.html("summary")), r.over ? /VIOLATED/ : /MET/, where);
                seen[r.over ? "over" : "ok"]++;
              }
            }
          }
        }
      }
      assert.ok(seen.over > 0 && seen.ok > 0, `both states reachable: ${JSON.stringify(seen)}`);
      // Reversible: the defaults' state, then a fix, then the defaults again.
      const d = { ...DEFAULT_SETUP, bucketMb: 25 };
      const { bucketBytes: _b, ...knobs } = d;
      await h.update({ ...knobs, bucketMb: 25 });
      const atDefault = act2Result(context, DEFAULT_SETUP).over;
      assert.equal(h.html("act2Verdict").includes("failure-banner"), atDefault);
      await h.update({ wire: "bf16", bucketMb: 250 });
      assert.match(h.html("act2Verdict"), /budget-ok/);
      await h.update({ wire: "fp32", bucketMb: 25 });
      assert.equal(h.html("act2Verdict").includes("failure-banner"), atDefault);
    } finally {
      h.dispose();
    }
  });
}
