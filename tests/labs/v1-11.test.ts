/**
 * Lab v1-11 headless: every context × prediction option of both acts, the sliders at their
 * extremes on every accelerator and precision, no cell error and nothing non-finite on screen;
 * the option graded correct is the one core's roofline selects; the failure banners show exactly
 * when the physics says so.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { assertClean, has } from "./_clean.ts";
import { ridgePoint, roofline, squareGemm } from "../../core/mod.ts";
import {
  ACCELERATORS,
  ACT1_N,
  act1Actual,
  act1Correct,
  act1Options,
  act2Actual,
  act2Correct,
  act2Options,
  type Context,
  DEVICES,
  MFU_TARGET,
  N_STEPS,
  PRECISION_OPTIONS,
} from "../../labs/v1-11/scenario.ts";

const CONTEXTS: readonly Context[] = ["cloud", "edge"];

Deno.test("v1-11: before the lock the instruments wait; the HUD and ledger show", async () => {
  const h = await runLab("v1-11");
  assertClean(h, "initial");
  assert.equal(h.state("act1Chart").status, "waiting");
  assert.equal(h.html("act1Chart"), "");
  assert.match(h.html("unlocked1"), /Select your prediction to continue/);
  assert.equal(h.html("act2Lock"), "", "Act II's lock waits on Act I");
  assert.match(h.html("hud"), /OPEN/);
  await h.update({ act1: "A" });
  assert.equal(h.state("act2Chart").status, "waiting", "Act II waits on its own lock");
  assert.match(h.html("act2Lock"), /Commit prediction|Prediction lock/);
  h.dispose();
});

Deno.test("v1-11 options: computed from the roofline; the correct one is the solver's", () => {
  for (const context of CONTEXTS) {
    const gpu = DEVICES[context];
    const w = squareGemm(ACT1_N[context], "bf16");
    const real = roofline({ flops: w.flops, bytes: w.bytes, gpu, precision: "bf16" });
    const o1 = act1Options(context);
    assert.equal(o1.length, 4);
    assert.equal(act1Actual(context).mfu, real.mfu);
    assert.equal(real.bound, "bandwidth", `${context}: Act I's GEMM is memory-bound`);
    // MFU below the ridge is AI / ridge.
    assert.ok(Math.abs(real.mfu - w.intensity / ridgePoint(gpu, "bf16")) < 1e-12);
    assert.equal(act1Correct(context).predicted, real.mfu, "the correct option is the roofline");
    assert.deepEqual(
      o1.map((o) => o.predicted),
      [...o1.map((o) => o.predicted)].sort((a, b) => a - b),
    );

    const o2 = act2Options(context);
    assert.equal(act2Correct(context).predicted, act2Actual(context));
    assert.ok(Math.abs(act2Actual(context) - 1) < 0.01, `${context}: the crossing N stays put`);
    assert.equal(new Set(o2.map((o) => o.label)).size, 4);
  }
});

Deno.test("v1-11: every context × Act I and Act II option is clean and graded", async () => {
  const h = await runLab("v1-11");
  for (const context of CONTEXTS) {
    const right1 = act1Correct(context).value, right2 = act2Correct(context).value;
    for (const act1 of ["A", "B", "C", "D"]) {
      for (const act2 of ["A", "B", "C", "D"]) {
        await h.update({ context, act1, act2 });
        const where = `${context}/${act1}/${act2}`;
        assertClean(h, where);
        const hud = h.html("hud");
        assert.match(
          hud,
          new RegExp(`Act I</dt><dd[^>]*>${act1 === right1 ? "CORRECT" : "WRONG"}`),
        );
        assert.match(
          hud,
          new RegExp(`Act II</dt><dd[^>]*>${act2 === right2 ? "CORRECT" : "WRONG"}`),
        );
        assert.match(
          h.html("act1Overlay"),
          act1 === right1 ? /Correct\./ : new RegExp(`The answer is ${right1}`),
          where,
        );
        assert.match(
          h.html("act2Feedback"),
          act2 === right2 ? /Correct\./ : new RegExp(`The answer is ${right2}`),
          where,
        );
        assert.match(h.html("act1Overlay"), /Ratio actual \/ predicted = <span[^>]*>[\d.]+×/);
      }
    }
  }
  h.dispose();
});

Deno.test("v1-11: slider extremes on every accelerator and precision; banners follow the physics", async () => {
  const h = await runLab("v1-11");
  await h.update({ act1: "B", act2: "B" });
  const extremes = [N_STEPS[0], N_STEPS[N_STEPS.length - 1]];
  let oom = 0, slow = 0, met = 0;
  for (const gpu of ACCELERATORS) {
    for (const precision of Object.values(PRECISION_OPTIONS)) {
      for (const n of [...extremes, 2048]) {
        await h.update({ gpu, precision, n, n2: n });
        const where = `${gpu}/${precision}/${n}`;
        assertClean(h, where);
        const w = squareGemm(n, precision);
        const r = roofline({ flops: w.flops, bytes: w.bytes, gpu, precision });
        const fits = w.bytes <= h.value<{ gpu: { runtimeMemoryBytes: number } }>("point2").gpu
          .runtimeMemoryBytes;
        assert.equal(h.value<{ mfu: number }>("point2").mfu, r.mfu, where);
        assert.equal(has(h, "act2Verdict", "oom"), !fits, `OOM banner ${where}`);
        assert.equal(
          has(h, "act2Verdict", "memory-bound"),
          fits && r.mfu < MFU_TARGET,
          `memory-bound banner ${where}`,
        );
        assert.equal(has(h, "act2Verdict", "target-met"), fits && r.mfu >= MFU_TARGET, where);
        if (!fits) oom++;
        else if (r.mfu < MFU_TARGET) slow++;
        else met++;
      }
    }
  }
  assert.ok(oom > 0 && slow > 0 && met > 0, `every outcome reached: ${oom}/${slow}/${met}`);
  h.dispose();
});

Deno.test("v1-11: the chart's point moves with N, precision and accelerator", async () => {
  const h = await runLab("v1-11");
  await h.update({ act1: "C", act2: "C", gpu: "h100-sxm", precision: "bf16", n2: 256 });
  const at = () => h.value<{ ai: number; attainable: number }>("point2");
  const small = at();
  await h.update({ n2: 4096 });
  assert.ok(at().ai > small.ai && at().attainable > small.attainable);
  await h.update({ precision: "fp8" });
  assert.ok(at().ai > 2 * small.ai);
  await h.update({ gpu: "jetson-orin-nx" });
  assert.match(h.html("act2Chart"), /Jetson Orin NX/);
  h.dispose();
});
