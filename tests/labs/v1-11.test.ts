/**
 * Lab v1-11 headless: the act structure holds (nothing of an act before its commit, a commit is
 * final and freezes the context), the correct letter of each act is the option whose number is
 * core's roofline and it moves between acts and contexts, every context × option of both acts
 * renders clean and is graded, the sliders at their extremes on every accelerator and precision
 * show the failure banners exactly when the physics says so.
 */
import assert from "node:assert/strict";
import { type HeadlessLab, runLab } from "../../runtime/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";
import type { ChoiceGrade } from "../../cells/mod.ts";
import { assertClean, has } from "./_clean.ts";
import {
  bytesPerElement,
  formatTflops,
  lookupGpu,
  peakData,
  peakFlops,
  ridgePoint,
  roofline,
  squareGemm,
} from "../../core/mod.ts";
import {
  ACCELERATORS,
  ACT1_N,
  act1Options,
  ACT2_LOW,
  act2Options,
  type Context,
  crossingN,
  DEVICES,
  MFU_TARGET,
  N_STEPS,
  PRECISION_OPTIONS,
} from "../../labs/v1-11/scenario.ts";

const CONTEXTS: readonly Context[] = ["cloud", "edge"];
const LETTERS = ["A", "B", "C", "D"] as const;

/** Act I's physics: the scenario GEMM's MFU, straight from core's roofline. */
function act1Physics(context: Context): number {
  const w = squareGemm(ACT1_N[context], "bf16");
  return roofline({ flops: w.flops, bytes: w.bytes, gpu: DEVICES[context], precision: "bf16" })
    .mfu;
}

/** Act II's physics: ridge-crossing N at the low precision ÷ in BF16, from core's ridge points. */
function act2Physics(context: Context): number {
  const gpu = DEVICES[context], low = ACT2_LOW[context];
  const n = (p: typeof low) => ridgePoint(gpu, p) / squareGemm(1, p).intensity;
  return n(low) / n("bf16");
}

/**
 * The letter whose option predicts core's number (found from the lab's lettering, not from its
 * grading), with the grade of every letter.
 */
function physicsLetter(h: HeadlessLab, act: "act1" | "act2", physics: number) {
  const p = h.value<ActPrediction<ChoiceGrade>>(`${act}Prediction`);
  const grades = LETTERS.map((l) => p.grade(l));
  const hits = grades.filter((g) => Math.abs(g.picked.predicted! / physics - 1) < 1e-9);
  assert.equal(hits.length, 1, `${act}: exactly one option predicts ${physics}`);
  return { right: hits[0].value, grades };
}

/** A fresh lab in `context` with Act I committed to `pick` (the physics' letter by default). */
async function committed(context: Context, pick?: string) {
  const h = await runLab("v1-11");
  await h.update({ context });
  const right = physicsLetter(h, "act1", act1Physics(context)).right;
  await h.update({ act1Lock: pick ?? right });
  return { h, right };
}

Deno.test("v1-11: before each commit the HUD and ledger show nothing the act computes", async () => {
  const h = await runLab("v1-11");
  assertClean(h, "initial");
  assert.deepEqual(h.state("act1Chart"), { status: "waiting", on: "act1", reason: "stopped" });
  assert.equal(h.html("act1Chart"), "", "Act I's instruments wait on its lock");
  assert.match(h.html("act1"), /Commit your prediction to continue/);
  assert.equal(h.html("act2Lock"), "", "Act II's lock waits until Act I is committed");
  assert.equal(h.state("act2Chart").status, "waiting");
  const mfu1 = act1Physics("cloud");
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  let summary = h.html("summary");
  assert.match(summary, /Act I<\/dt><dd[^>]*>OPEN/);
  assert.match(summary, /Act II<\/dt><dd[^>]*>—/);
  assert.ok(!summary.includes(pct(mfu1)), `the HUD holds Act I's ${pct(mfu1)} before its commit`);
  assert.ok(!summary.includes(`${Math.round(mfu1 * 100)}%`));
  assert.doesNotMatch(summary, /FLOP\/B|mfu_pct|workload_ai|ridge_boundary_dimension|act2_/);

  // Act I committed: its record shows; Act II's (the FP8 crossing, the design) does not.
  const right = physicsLetter(h, "act1", mfu1).right;
  await h.update({ act1Lock: right });
  summary = h.html("summary");
  assert.match(summary, /Act I<\/dt><dd[^>]*>CORRECT/);
  assert.match(summary, /Act II<\/dt><dd[^>]*>OPEN/);
  assert.ok(summary.includes(`MFU</dt><dd`) && summary.includes(pct(mfu1)));
  assert.match(summary, /mfu_pct/);
  const fp8Crossing = Math.ceil(crossingN(DEVICES.cloud, "fp8"));
  assert.ok(!summary.includes(String(fp8Crossing)), `the FP8 crossing ${fp8Crossing} is behind II`);
  assert.doesNotMatch(summary, /Design (MFU|<)|ridge_boundary_dimension|act2_result|act2_decision/);
  assert.equal(h.state("act2Chart").status, "waiting", "Act II waits on its own lock");
  assert.match(h.html("act2Lock"), /Prediction lock · Act II/);

  // Act II committed: its record is written whole.
  await h.update({ act2Lock: physicsLetter(h, "act2", act2Physics("cloud")).right });
  summary = h.html("summary");
  assert.match(summary, /Act II<\/dt><dd[^>]*>CORRECT/);
  assert.match(summary, new RegExp(`ridge_boundary_dimension</th><td>${fp8Crossing}<`));
  assert.match(summary, /act2_decision<\/th><td>fp8, N=256, h100-sxm</);
  assert.match(summary, /Design<\/dt><dd[^>]*>VIOLATED/, "N = 256 in FP8 is still memory-bound");
  h.dispose();
});

Deno.test("v1-11: a commit is final; the context freezes with Act I; start over releases it", async () => {
  const h = await runLab("v1-11");
  const { right } = physicsLetter(h, "act1", act1Physics("cloud"));
  const wrong = right === "A" ? "B" : "A";
  await h.update({ act1Lock: wrong });
  assert.throws(() => h.set("act1Lock", right), { name: "InputLockedError" });
  assert.throws(() => h.set("context", "edge"), { name: "InputLockedError" });
  assert.match(h.html("summary"), /Act I<\/dt><dd[^>]*>WRONG/);
  assert.match(h.html("summary"), new RegExp(`act1_prediction</th><td>${wrong}<`));
  assert.match(h.html("act1Reveal"), new RegExp(`physics picks ${right}\\.`));
  const r2 = physicsLetter(h, "act2", act2Physics("cloud")).right;
  await h.update({ act2Lock: r2 });
  assert.throws(() => h.set("act2Lock", r2 === "A" ? "B" : "A"), { name: "InputLockedError" });
  h.startOver();
  await h.update({ context: "edge" });
  const e = physicsLetter(h, "act1", act1Physics("edge"));
  await h.update({ act1Lock: e.right });
  assert.match(h.html("summary"), /Context<\/dt><dd[^>]*>EDGE/);
  assert.match(h.html("summary"), /Act I<\/dt><dd[^>]*>CORRECT/);
  assert.match(h.html("act1Reveal"), /Correct\./);
  h.dispose();
});

Deno.test("v1-11 options: computed from core, plausible, and the correct letter moves", async () => {
  const letters: Record<string, string> = {};
  for (const context of CONTEXTS) {
    const gpu = DEVICES[context], low = ACT2_LOW[context];
    const w = squareGemm(ACT1_N[context], "bf16");
    const mfu = (flops: number, bytes: number) =>
      roofline({ flops, bytes, gpu, precision: "bf16" }).mfu;
    const real = act1Physics(context);
    assert.ok(real < MFU_TARGET, `${context}: Act I's GEMM is memory-bound`);
    assert.ok(Math.abs(real - w.intensity / ridgePoint(gpu, "bf16")) < 1e-12, "AI / ridge");
    // The four beliefs: no bytes, one matrix of traffic, the roofline, multiply-adds as FLOPs.
    assert.deepEqual(act1Options(context).map((o) => o.predicted), [
      mfu(w.flops, 0),
      mfu(w.flops, w.bytes / 3),
      real,
      mfu(w.flops / 2, w.bytes),
    ]);
    const bytes = bytesPerElement(low) / bytesPerElement("bf16");
    const peak = peakFlops(lookupGpu(gpu), low) / peakFlops(lookupGpu(gpu), "bf16");
    assert.equal(bytes, 0.5, `${context}: ${low} halves the bytes per element`);
    assert.ok(Math.abs(peak - 2) < 1e-3, `${context}: ${low} doubles the dense peak`);
    const ratios = act2Options(context).map((o) => o.predicted!);
    assert.deepEqual(ratios, [bytes, peak, act2Physics(context), peak / bytes]);
    assert.ok(Math.abs(act2Physics(context) - 1) < 0.01, `${context}: the crossing N stays put`);
    // Distractors are mental models applied to the scenario: within 10× of the physics.
    for (
      const [vals, truth] of [[act1Options(context).map((o) => o.predicted!), real], [
        ratios,
        act2Physics(context),
      ]] as const
    ) {
      for (const v of vals) assert.ok(v / truth < 10 && truth / v < 10, `${context}: ${v}`);
    }

    const { h, right } = await committed(context);
    letters[`${context}/act1`] = right;
    const g1 = physicsLetter(h, "act1", real).grades;
    assert.deepEqual(g1.map((g) => g.correct), g1.map((g) => g.value === right));
    const a2 = physicsLetter(h, "act2", act2Physics(context));
    assert.deepEqual(a2.grades.map((g) => g.correct), a2.grades.map((g) => g.value === a2.right));
    letters[`${context}/act2`] = a2.right;
    h.dispose();
  }
  // The correct letter is not one slot: it differs between the contexts and between the acts.
  assert.notEqual(letters["cloud/act1"], letters["edge/act1"], JSON.stringify(letters));
  assert.notEqual(letters["cloud/act2"], letters["edge/act2"], JSON.stringify(letters));
  for (const c of CONTEXTS) assert.notEqual(letters[`${c}/act1`], letters[`${c}/act2`]);
});

Deno.test("v1-11: every context × Act I and Act II option is clean and graded", async () => {
  for (const context of CONTEXTS) {
    const { h, right: right1 } = await committed(context);
    const right2 = physicsLetter(h, "act2", act2Physics(context)).right;
    for (const act1 of LETTERS) {
      for (const act2 of LETTERS) {
        h.startOver();
        await h.update({ context, act1Lock: act1 });
        await h.update({ act2Lock: act2 });
        const where = `${context}/${act1}/${act2}`;
        assertClean(h, where);
        const hud = h.html("summary");
        const verdict = (pick: string, right: string) => pick === right ? "CORRECT" : "WRONG";
        assert.match(hud, new RegExp(`Act I</dt><dd[^>]*>${verdict(act1, right1)}`), where);
        assert.match(hud, new RegExp(`Act II</dt><dd[^>]*>${verdict(act2, right2)}`), where);
        for (const [act, pick, right] of [["act1", act1, right1], ["act2", act2, right2]]) {
          const reveal = h.html(`${act}Reveal`);
          assert.match(
            reveal,
            pick === right ? /Correct\./ : new RegExp(`physics picks ${right}\\.`),
            where,
          );
          assert.match(reveal, /Ratio physics \/ pick = <span[^>]*>[\d.]+×/, where);
        }
        for (const { cell, html } of h.htmlAll()) {
          assert.doesNotMatch(html, /the answer is|you predicted/i, `${where}: ${cell}`);
        }
      }
    }
    h.dispose();
  }
});

Deno.test("v1-11: slider extremes on every accelerator and precision; banners follow the physics", async () => {
  const { h } = await committed("cloud", "B");
  await h.update({ act2Lock: "B" });
  const extremes = [N_STEPS[0], N_STEPS[N_STEPS.length - 1]];
  let oom = 0, slow = 0, met = 0, none = 0;
  for (const gpu of ACCELERATORS) {
    for (const precision of Object.values(PRECISION_OPTIONS)) {
      for (const n of [...extremes, 2048]) {
        await h.update({ gpu, precision, n, n2: n });
        const where = `${gpu}/${precision}/${n}`;
        assertClean(h, where);
        if (peakData(lookupGpu(gpu), precision).kind === "none") {
          // No datasheet peak: "no data", no roof, no verdict on the target — and no error.
          assert.equal(has(h, "act2Verdict", "no-data"), true, where);
          assert.equal(has(h, "act2Chart", "act2-no-peak"), true, where);
          assert.match(h.html("act2Metrics"), /no data/, where);
          assert.match(h.html("summary"), /Design<\/dt><dd[^>]*>NO DATA</, where);
          none++;
          continue;
        }
        const w = squareGemm(n, precision);
        const r = roofline({ flops: w.flops, bytes: w.bytes, gpu, precision });
        const fits = w.bytes <= h.value<{ gpu: { runtimeMemoryBytes: number } }>("point2").gpu
          .runtimeMemoryBytes;
        assert.equal(h.value<{ mfu: number }>("point2").mfu, r.mfu, where);
        const w1 = squareGemm(n, "bf16");
        const r1 = roofline({ flops: w1.flops, bytes: w1.bytes, gpu, precision: "bf16" });
        assert.equal(h.value<{ mfu: number }>("point1").mfu, r1.mfu, where);
        assert.equal(has(h, "act2Verdict", "oom"), !fits, `OOM banner ${where}`);
        assert.equal(
          has(h, "act2Verdict", "memory-bound"),
          fits && r.mfu < MFU_TARGET,
          `memory-bound banner ${where}`,
        );
        assert.equal(has(h, "act2Verdict", "target-met"), fits && r.mfu >= MFU_TARGET, where);
        const design = !fits ? "OOM" : r.mfu < MFU_TARGET ? "VIOLATED" : "MET";
        assert.match(h.html("summary"), new RegExp(`Design</dt><dd[^>]*>${design}<`), where);
        if (!fits) oom++;
        else if (r.mfu < MFU_TARGET) slow++;
        else met++;
      }
    }
  }
  assert.ok(
    oom > 0 && slow > 0 && met > 0 && none > 0,
    `every outcome reached: ${oom}/${slow}/${met}/${none}`,
  );
  h.dispose();
});

Deno.test("v1-11: no fixed phrase of the lab's files states an answer", async () => {
  for (const f of ["v1-11.ts", "v1-11/scenario.ts", "v1-11/chart.ts"]) {
    const text = await Deno.readTextFile(new URL(`../../labs/${f}`, import.meta.url));
    assert.doesNotMatch(text, /the answer is|you predicted/i, f);
    assert.doesNotMatch(text, /predictionLock|predictionOverlay|hudFooter|ledgerSave|\.after\(/, f);
  }
});

Deno.test("v1-11: the chart's point moves with N, precision and accelerator", async () => {
  const { h } = await committed("cloud", "C");
  await h.update({ act2Lock: "C" });
  await h.update({ gpu: "h100-sxm", precision: "bf16", n2: 256 });
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

Deno.test("v1-11: the peak caption is core's peakData note; B200 FP32 is its 80 TF datasheet figure", async () => {
  const { h } = await committed("cloud", "A");
  await h.update({ act2Lock: "A" });
  const caption = () => text(h.html("act2Metrics"));
  const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  // B200 FP32: a datasheet figure on CUDA cores — not BF16 ÷ 4 (562.5), not "tensor cores".
  const b200 = lookupGpu("b200");
  assert.equal(peakData(b200, "fp32").kind, "native");
  assert.equal(peakFlops(b200, "fp32"), 80e12);
  await h.update({ gpu: "b200", precision: "fp32" });
  assert.ok(caption().includes(`${formatTflops(80e12)} ${peakData(b200, "fp32").note}`), caption());
  assert.doesNotMatch(caption(), /562\.5|tensor cores|runs at the BF16 peak/);
  // A100 FP8: no FP8 units, so the BF16 peak, in core's words.
  await h.update({ gpu: "a100-80gb", precision: "fp8" });
  assert.ok(caption().includes(peakData(lookupGpu("a100-80gb"), "fp8").note), caption());
  assert.match(caption(), /no FP8 units: runs at the BF16 peak/);
  // TPU v5e FP32: no datasheet figure — "no data", nothing invented, no cell error.
  const tpu = lookupGpu("tpu-v5e");
  assert.equal(peakData(tpu, "fp32").kind, "none");
  await h.update({ gpu: "tpu-v5e", precision: "fp32" });
  assertClean(h, "tpu-v5e fp32");
  assert.ok(caption().includes(`no data ${peakData(tpu, "fp32").note}`), caption());
  assert.equal(h.html("act2Chart").includes("<svg") || h.html("act2Chart").includes("vega"), false);
  assert.match(h.html("summary"), /&quot;act2_result&quot;:null/);
  assert.match(h.html("summary"), /Design MFU<\/dt><dd[^>]*>no data</);
  // The same device at INT8 has a datasheet peak: the roof comes back.
  await h.update({ precision: "int8" });
  assert.ok(caption().includes(`${formatTflops(394e12)} dense INT8 peak`), caption());
  h.dispose();
});
