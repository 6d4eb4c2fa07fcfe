import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatCount, formatMs, maxUsers, serve } from "../../core/mod.ts";
import { assertCleanRender, text } from "./_render.ts";

Deno.test("llm-serving: first prediction, quantization and hardware numbers come from core", async () => {
  const h = await runLab("llm-serving");
  try {
    const r = serve({
      model: "llama-3.1-8b",
      gpu: "h100-sxm",
      precision: "fp16",
      kvPrecision: "fp16",
      prompt: 2048,
      output: 128,
    });
    assert.match(
      text(h, "firstStats"),
      new RegExp(`${formatMs(r.ttftS, 1)}.*${formatMs(r.itlS, 2)}`),
    );
    // The ITL correction: reading the weights alone takes 4.79 ms at 3.35 TB/s.
    assert.match(text(h, "firstNote"), /takes 4\.79 ms/);
    // Quantization at 8K × 8: INT8 ITL drops ~43 %, not 50 %; INT8 halves TTFT, INT4 does not.
    assert.match(text(h, "quantNote"), /ITL drops only 42\.8%/);
    assert.match(text(h, "quantNote"), /INT8 0\.50× of FP16.*INT4 1\.00×/);
    // Hardware: H200 ITL 73.4 % of the H100's (26.6 % lower, not 43 %).
    assert.match(text(h, "hwNote"), /ITL is 73\.4% of the H100's/);
    assert.match(text(h, "hwTable"), /AMD Instinct MI300X 5\.30 TB\/s/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: exercise 1 — the memory wall at 4K is computed (108 vLLM / 120 all memory)", async () => {
  const h = await runLab("llm-serving");
  try {
    await h.update({ ex1Predict: 100 });
    assert.match(text(h, "ex1Reveal"), /The physics says 108 users.*moves the wall to 120/);
    await h.update({ ex1Ctx: 16384 });
    const want = maxUsers({
      model: "llama-3.1-8b",
      gpu: "h100-sxm",
      seqLen: 16384,
      precision: "fp16",
      kvPrecision: "fp16",
    });
    assert.match(
      text(h, "ex1Reveal"),
      new RegExp(`The physics says ${formatCount(want.oomAtUsers)} users`),
    );
    await h.update({ gpu: "mi300x" });
    const mi = maxUsers({
      model: "llama-3.1-8b",
      gpu: "mi300x",
      seqLen: 16384,
      precision: "fp16",
      kvPrecision: "fp16",
    });
    assert.notEqual(mi.oomAtUsers, want.oomAtUsers);
    assert.match(
      text(h, "ex1Reveal"),
      new RegExp(`The physics says ${formatCount(mi.oomAtUsers)} users`),
    );
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: exercise 2 — the GPU gaining most from INT8 is computed from ITL ratios", async () => {
  const h = await runLab("llm-serving");
  try {
    const a = h.value<{ rows: { gpu: string; ratio: number }[]; correct: string }>("ex2Answer");
    const best = a.rows.reduce((x, y) => (y.ratio < x.ratio ? y : x));
    assert.equal(a.correct, best.gpu);
    assert.equal(a.correct, "a100-80gb");
    await h.update({ ex2Predict: "h200" });
    assert.match(h.html("ex2Reveal"), /data-kind="warn"/);
    assert.match(
      text(h, "ex2Reveal"),
      /NVIDIA A100 SXM 80GB gains the most: INT8 ITL is 57\.6% of FP16/,
    );
    await h.update({ ex2Predict: "a100-80gb" });
    assert.match(h.html("ex2Reveal"), /data-kind="success"/);
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: exercise 3 — linear vs causal prefill; the classification follows the range", async () => {
  const h = await runLab("llm-serving");
  try {
    assert.equal(h.state("ex3Chart").status, "stopped", "the curves wait for the prediction");
    type A = {
      correct: string;
      ratio: number;
      exponent: number;
      curve: { causalMs: number; linearMs: number }[];
    };
    const a = h.value<A>("ex3Answer");
    const t = (s: number) =>
      serve({ model: "llama-3.1-8b", gpu: "h100-sxm", prompt: s, output: 1 }).ttftS;
    assert.ok(Math.abs(a.ratio - t(16384) / t(512)) / a.ratio < 0.01, "TTFT ratio from core");
    assert.ok(a.ratio > 32, "super-linear over 512 → 16K");
    assert.ok(a.curve.every((r) => r.causalMs >= r.linearMs), "causal ≥ linear everywhere");
    assert.equal(a.correct, "linear");
    await h.update({ ex3Predict: "quadratic" });
    assert.match(h.html("ex3Reveal"), /data-kind="warn"/);
    assert.match(text(h, "ex3Chart"), /causal attention/);
    await h.update({ ex3Max: 131072 });
    assert.equal(h.value<A>("ex3Answer").correct, "between");
    await h.update({ ex3Min: 512, ex3Max: 2048 });
    assert.equal(h.value<A>("ex3Answer").correct, "sub");
  } finally {
    h.dispose();
  }
});

Deno.test("llm-serving: no cell renders NaN, Infinity or undefined, across inputs", async () => {
  const h = await runLab("llm-serving");
  try {
    await h.update({ ex1Predict: 1, ex2Predict: "mi300x", ex3Predict: "sub", selfCheck: "B" });
    assertCleanRender(h, "defaults, every lock committed");
    await h.update({
      precision: "int4",
      kvMode: "fp16",
      gpu: "a100-80gb",
      ctx: 131072,
      batch: 256,
    });
    assertCleanRender(h, "int4 on A100 at the largest batch and context");
    await h.update({
      model: "mistral-7b",
      ex3Min: 131072,
      ex3Max: 512,
      qCtx: 131072,
      hwBatch: 256,
    });
    assertCleanRender(h, "mistral, inverted range");
  } finally {
    h.dispose();
  }
});
