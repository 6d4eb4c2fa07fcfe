/**
 * Lab v2-05 (The Parallelism Puzzle): every option of both acts graded from core (Act I: the
 * option nearest core's MFU on a log scale; Act II: the fitting candidate with the highest MFU,
 * recomputed here with trainStep and trainingMemory), a wrong pick graded wrong, a second commit
 * refused, nothing of an act in the summary before its commit, each failure banner exactly when
 * core says so, and every control's extremes clean in both contexts.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatPercent, lookupTransformer } from "../../core/mod.ts";
import {
  bubbleRatio,
  lookupCluster,
  ParallelConfigError,
  trainingMemory,
  trainStep,
} from "../../core/training/mod.ts";
import {
  act1Answer,
  act1Options,
  act1RampM,
  act2Options,
  type Context,
  frontier,
  type Layout,
  SCENARIOS,
} from "../../labs/v2-05/scenario.ts";
import { assertActGraded, assertActOpen, assertNotShown, nearestText } from "./_checks.ts";
import { assertCleanText } from "./_clean.ts";
import { plainText } from "./_render.ts";

const CONTEXTS: Context[] = ["selene", "h100"];

/** core's verdict on a layout, computed here without the lab's helpers. */
function coreVerdict(context: Context, l: Layout): "node" | "divide" | "batch" | "oom" | "ok" {
  const s = SCENARIOS[context];
  const cluster = lookupCluster(s.clusterId);
  if (l.tp > cluster.gpusPerNode) return "node";
  const dp = s.gpus / (l.tp * l.pp);
  if (!Number.isInteger(dp)) return "divide";
  const cfg = {
    ...l,
    model: lookupTransformer(s.modelId),
    cluster,
    dp,
    sp: l.tp > 1,
    seq: s.seq,
    globalBatch: s.globalBatch,
  };
  try {
    trainStep(cfg);
    return trainingMemory(cfg).fits ? "ok" : "oom";
  } catch (e) {
    if (e instanceof ParallelConfigError) return "batch";
    throw e;
  }
}

Deno.test("v2-05: Act I's beliefs are core's bubble ratio applied to the full-batch MFU", () => {
  for (const context of CONTEXTS) {
    const p = SCENARIOS[context].act1.pp, m = act1RampM(context);
    const [linear, spread, bubble, subtract] = act1Options(context).map((o) => o.predicted!);
    const known = trainStep({
      model: SCENARIOS[context].modelId,
      cluster: SCENARIOS[context].clusterId,
      tp: SCENARIOS[context].act1.tp,
      pp: p,
      dp: SCENARIOS[context].gpus / (SCENARIOS[context].act1.tp * p),
      sp: true,
      seq: SCENARIOS[context].seq,
      microBatch: 1,
      globalBatch: SCENARIOS[context].globalBatch,
      recompute: "selective",
      zeroStage: 1,
    });
    const M = known.microbatches;
    assert.equal(m, p, "the ramp starts at one microbatch per stage");
    assert.ok(Math.abs(linear - known.mfu) < 1e-12);
    assert.ok(
      Math.abs(spread - known.mfu * (1 + (p - 1) / (p * M)) / (1 + (p - 1) / (p * m))) < 1e-12,
    );
    assert.ok(
      Math.abs(bubble - known.mfu * (1 + bubbleRatio(p, M)) / (1 + bubbleRatio(p, m))) < 1e-12,
    );
    assert.ok(Math.abs(subtract - known.mfu * (1 - (p - 1) / m) / (1 - (p - 1) / M)) < 1e-12);
    // The physics lies below the bubble-only belief: the step's fixed costs are spread over m.
    const a = act1Answer(context);
    assert.ok(a < bubble && a > subtract, `${context}: ${a}`);
    assert.equal(nearestText(act1Options(context), a), act1Options(context)[2].text);
  }
});

Deno.test("v2-05: Act II's correct candidate is the fitting one with the highest MFU (recomputed)", () => {
  for (const context of CONTEXTS) {
    const s = SCENARIOS[context];
    let best = -1, bestMfu = -1;
    s.candidates.forEach((c, i) => {
      if (coreVerdict(context, c.layout) !== "ok") return;
      const dp = s.gpus / (c.layout.tp * c.layout.pp);
      const r = trainStep({
        ...c.layout,
        model: s.modelId,
        cluster: s.clusterId,
        dp,
        sp: c.layout.tp > 1,
        seq: s.seq,
        globalBatch: s.globalBatch,
      });
      if (r.mfu > bestMfu) [best, bestMfu] = [i, r.mfu];
    });
    const opts = act2Options(context);
    assert.deepEqual(opts.map((o) => o.correct), opts.map((_, i) => i === best));
    // At least one candidate is an OOM trap in each context.
    assert.ok(s.candidates.some((c) => coreVerdict(context, c.layout) === "oom"));
  }
  // The two contexts have different winners: TP 8 is right for 175B, too much for 39B.
  assert.notEqual(
    act2Options("selene").find((o) => o.correct)!.text.split(":")[0],
    act2Options("h100").find((o) => o.correct)!.text.split(":")[0],
  );
});

for (const context of CONTEXTS) {
  Deno.test(`v2-05 (${context}): every option of both acts is graded from core and final`, async () => {
    const h = await runLab("v2-05");
    try {
      await h.update({ context });
      const acts = [
        { id: "act1", want: nearestText(act1Options(context), act1Answer(context)) },
        { id: "act2", want: act2Options(context).find((o) => o.correct)!.text },
      ];
      for (const [i, a] of acts.entries()) {
        if (i === 1) await h.update({ act1Lock: "A" });
        await assertActGraded(h, context, {
          act: a.id,
          want: a.want,
          clean: assertCleanText,
          whileOpen: i === 0
            ? () => {
              assertActOpen(h, "act1", ["act1Chart"]);
              assertNotShown(h, formatPercent(act1Answer(context), 1), "act1");
            }
            : () => assertActOpen(h, "act2", ["act2Frontier"]),
        });
        h.startOver();
        await h.settled();
      }
    } finally {
      h.dispose();
    }
  });

  Deno.test(`v2-05 (${context}): failure banners exactly when core says; controls clean at their extremes`, async () => {
    const h = await runLab("v2-05");
    try {
      await h.update({ context });
      await h.update({ act1Lock: "B" });
      const s = SCENARIOS[context];
      for (const microbatches of [s.mSteps[0], s.mSteps.at(-1)!]) {
        for (const vpp of [s.vppSteps[0], s.vppSteps.at(-1)!]) {
          await h.update({ microbatches, vpp });
          assertCleanText(h, `${context} m ${microbatches} v ${vpp}`);
        }
      }
      await h.update({ act2Lock: "C" });
      const layouts: Layout[] = [];
      const odd = s.ppSteps.find((p) => s.gpus % (8 * p) !== 0)!;
      for (const tp of [1, 8, 16]) {
        for (const pp of [1, odd, s.ppSteps.at(-1)!]) {
          for (const microBatch of [1, 8]) {
            layouts.push({ tp, pp, microBatch, zeroStage: 1, recompute: "selective" });
          }
        }
      }
      for (const zeroStage of [0, 3] as const) {
        for (const recompute of ["none", "full"] as const) {
          layouts.push({ tp: 8, pp: 8, microBatch: 2, zeroStage, recompute });
          layouts.push({ tp: 1, pp: 1, microBatch: 4, zeroStage, recompute });
        }
      }
      const seen = new Set<string>();
      for (const l of layouts) {
        await h.update({ ...l });
        const where = `${context} ${JSON.stringify(l)}`;
        assertCleanText(h, where);
        const v = coreVerdict(context, l);
        seen.add(v);
        const verdict = h.html("act2Verdict");
        assert.equal(
          verdict.includes('data-testid="failure-banner"'),
          v === "node" || v === "divide" || v === "batch",
          where,
        );
        assert.equal(verdict.includes('data-testid="oom-banner"'), v === "oom", where);
        assert.equal(verdict.includes('data-testid="fits-ok"'), v === "ok", where);
        const hud = plainText(h.html("summary"));
        assert.match(hud, v === "ok" ? /Fit OK/ : v === "oom" ? /Fit OOM/ : /Fit FAILED/, where);
        assert.equal(h.html("act2Zero3").includes("zero3-caveat"), l.zeroStage === 3, where);
      }
      assert.deepEqual(
        [...seen].sort(),
        ["batch", "divide", "node", "ok", "oom"].filter((k) => seen.has(k)),
      );
      for (const k of ["node", "divide", "oom", "ok"]) {
        assert.ok(seen.has(k), `${context}: ${k} seen`);
      }
      // Reversible: back to a fitting layout, the banner clears.
      await h.update({ tp: 8, pp: 8, microBatch: 1, zeroStage: 1, recompute: "selective" });
      assert.equal(
        coreVerdict(context, { tp: 8, pp: 8, microBatch: 1, zeroStage: 1, recompute: "selective" }),
        "ok",
      );
      assert.match(h.html("act2Verdict"), /fits-ok/);
      // The frontier holds every legal layout; the chosen point is on it.
      assert.ok(frontier(context).length > 500);
      assert.ok(
        frontier(context).every((r) => Number.isFinite(r.mfu) && r.mfu > 0 && r.memGiB > 0),
      );
    } finally {
      h.dispose();
    }
  });
}
