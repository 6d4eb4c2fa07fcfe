import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { formatCount, kvCache, maxContext } from "../../core/mod.ts";
import { assertCleanRender, text } from "./_render.ts";

Deno.test("memory-growth: corrected per-model KV heads, parameters and units come from core", async () => {
  const h = await runLab("memory-growth");
  try {
    assert.equal(h.state("cmpNote").status, "stopped", "the comparison waits for the prediction");
    await h.update({ ex1Predict: 4 });
    // The script uses query heads: 4× too large for Llama-3-8B, 8× for Llama-2-70B.
    assert.match(text(h, "cmpNote"), /Llama-2-70B 8×, Meta-Llama-3-8B 4×/);
    assert.match(text(h, "cmpNote"), /4,096-token sliding window/);
    assert.match(
      text(h, "cmpTable"),
      /Meta-Llama-3-8B 32 \/ 8 16\.06 GB 0\.13 GB 1\.07 GB 4\.29 GB 17\.18 GB/,
    );
    // Parameters: the script's formula gives 3.71 B for the 7B, the config 6.74 B.
    assert.match(text(h, "growthStats"), /3\.71 B parameters; its config gives 6\.74 B/);
    // Per token 524,288 B = 512 KiB; 32K is 16.00 GiB = 17.18 GB (the script's "16.00 GB").
    assert.match(text(h, "perToken"), /524,288 B 512\.0 KiB.*16\.00 GiB = 17\.18 GB/);
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: the script's 2 × weights reserve next to vLLM's, and the max-context exercise", async () => {
  const h = await runLab("memory-growth");
  try {
    assert.equal(h.state("reserves").status, "stopped");
    await h.update({ ex2Predict: 100_000 });
    const v = maxContext({ model: "llama-2-7b", gpu: "h100-sxm", reserve: "vllm" });
    const s = maxContext({ model: "llama-2-7b", gpu: "h100-sxm", reserve: "seed" });
    assert.deepEqual([v.memoryLimitTokens, s.memoryLimitTokens], [117_507, 75_472]);
    assert.match(
      text(h, "reserves"),
      /script: 2 × weights 80\.00 GB 13\.48 GB 26\.95 GB 39\.57 GB 75,472/,
    );
    assert.match(text(h, "reserves"), /vLLM 85\.04 GB 13\.48 GB 9\.96 GB 61\.61 GB 117,507/);
    assert.match(text(h, "reserves"), /trained for 4,096 tokens/);
    assert.match(text(h, "ex2Reveal"), /The physics says 117,507 tokens/);
    await h.update({ mcBatch: 4, mcGpu: "a100-40gb" });
    const w = maxContext({ model: "llama-2-7b", gpu: "a100-40gb", batch: 4, reserve: "vllm" });
    assert.equal(
      h.value<{ memoryLimitTokens: number }>("ex2Answer").memoryLimitTokens,
      w.memoryLimitTokens,
    );
    assert.match(
      text(h, "ex2Reveal"),
      new RegExp(`The physics says ${formatCount(w.memoryLimitTokens)} tokens`),
    );
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: exercise 1 ratio is computed from the model and context", async () => {
  const h = await runLab("memory-growth");
  try {
    await h.update({ ex1Predict: 2 });
    assert.equal(h.value<{ ratio: number }>("ex1Answer").ratio, 4);
    assert.match(text(h, "ex1Reveal"), /The physics says 4\.0 ×/);
    await h.update({ exModel: "mistral-7b", exCtx: 32768 });
    const k = kvCache({ model: "mistral-7b", seqLen: 32768 });
    assert.equal(
      h.value<{ ratio: number }>("ex1Answer").ratio,
      k.mhaEquivalentBytes / k.totalBytes,
    );
    assert.match(text(h, "ex1Reveal"), /The physics says 32\.0 ×.*sliding window/);
    await h.update({ exModel: "llama-2-13b" });
    assert.match(text(h, "ex1Reveal"), /The physics says 1\.0 ×/);
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: no cell renders NaN, Infinity or undefined, across inputs", async () => {
  const h = await runLab("memory-growth");
  try {
    await h.update({ ex1Predict: 1, ex2Predict: 0 });
    assertCleanRender(h, "defaults, locks committed");
    await h.update({ growthModel: "mistral-7b", mcGpu: "l4", mcBatch: 32, tokCtx: 32768 });
    assertCleanRender(h, "mistral (unbounded context) on an L4");
    await h.update({ growthModel: "llama-2-70b", mcGpu: "h200", growthBatch: 32, batchCtx: 32768 });
    assertCleanRender(h, "70B whose weights do not fit");
  } finally {
    h.dispose();
  }
});
