/**
 * llm-serving headless: sections 1–2 from core; each exercise is an act whose prediction is
 * graded against core's number (the wall, the INT8 gains, the prefill growth); a commit is final
 * and freezes the setup it asked about; nothing an exercise computes shows before its commit.
 */
import assert from "node:assert/strict";
import { type HeadlessLab, runLab } from "../../runtime/mod.ts";
import { contextCheck, formatCount, maxUsers, serve } from "../../core/mod.ts";
import type { ChoiceGrade } from "../../cells/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";
import { ex1Wall, int8Gains, ttftGrowth } from "../../labs/llm-serving.ts";
import { assertCleanRender, text } from "./_render.ts";

const MODEL = "llama-3.1-8b";

/** The letter the lab grades correct for a choice act, and every graded letter. */
function letters(h: HeadlessLab, act: string) {
  const p = h.value<ActPrediction<ChoiceGrade>>(`${act}Prediction`);
  const all = ["A", "B", "C", "D"].map((l) => p.grade(l));
  const right = all.filter((g) => g.correct);
  assert.equal(right.length, 1, `${act}: exactly one option is correct`);
  return { right: right[0].value, all, wrong: all.find((g) => !g.correct)!.value };
}

/**
 * "Start this lab over", and reopen every exercise: the headless `startOver()` releases the locks
 * but keeps their values, and committing the value a lock still holds does not freeze it again.
 */
function restart(h: HeadlessLab): void {
  h.startOver();
  h.set({ ex3Lock: null, ex2Lock: null, ex1Lock: null });
}

/** The lab with exercises 1 and 2 committed (1 at core's wall, 2 at the computed letter). */
async function throughEx2(h: HeadlessLab) {
  await h.update({ ex1Lock: ex1Wall(MODEL, "h100-sxm", 4096).vllm.oomAtUsers });
  await h.update({ ex2Lock: letters(h, "ex2").right });
}

Deno.test("llm-serving: sections 1–2 come from core and show before any lock", async () => {
  const h = await runLab("llm-serving");
  try {
    const r = serve({
      model: MODEL,
      gpu: "h100-sxm",
      precision: "fp16",
      kvPrecision: "fp16",
      prompt: 2048,
      output: 128,
    });
    assert.match(text(h, "firstStats"), /TTFT \(prefill\)/);
    assert.match(text(h, "firstStats"), new RegExp(`${(r.ttftS * 1e3).toFixed(1)} ms`));
    assert.match(text(h, "firstStats"), new RegExp(`${(r.itlS * 1e3).toFixed(2)} ms`));
    // The ITL correction: reading the weights alone takes 4.79 ms at 3.35 TB/s.
    assert.match(text(h, "firstNote"), /takes 4\.79 ms/);
    assert.match(text(h, "specs"), /Parameters 8\.03 B Llama-3\.1-8B/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: before Exercise 1's commit nothing shows its wall (108 users at 4K)", async () => {
  const h = await runLab("llm-serving");
  try {
    const { vllm } = ex1Wall(MODEL, "h100-sxm", 4096);
    assert.equal(vllm.oomAtUsers, 108, "core: 57.72 GB of KV budget ÷ 0.54 GB per user");
    for (const cell of ["wallNote", "wallByBatch", "ex1Reveal", "ex2Intro", "quantNote"]) {
      assert.equal(h.html(cell), "", `${cell} waits on the lock`);
      assert.equal(h.state(cell).status, "waiting", cell);
    }
    assert.match(text(h, "ex1"), /Commit your prediction to continue/);
    for (const { cell, html } of h.htmlAll()) {
      if (cell === "ex1Lock") continue;
      assert.doesNotMatch(
        html,
        /\b108 users\b|\b108\b/,
        `${cell} shows the wall before the commit`,
      );
    }
    const summary = text(h, "summary");
    assert.match(summary, /Exercise 1 OPEN Exercise 2 — Exercise 3 —/);
    assert.doesNotMatch(summary, /Memory wall|oom_at_users/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: Exercise 1 is graded against core's wall; the commit is final and freezes the setup", async () => {
  const h = await runLab("llm-serving");
  try {
    const { vllm, all } = ex1Wall(MODEL, "h100-sxm", 4096);
    await h.update({ ex1Lock: 100 });
    assert.equal(h.value<{ correct: boolean }>("ex1").correct, true, "100 is within 30 % of 108");
    assert.match(text(h, "ex1Reveal"), /Physics: 108 users/);
    assert.match(text(h, "ex1Reveal"), new RegExp(`moves the wall to ${all.oomAtUsers}`));
    assert.equal(all.oomAtUsers, 120);
    assert.throws(() => h.set("ex1Lock", 108), { name: "InputLockedError" });
    for (const [input, v] of [["gpu", "mi300x"], ["model", "mistral-7b"], ["ex1Ctx", 8192]]) {
      assert.throws(() => h.set(input as string, v), { name: "InputLockedError" }, input as string);
    }
    assert.match(text(h, "summary"), /Exercise 1 CORRECT Memory wall 108 users/);
    assert.match(text(h, "summary"), /oom_at_users 108/);
    // The sweeps behind the lock: the wall note at the sweep's own context (2,048 tokens).
    const at2k = ex1Wall(MODEL, "h100-sxm", 2048).vllm.oomAtUsers;
    assert.match(text(h, "wallNote"), new RegExp(`At 2,048 tokens the wall is at ${at2k} users`));

    // A wrong estimate, on another GPU and context chosen before the commit.
    restart(h);
    await h.update({ gpu: "mi300x", ex1Ctx: 16384 });
    const mi = maxUsers({
      model: MODEL,
      gpu: "mi300x",
      seqLen: 16384,
      precision: "fp16",
      kvPrecision: "fp16",
    });
    assert.notEqual(mi.oomAtUsers, vllm.oomAtUsers);
    await h.update({ ex1Lock: mi.oomAtUsers * 3 });
    assert.equal(h.value<{ correct: boolean }>("ex1").correct, false);
    assert.match(text(h, "ex1Reveal"), new RegExp(`Physics: ${formatCount(mi.oomAtUsers)} users`));
    assert.match(text(h, "summary"), /Exercise 1 WRONG/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: Exercise 2 — the GPU gaining most from INT8 is computed from ITL ratios", async () => {
  const h = await runLab("llm-serving");
  try {
    await h.update({ ex1Lock: 50 });
    const { rows, best } = int8Gains(MODEL, 4096, 4, 128);
    assert.equal(best.gpu, rows.reduce((x, y) => (y.ratio < x.ratio ? y : x)).gpu);
    assert.equal(best.gpu, "a100-80gb");
    const { right, wrong, all } = letters(h, "ex2");
    assert.match(all.find((g) => g.correct)!.picked.text, /A100/);
    assert.equal(h.html("quantNote"), "", "sections 4–5 wait on Exercise 2");
    assert.doesNotMatch(text(h, "summary"), /INT8 gains most/);
    await h.update({ ex2Lock: wrong });
    assert.match(text(h, "ex2Reveal"), new RegExp(`physics picks ${right}`));
    const ms = (x: number) => `${(x * 1e3).toFixed(2)} ms`;
    assert.match(
      text(h, "ex2Reveal"),
      new RegExp(`NVIDIA A100 SXM 80GB ${ms(best.fp16)} ${ms(best.int8)} 57\\.6%`),
    );
    assert.throws(() => h.set("ex2Lock", right), { name: "InputLockedError" });
    assert.throws(() => h.set("ex2Batch", 8), { name: "InputLockedError" });
    assert.match(text(h, "summary"), /Exercise 2 WRONG INT8 gains most NVIDIA A100 SXM 80GB/);
    // Quantization at 8K × 8: INT8 ITL drops ~43 %, not 50 %; INT8 halves TTFT, INT4 does not.
    assert.match(text(h, "quantNote"), /ITL drops only 42\.8%/);
    assert.match(text(h, "quantNote"), /INT8 0\.50× of FP16.*INT4 1\.00×/);
    // Hardware: H200 ITL 73.4 % of the H100's (26.6 % lower, not 43 %).
    assert.match(text(h, "hwNote"), /ITL is 73\.4% of the H100's/);
    assert.match(text(h, "hwTable"), /AMD Instinct MI300X 5\.30 TB\/s/);
    restart(h);
    await throughEx2(h);
    assert.match(h.html("ex2Reveal"), /data-kind="success"/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: Exercise 3 — linear vs causal prefill; the correct belief follows the range", async () => {
  const t = (s: number) => serve({ model: MODEL, gpu: "h100-sxm", prompt: s, output: 1 }).ttftS;
  const a = ttftGrowth(MODEL, "h100-sxm", 512, 16384);
  assert.ok(Math.abs(a.ratio - t(16384) / t(512)) / a.ratio < 0.01, "TTFT ratio from core");
  assert.ok(a.ratio > 32, "super-linear over 512 → 16K");
  assert.ok(a.curve.every((r) => r.causalMs >= r.linearMs), "causal ≥ linear everywhere");
  assert.equal(a.growth, "linear");
  assert.equal(ttftGrowth(MODEL, "h100-sxm", 512, 131072).growth, "between");
  assert.equal(ttftGrowth(MODEL, "h100-sxm", 512, 2048).growth, "sub");

  const h = await runLab("llm-serving");
  try {
    await throughEx2(h);
    assert.equal(h.state("ex3Chart").status, "waiting", "the curves wait for the prediction");
    for (const [max, growth] of [[16384, "Linearly"], [131072, "Super-linearly"]] as const) {
      restart(h);
      await h.update({ ex3Max: max });
      await throughEx2(h);
      const { right, wrong, all } = letters(h, "ex3");
      assert.match(all.find((g) => g.correct)!.picked.text, new RegExp(`^${growth}`));
      await h.update({ ex3Lock: wrong });
      assert.match(text(h, "ex3Reveal"), new RegExp(`physics picks ${right}`));
      assert.match(text(h, "ex3Chart"), /causal attention/);
      assert.throws(() => h.set("ex3Max", 512), { name: "InputLockedError" });
      assert.match(text(h, "summary"), /Exercise 3 WRONG TTFT growth exponent \d\.\d\d /);
    }
    // The self-check's A100 numbers appear once it is answered.
    assert.doesNotMatch(h.html("selfFeedback"), /self-a100/);
    await h.update({ selfCheck: "A" });
    assert.match(h.html("selfFeedback"), /data-testid="self-a100"/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: no cell renders NaN, Infinity or undefined, across inputs", async () => {
  const h = await runLab("llm-serving");
  try {
    assertCleanRender(h, "defaults, no lock committed");
    await h.update({ ex1Lock: 1 });
    await h.update({ ex2Lock: "A" });
    await h.update({ ex3Lock: "B", selfCheck: "B" });
    assertCleanRender(h, "defaults, every lock committed");
    await h.update({ precision: "int4", kvMode: "fp16", ctx: 131072, batch: 256 });
    assertCleanRender(h, "int4 at the largest batch and context");
    restart(h);
    await h.update({ model: "mistral-7b", gpu: "a100-80gb", ex3Min: 131072, ex3Max: 512 });
    await h.update({ ex1Lock: 10000 });
    await h.update({ ex2Lock: "D" });
    await h.update({ ex3Lock: "C", qCtx: 131072, hwBatch: 256 });
    assertCleanRender(h, "mistral on A100, inverted range");
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: a context beyond the model's window is flagged from core wherever it is shown", async () => {
  const h = await runLab("llm-serving");
  try {
    const has = (cell: string, id: string) => h.html(cell).includes(`data-testid="${id}"`);
    // Llama-3.1-8B holds 131,072 tokens: the defaults flag nothing.
    assert.equal(has("firstNote", "first-limit"), false);
    assert.equal(has("ex1Intro", "ex1-limit"), false);
    // Llama-3-8B stops at 8,192: a 16,384-token prompt (+128 output) is beyond it.
    await h.update({ model: "llama-3-8b", ctx: 16384, ex1Ctx: 16384 });
    const first = contextCheck("llama-3-8b", 16384 + 128);
    assert.equal(first.exceedsModel, true);
    assert.ok(text(h, "firstNote").includes(first.message), text(h, "firstNote"));
    assert.ok(text(h, "ex1Intro").includes(contextCheck("llama-3-8b", 16384).message));
    // After the commit, the wall's sweep (to 131,072 tokens) and its context say so too.
    await h.update({ ex1Lock: ex1Wall("llama-3-8b", "h100-sxm", 16384).vllm.oomAtUsers });
    assert.equal(has("wallNote", "wall-sweep-limit"), true);
    assert.equal(has("wallNote", "wall-limit"), false, "the sweep's context is 2,048");
    await h.update({ wallCtx: 32768 });
    assert.equal(has("wallNote", "wall-limit"), true);
    // Plurals: never "1 users".
    for (const { cell, html } of h.htmlAll()) assert.doesNotMatch(html, /\b1 users\b/, cell);
  } finally {
    h.dispose();
  }
});
