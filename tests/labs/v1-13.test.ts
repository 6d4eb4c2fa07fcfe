/**
 * Lab v1-13 (The Tail Latency Trap): every option of both acts graded from core (the option
 * nearest the physics on a log scale), a wrong pick graded wrong, a second commit refused,
 * nothing of an act in the summary before its commit, the unstable-queue banner exactly when
 * core's replica model says ρ ≥ 1, and every slider extreme clean in both contexts.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatDuration, plural } from "../../core/mod.ts";
import {
  act1Answer,
  act1Options,
  act2Answer,
  act2Options,
  type Context,
  maxStableQps,
  replicaAt,
  SCENARIOS,
  simulate,
} from "../../labs/v1-13/scenario.ts";
import { assertActGraded, assertActOpen, assertNotShown, nearestText } from "./_checks.ts";
import { assertCleanText } from "./_clean.ts";
import { plainText } from "./_render.ts";

const CONTEXTS: Context[] = ["chat", "batch"];

for (const context of CONTEXTS) {
  Deno.test(`v1-13 (${context}): every option of both acts is graded from core and final`, async () => {
    const h = await runLab("v1-13");
    try {
      await h.update({ context });
      const acts = [
        { id: "act1", options: act1Options(context), answer: act1Answer(context) },
        { id: "act2", options: act2Options(context), answer: act2Answer(context) },
      ];
      // Four distinct computed options, the physics' nearest is the solver's own model.
      for (const a of acts) {
        assert.equal(
          new Set(a.options.map((o) => o.predicted)).size,
          4,
          `${a.id} options distinct`,
        );
        assert.ok(a.options.every((o) => Number.isFinite(o.predicted) && o.predicted! > 0));
      }
      assert.equal(nearestText(acts[1].options, acts[1].answer), acts[1].options[3].text);
      for (const [i, a] of acts.entries()) {
        if (i === 1) await h.update({ act1Lock: "A" }); // act 2's lock opens after act 1's commit
        await assertActGraded(h, context, {
          act: a.id,
          want: nearestText(a.options, a.answer),
          clean: assertCleanText,
          // Before the commit: the summary holds nothing of the act.
          whileOpen: i === 0
            ? () => {
              assertActOpen(h, "act1", ["act1Histogram"]);
              assertNotShown(h, formatDuration(a.answer, 1), "act1");
            }
            : undefined,
        });
        h.startOver();
        await h.settled();
      }
      // The reveal's numbers are core's: the act 2 reveal names the solver's count.
      await h.update({ context, act1Lock: "A" });
      await h.update({ act2Lock: "B" });
      assert.match(
        plainText(h.html("act2Reveal")),
        new RegExp(plural(act2Answer(context), "replica")),
      );
    } finally {
      h.dispose();
    }
  });

  Deno.test(`v1-13 (${context}): failure banner exactly when ρ ≥ 1; sliders clean at their extremes`, async () => {
    const h = await runLab("v1-13");
    try {
      await h.update({ context });
      await h.update({ act1Lock: "A" });
      await h.update({ act2Lock: "A" });
      const s = SCENARIOS[context];
      for (const load of [5, 98]) {
        await h.update({ load });
        assertCleanText(h, `${context} load ${load}`);
        const p99 = simulate(context, load / 100 * maxStableQps(context)).e2e.p99S;
        assert.ok(plainText(h.html("act1Metrics")).includes(formatDuration(p99, 1)));
      }
      for (const traffic of [0.25, 1, 3]) {
        for (const replicaCount of [1, 2, act2Answer(context) - 1, act2Answer(context), 24]) {
          await h.update({ traffic, replicaCount });
          const where = `${context} traffic ${traffic} replicas ${replicaCount}`;
          assertCleanText(h, where);
          const per = s.act2Qps * traffic / replicaCount;
          const m = replicaAt(context, per);
          const unstable = !(m.utilization < 1) || !m.stable;
          const verdict = h.html("act2Verdict");
          assert.equal(verdict.includes('data-testid="failure-banner"'), unstable, where);
          const missed = !unstable && simulate(context, per).e2e.p99S > s.sloP99S;
          assert.equal(verdict.includes('data-testid="slo-banner"'), missed, where);
          assert.equal(verdict.includes('data-testid="slo-ok"'), !unstable && !missed, where);
          const hud = plainText(h.html("summary"));
          assert.match(hud, unstable ? /FAILED/ : missed ? /VIOLATED/ : /MET/, where);
        }
      }
      // At launch traffic the solver's count meets the target in the simulation too, one fewer
      // misses it: the plan is tight, as the reveal says.
      await h.update({ traffic: 1, replicaCount: act2Answer(context) });
      assert.match(h.html("act2Verdict"), /slo-ok/);
      await h.update({ replicaCount: act2Answer(context) - 1 });
      assert.doesNotMatch(h.html("act2Verdict"), /slo-ok/);
    } finally {
      h.dispose();
    }
  });
}
