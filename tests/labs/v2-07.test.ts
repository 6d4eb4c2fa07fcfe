/**
 * Lab v2-07 (When Failure Is Routine): every option of both acts graded from core (the option
 * nearest the physics on a log scale), a wrong pick graded wrong, a second commit refused,
 * nothing of an act in the summary before its commit, the failure banners exactly when core
 * says goodput is under the floor or the write outlasts the interval, and every slider extreme
 * clean in both contexts.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatPercent, formatSpan } from "../../core/mod.ts";
import { failureProbability, jobMtbf } from "../../core/training/reliability.ts";
import {
  act1Answer,
  act1Options,
  act2Answer,
  act2Options,
  type Context,
  defaultStorage,
  GOODPUT_FLOOR,
  reportOf,
  RESTART_MIN,
  SCENARIOS,
} from "../../labs/v2-07/scenario.ts";
import { assertActGraded, assertActOpen, assertNotShown, nearestOption } from "./_checks.ts";
import { assertCleanText } from "./_clean.ts";
import { plainText } from "./_render.ts";

const CONTEXTS: Context[] = ["research", "frontier"];

Deno.test("v2-07 scenario: the numbers the lab teaches, checked against the reference rows", () => {
  // Llama 3 (K1): 16,384 H100 fail every 3.09 h; the research fleet every 49.5 h.
  assert.equal(Math.round(jobMtbf(16384) / 3600 * 100) / 100, 3.09);
  assert.equal(Math.round(jobMtbf(1024) / 3600 * 10) / 10, 49.5);
  // Act I answers: 1 − e^(−T/M) at the contexts' windows (48 h on 1,024; 4 h on 16,384).
  assert.equal(formatPercent(act1Answer("research"), 1), "62.1%");
  assert.equal(formatPercent(act1Answer("frontier"), 1), "72.6%");
  // Act II: frontier δ = 405.85 B × 14 B ÷ 2 TB/s = 2.84 s, τ* ≈ 4.2 min, 92.6 % at R = 10 min
  // (Llama 3 reports > 90 %); research δ = 70.6 B × 14 ÷ 57.5 GB/s = 17.2 s, τ* ≈ 41 min.
  assert.equal(formatSpan(act2Answer("frontier"), 1), "4.2 min");
  assert.equal(formatSpan(act2Answer("research"), 0), "41 min");
  const best = (c: Context) =>
    reportOf(c, {
      intervalMin: act2Answer(c) / 60,
      storage: defaultStorage(c),
      async: false,
      restartMin: RESTART_MIN,
    });
  assert.equal(Math.round(best("frontier").goodput * 1000) / 10, 92.6);
  assert.ok(best("research").goodput > 0.98);
  // Distractors are distinct, finite and within 20× of the answer; the solver's is nearest.
  for (const c of CONTEXTS) {
    for (
      const [opts, ans] of [[act1Options(c), act1Answer(c)], [
        act2Options(c),
        act2Answer(c),
      ]] as const
    ) {
      assert.equal(new Set(opts.map((o) => o.predicted)).size, 4);
      for (const o of opts) {
        assert.ok(Number.isFinite(o.predicted) && o.predicted! > 0);
        assert.ok(Math.abs(Math.log(o.predicted! / ans)) < Math.log(20), `${c}: ${o.text}`);
      }
    }
    assert.equal(nearestOption(act1Options(c), act1Answer(c)).text, act1Options(c)[3].text);
    assert.equal(nearestOption(act2Options(c), act2Answer(c)).text, act2Options(c)[2].text);
    assert.equal(
      act1Answer(c),
      failureProbability(SCENARIOS[c].windowHours * 3600, jobMtbf(SCENARIOS[c].gpus)),
    );
  }
});

for (const context of CONTEXTS) {
  Deno.test(`v2-07 (${context}): every option of both acts is graded from core and final`, async () => {
    const h = await runLab("v2-07");
    try {
      await h.update({ context });
      const acts = [
        { id: "act1", options: act1Options(context), answer: act1Answer(context) },
        { id: "act2", options: act2Options(context), answer: act2Answer(context) },
      ];
      for (const [i, a] of acts.entries()) {
        if (i === 1) await h.update({ act1Lock: "A" });
        await assertActGraded(h, context, {
          act: a.id,
          want: nearestOption(a.options, a.answer).text,
          clean: assertCleanText,
          whileOpen: i === 0
            ? () => {
              assertActOpen(h, "act1", ["act1PChart"]);
              assertNotShown(h, formatPercent(a.answer, 1), "act1");
            }
            : () => {
              assert.equal(h.state("act2Chart").status, "waiting");
              assert.doesNotMatch(plainText(h.html("summary")), /Goodput/);
            },
        });
        h.startOver();
        await h.settled();
      }
    } finally {
      h.dispose();
    }
  });

  Deno.test(`v2-07 (${context}): banners exactly when core says so; sliders clean at their extremes`, async () => {
    const h = await runLab("v2-07");
    try {
      await h.update({ context });
      await h.update({ act1Lock: "A" });
      for (const gpus of [8, 131072]) {
        for (const hours of [1, 720]) {
          await h.update({ gpus, hours });
          assertCleanText(h, `${context} gpus ${gpus} hours ${hours}`);
          const p = failureProbability(hours * 3600, jobMtbf(gpus));
          assert.ok(plainText(h.html("act1Metrics")).includes(formatPercent(p, 1)));
        }
      }
      await h.update({ act2Lock: "A" });
      let seen = { floor: 0, write: 0, ok: 0 };
      for (const intervalMin of [1, 5, 60, 480]) {
        for (const storageGBs of [1, 57.5, 7000]) {
          for (const asyncMode of [false, true]) {
            for (const restartMin of [1, 60]) {
              await h.update({ intervalMin, storageGBs, asyncMode, restartMin });
              const where =
                `${context} τ ${intervalMin} min, ${storageGBs} GB/s, async ${asyncMode}, R ${restartMin}`;
              assertCleanText(h, where);
              const r = reportOf(context, {
                intervalMin,
                storage: storageGBs * 1e9,
                async: asyncMode,
                restartMin,
              });
              const write = r.writeExceedsInterval, floor = !write && r.goodput < GOODPUT_FLOOR;
              const v = h.html("act2Verdict");
              assert.equal(v.includes('data-testid="write-banner"'), write, where);
              assert.equal(v.includes('data-testid="failure-banner"'), floor, where);
              assert.equal(v.includes('data-testid="goodput-ok"'), !write && !floor, where);
              assert.ok(plainText(h.html("act2Metrics")).includes(formatPercent(r.goodput, 1)));
              assert.match(
                plainText(h.html("summary")),
                write || floor ? /VIOLATED/ : /MET/,
                where,
              );
              seen = {
                floor: seen.floor + (floor ? 1 : 0),
                write: seen.write + (write ? 1 : 0),
                ok: seen.ok + (!write && !floor ? 1 : 0),
              };
            }
          }
        }
      }
      assert.ok(seen.floor > 0 && seen.write > 0 && seen.ok > 0, JSON.stringify(seen));
      // Reversible: the opening design (60 min, sync) and the best interval.
      await h.update({
        intervalMin: 60,
        storageGBs: defaultStorage(context) / 1e9,
        asyncMode: false,
        restartMin: RESTART_MIN,
      });
      const at60 = reportOf(context, {
        intervalMin: 60,
        storage: defaultStorage(context),
        async: false,
        restartMin: RESTART_MIN,
      });
      assert.equal(h.html("act2Verdict").includes("failure-banner"), at60.goodput < GOODPUT_FLOOR);
      await h.update({ intervalMin: context === "frontier" ? 4 : 45 });
      assert.match(h.html("act2Verdict"), /goodput-ok/);
    } finally {
      h.dispose();
    }
  });
}
