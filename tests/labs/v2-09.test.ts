/**
 * Lab v2-09 (The Optimization Trap): every option of both acts graded from core (Act I: the rung
 * with the largest speed-up alone, recomputed here from the ladder; Act II: the option nearest
 * the whole ladder's speed-up), a wrong pick graded wrong, a second commit refused, nothing of an
 * act in the summary before its commit, the target banner exactly when core's step after the
 * plan exceeds the target (and gone again when the plan is fixed), and every slider extreme clean.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import {
  formatRatio,
  lookupGpu,
  lookupTransformer,
  optimizationLadder,
  prepare,
  type RungId,
  RUNGS,
} from "../../core/mod.ts";
import {
  ACT1_RUNGS,
  act1Options,
  act2Answer,
  act2Options,
  type Context,
  SCENARIOS,
} from "../../labs/v2-09/scenario.ts";
import { assertClean } from "./_clean.ts";
import { assertActGraded, assertActOpen, assertNotShown, nearestText } from "./_checks.ts";
import { plainText } from "./_render.ts";

const CONTEXTS: Context[] = ["chat", "longdoc"];

/** The context's ladder, recomputed from core here (not through the lab's helpers). */
function ladder(context: Context, order: readonly RungId[], workload?: number) {
  const s = SCENARIOS[context];
  const p = prepare(lookupTransformer(s.modelId), lookupGpu(s.gpuId), s.tp);
  const w = workload ?? s.workload;
  const io = s.phase === "decode"
    ? { phase: "decode" as const, batch: w, tokens: s.fixed }
    : { phase: "prefill" as const, batch: s.fixed, tokens: w };
  return optimizationLadder(p, { ...io, order });
}
const stepAfter = (context: Context, order: readonly RungId[]) => {
  const l = ladder(context, order);
  return l.rungs.length ? l.rungs[l.rungs.length - 1].after.timeS : l.baseline.timeS;
};

/** Subsets of the rungs, as orders. */
const SUBSETS: RungId[][] = Array.from(
  { length: 32 },
  (_, m) => RUNGS.filter((_, i) => m & (1 << i)),
);

/** The fewest rungs that meet the target, per context (the design challenge's premise). */
const MINIMAL: Record<Context, RungId[]> = {
  chat: ["kernel-fusion", "cuda-graphs", "fp8"],
  longdoc: ["flash-attention", "fp8", "comm-overlap"],
};

/** A rung that buys under 5 % on the eager step of each context. */
const WASTED: Record<Context, RungId> = { chat: "flash-attention", longdoc: "fp8" };

Deno.test("v2-09: the trap is real — FP8 alone buys < 10 %, the right rung differs by context, the target needs three rungs", () => {
  const bestAlone: Record<Context, RungId> = { chat: "cuda-graphs", longdoc: "flash-attention" };
  for (const context of CONTEXTS) {
    const alone = (id: RungId) => ladder(context, [id]).totalSpeedup;
    assert.ok(alone("fp8") < 1.1, `${context}: FP8 alone ${alone("fp8")}`);
    const best = ACT1_RUNGS.reduce((a, b) => alone(b) > alone(a) ? b : a);
    assert.equal(best, bestAlone[context], context);
    // Kernel fusion, left out of Act I's options, is never the best single rung here.
    assert.ok(alone("kernel-fusion") < alone(best), context);
    // Only plans with at least three rungs meet the target, and the minimal one does.
    const target = SCENARIOS[context].targetS;
    for (const sub of SUBSETS) {
      if (sub.length < 3) assert.ok(stepAfter(context, sub) > target, `${context} ${sub}`);
    }
    assert.ok(stepAfter(context, MINIMAL[context]) <= target, context);
    // FP8 is needed at the end: the rung that bought nothing alone.
    assert.ok(stepAfter(context, RUNGS.filter((r) => r !== "fp8")) > target, context);
  }
});

for (const context of CONTEXTS) {
  Deno.test(`v2-09 (${context}): every option of both acts is graded from core and final`, async () => {
    const h = await runLab("v2-09");
    try {
      await h.update({ context });
      const alone = (id: RungId) => ladder(context, [id]).totalSpeedup;
      const best = ACT1_RUNGS.reduce((a, b) => alone(b) > alone(a) ? b : a);
      const o1 = act1Options(context);
      assert.equal(o1.filter((o) => o.correct).length, 1);
      const answer2 = ladder(context, RUNGS).totalSpeedup;
      assert.equal(act2Answer(context), answer2);
      const o2 = act2Options(context);
      assert.equal(new Set(o2.map((o) => formatRatio(o.predicted!, 1))).size, 4);
      for (const o of o2) {
        assert.ok(Number.isFinite(o.predicted) && o.predicted! > 0);
        assert.ok(o.predicted! / answer2 < 20 && answer2 / o.predicted! < 20, o.text);
      }
      assert.equal(nearestText(o2, answer2), o2[3].text);
      const acts = [
        { id: "act1", want: o1[ACT1_RUNGS.indexOf(best)].text },
        { id: "act2", want: nearestText(o2, answer2) },
      ];
      for (const [i, a] of acts.entries()) {
        if (i === 1) await h.update({ act1Lock: "A" });
        await assertActGraded(h, context, {
          act: a.id,
          want: a.want,
          clean: assertClean,
          whileOpen: i === 0
            ? () => assertActOpen(h, "act1", ["act1Singles", "act1Breakdown"])
            : () => {
              assertActOpen(h, "act2", ["act2Waterfall"]);
              assertNotShown(h, formatRatio(answer2, 1), "act2");
            },
        });
        h.startOver();
        await h.settled();
      }
    } finally {
      h.dispose();
    }
  });

  Deno.test(`v2-09 (${context}): target banner exactly when core misses it, reversible; sliders clean`, async () => {
    const h = await runLab("v2-09");
    try {
      await h.update({ context });
      await h.update({ act1Lock: "B" });
      await h.update({ act2Lock: "C" });
      for (const workload of SCENARIOS[context].workloadSteps) {
        await h.update({ workload });
        assertClean(h, `${context} workload ${workload}`);
        const b = ladder(context, [], workload).baseline;
        assert.ok(plainText(h.html("act1Breakdown")).includes(`it is ${b.bound}-bound`));
      }
      const target = SCENARIOS[context].targetS;
      const set = (order: readonly string[]) => {
        const r = [...order, "none", "none", "none", "none", "none"].slice(0, 5);
        return h.update({ rung1: r[0], rung2: r[1], rung3: r[2], rung4: r[3], rung5: r[4] });
      };
      const plans: RungId[][] = [
        [],
        ["fp8"],
        MINIMAL[context],
        [...RUNGS],
        ["fp8", "fp8", "flash-attention"],
        [...MINIMAL[context]].reverse(),
        ["comm-overlap", "cuda-graphs"],
        ...SUBSETS.filter((s) => s.length === 4),
      ];
      for (const order of plans) {
        await set(order);
        const where = `${context} ${order.join(">") || "none"}`;
        assertClean(h, where);
        const missed = stepAfter(context, order) > target;
        const verdict = h.html("act2Verdict");
        assert.equal(verdict.includes('data-testid="target-banner"'), missed, where);
        assert.equal(verdict.includes('data-testid="target-ok"'), !missed, where);
        assert.match(plainText(h.html("summary")), missed ? /VIOLATED/ : /MET/, where);
      }
      // Reversible: the default plan misses, the minimal plan meets it, back misses again.
      await set(["fp8"]);
      assert.match(h.html("act2Verdict"), /target-banner/);
      await set([WASTED[context]]);
      assert.match(h.html("act2Verdict"), /data-testid="wasted"/, `${WASTED[context]} alone`);
      await set(MINIMAL[context]);
      assert.match(h.html("act2Verdict"), /target-ok/);
      assert.doesNotMatch(h.html("act2Verdict"), /data-testid="wasted"/);
      // Chat: nothing left can gain 5 % (one GPU, no long prompt); long documents: CUDA graphs
      // and fusion can still shave the launch overhead off a 0.59 s step.
      assert.equal(/stop rule: stop here/.test(h.html("act2Metrics")), context === "chat");
      await set(RUNGS);
      assert.match(h.html("act2Metrics"), /stop rule: stop here/);
      await set(["fp8"]);
      assert.match(h.html("act2Verdict"), /target-banner/);
      // Climbing on after the stop rule fired is flagged, and the ledger records the plan whole.
      await set([...MINIMAL[context], ...RUNGS.filter((r) => !MINIMAL[context].includes(r))]);
      if (context === "chat") assert.match(plainText(h.html("act2Table")), /past the stop rule/);
      const ledger = plainText(h.html("summary"));
      assert.match(ledger, /constraint_hit false/);
      const gt = " (?:>|&gt;) ";
      assert.match(ledger, new RegExp(`act2_decision ${MINIMAL[context].join(gt)}${gt}`));
      await set(["fp8"]);
      assert.match(plainText(h.html("summary")), /constraint_hit true/);
      // A repeated rung is flagged.
      await set(["fp8", "fp8"]);
      assert.match(plainText(h.html("act2Table")), /already climbed/);
    } finally {
      h.dispose();
    }
  });
}
