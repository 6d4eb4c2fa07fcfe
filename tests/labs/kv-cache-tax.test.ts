import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import {
  batchingComparison,
  formatCount,
  formatGB,
  kvBytesPerToken,
  kvCache,
  maxUsers,
  weightsMemory,
} from "../../core/mod.ts";
import { assertCleanRender, text } from "./_render.ts";

Deno.test("kv-cache-tax: headline numbers come from core (128 KiB per token, 128K single user)", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    assert.equal(kvBytesPerToken("llama-3-8b", "fp16"), 131_072);
    assert.match(text(h, "background"), /131,072 B = 128 KiB/);
    assert.match(text(h, "background"), /overstate it 4×/);
    // The 128K single-user breakdown: 17.18 GB of cache, more than the 16.06 GB of weights.
    const kv = kvCache({ model: "llama-3-8b", seqLen: 131072, kvPrecision: "fp16" }).totalBytes;
    const w = weightsMemory("llama-3-8b", "fp16").totalBytes;
    assert.equal(formatGB(kv), "17.18 GB");
    assert.match(text(h, "longView"), new RegExp(`${formatGB(w)}.*17\\.18 GB.*16\\.00 GiB`));
    const users = maxUsers({ model: "llama-3-8b", gpu: "h100-sxm", seqLen: 131072 });
    const all = maxUsers({
      ...users,
      model: "llama-3-8b",
      gpu: "h100-sxm",
      seqLen: 131072,
      reserve: "none",
    });
    assert.deepEqual([users.maxUsers, all.maxUsers], [2, 3]);
    assert.match(
      text(h, "longNote"),
      /vLLM admits 2 , and counting all memory after the weights gives 3/,
    );
    assert.match(text(h, "longNote"), /config stops at 8,192 tokens/);
    // Batch sweep at 2K: 185 users fit under vLLM's budget.
    assert.match(text(h, "batchNote"), /vLLM admits 185 users/);
    // Paged vs static at 4K, batch 32: 50 % static waste, 0.36 % with 16-token pages.
    assert.match(
      text(h, "pagedTable"),
      /Static.*50\.0%.*Paged \(16-token pages\) 32 3,269 tok\/s 0\.36%/,
    );
    // Switching to Llama-3.1-8B removes the max-context warning.
    await h.update({ model: "llama-3.1-8b" });
    assert.doesNotMatch(h.html("longNote"), /max-context-note/);
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: exercise 1 (70B OOM batch) is computed and follows its inputs", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    assert.equal(h.state("ex1Reveal").status, "stopped");
    await h.update({ ex1Predict: 40 });
    // 141 GB of FP16 weights do not fit one H100: OOM at batch 1.
    assert.equal(h.value<{ oomAtUsers: number }>("ex1Answer").oomAtUsers, 1);
    assert.match(h.html("ex1Reveal"), /data-testid="ex1-oom"/);
    assert.match(text(h, "ex1Reveal"), /The physics says 1 users?/);
    await h.update({ ex1Gpus: 4 });
    const want = maxUsers({
      model: "llama-3.1-70b",
      gpu: "h100-sxm",
      gpus: 4,
      seqLen: 4096,
      precision: "fp16",
      kvPrecision: "fp16",
    });
    assert.ok(want.oomAtUsers > 1);
    assert.equal(h.value<{ oomAtUsers: number }>("ex1Answer").oomAtUsers, want.oomAtUsers);
    assert.match(
      text(h, "ex1Reveal"),
      new RegExp(`The physics says ${formatCount(want.oomAtUsers)} users`),
    );
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: exercise 2 — H200 at 128K: 6 users in FP16, 13 in INT8, computed", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    const a = h.value<{ fp16: { maxUsers: number }; int8: { maxUsers: number } }>("ex2Answer");
    assert.deepEqual([a.fp16.maxUsers, a.int8.maxUsers], [6, 13]);
    await h.update({ ex2PredictFp16: 6, ex2PredictInt8: 10 });
    assert.match(text(h, "ex2RevealFp16"), /The physics says 6 users.*1\.00×/);
    assert.match(text(h, "ex2RevealInt8"), /The physics says 13 users/);
    assert.match(text(h, "ex2RevealInt8"), /buys 7 more users/);
    // Change the inputs: at 32K the answers follow core.
    await h.update({ ex2Ctx: 32768 });
    const want = maxUsers({
      model: "llama-3-8b",
      gpu: "h200",
      seqLen: 32768,
      precision: "fp16",
      kvPrecision: "fp16",
    });
    assert.equal(h.value<{ fp16: { maxUsers: number } }>("ex2Answer").fp16.maxUsers, want.maxUsers);
    assert.match(text(h, "ex2RevealFp16"), new RegExp(`The physics says ${want.maxUsers} users`));
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: exercise 3 — page 16 vs 256 at 32K; the right option is computed", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    const q = {
      model: "llama-3-8b",
      gpu: "h100-sxm",
      maxLen: 32768,
      maxBatch: 16,
      precision: "fp16",
      kvPrecision: "fp16",
    } as const;
    const a = batchingComparison({ ...q, pageSize: 16 });
    const b = batchingComparison({ ...q, pageSize: 256 });
    assert.equal(a.continuous.maxActiveRequests, b.continuous.maxActiveRequests);
    assert.equal(h.value<{ correct: string }>("ex3Answer").correct, "same");
    await h.update({ ex3Predict: "small" });
    assert.match(h.html("ex3Reveal"), /data-kind="warn"/);
    assert.match(text(h, "ex3Reveal"), /0\.05%.*0\.77%/);
    // With a tiny budget of length the answer changes: a 4,096-token page at 8K requests wastes
    // far more and admits fewer requests than 16-token pages.
    await h.update({ ex3Len: 8192, ex3Batch: 256, ex3PageB: 4096 });
    const small = batchingComparison({ ...q, maxLen: 8192, maxBatch: 256, pageSize: 16 });
    const large = batchingComparison({ ...q, maxLen: 8192, maxBatch: 256, pageSize: 4096 });
    assert.ok(small.continuous.throughputTokensPerS > 1.05 * large.continuous.throughputTokensPerS);
    assert.equal(h.value<{ correct: string }>("ex3Answer").correct, "small");
    assert.match(h.html("ex3Reveal"), /data-kind="success"/);
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: self-check answer is kvBytesPerToken of the selected model", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    await h.update({ selfPredict: 131072 });
    assert.match(text(h, "selfReveal"), /The physics says 131,072 B.*128 KiB/);
    await h.update({ model: "llama-2-7b" });
    assert.equal(h.value("selfAnswer"), kvBytesPerToken("llama-2-7b", "fp16"));
    assert.match(text(h, "selfReveal"), /The physics says 524,288 B/);
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: no cell renders NaN, Infinity or undefined, across inputs", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    await h.update({
      ex1Predict: 1,
      ex2PredictFp16: 0,
      ex2PredictInt8: 0,
      ex3Predict: "none",
      selfPredict: 0,
    });
    assertCleanRender(h, "defaults, every lock committed");
    await h.update({
      gpu: "mi300x",
      precision: "int8",
      model: "mistral-7b",
      pagedLen: 512,
      pageSel: 4096,
    });
    assertCleanRender(h, "mi300x int8 mistral");
    await h.update({
      gpu: "a100-80gb",
      model: "llama-2-7b",
      batchCtx: 131072,
      ctxBatch: 256,
      ex2Ctx: 131072,
      ex2Gpu: "h100-sxm",
      ex2Model: "llama-3.1-8b",
    });
    assertCleanRender(h, "extremes");
  } finally {
    h.dispose();
  }
});
