/**
 * memory-growth headless: the corrected tables come from core; the two acts grade against core's
 * number for their fixed scenario, are final (InputLockedError), and keep what answers them —
 * section 1's comparison, section 5's chart and reserves, their HUD rows and ledger fields —
 * hidden until their commit.
 */
import assert from "node:assert/strict";
import { type HeadlessLab, runLab } from "../../runtime/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";
import type { NumberGrade } from "../../cells/mod.ts";
import { contextCheck, formatCount, kvCache, maxContext } from "../../core/mod.ts";
import { assertCleanRender, text } from "./_render.ts";

/** ex1's scenario: the script's cache ÷ the real one for Llama-3-8B at 4K. */
const ex1Ratio = () => {
  const k = kvCache({ model: "llama-3-8b", seqLen: 4096 });
  return k.mhaEquivalentBytes / k.totalBytes;
};
/** ex2's scenario: Llama-2-7B on one H100, one sequence, vLLM's budget. */
const ex2Limit = () =>
  maxContext({ model: "llama-2-7b", gpu: "h100-sxm", reserve: "vllm" }).memoryLimitTokens;

/** Every shown cell but `except`, as text. */
const shownText = (h: HeadlessLab, except: string) =>
  h.htmlAll().filter((c) => c.cell !== except).map((c) => c.html.replace(/<[^>]+>/g, " "))
    .join(" ");

Deno.test("memory-growth: before a commit the comparison, the reserves, the HUD rows and the ledger fields wait", async () => {
  const h = await runLab("memory-growth");
  try {
    for (const cell of ["cmpNote", "cmpTable", "cmpChart", "ex1Explore", "ex1Reveal"]) {
      assert.equal(h.state(cell).status, "waiting", cell);
      assert.equal(h.html(cell), "", cell);
    }
    assert.match(h.html("ex1"), /Commit your prediction to continue/);
    assert.equal(h.html("ex2Lock"), "", "ex2's lock waits for ex1");
    // Sections 2–4 are open from the start.
    assert.equal(h.state("growthStats").status, "ok");
    let hud = text(h, "summary");
    assert.match(hud, /KV heads OPEN Max context —/);
    assert.doesNotMatch(hud, /Script ÷ real|kv_overstatement|Memory limit|memory_limit_tokens/);
    const p1 = h.value<ActPrediction<NumberGrade>>("ex1Prediction");
    assert.deepEqual(p1.leaks, ["4.0×"]);
    assert.doesNotMatch(shownText(h, "ex1Lock"), /(?<![\d.])4\.0×/);
    await h.update({ ex1Lock: 4 });
    assert.equal(h.state("reserves").status, "waiting");
    assert.equal(h.html("maxCtxChart"), "");
    hud = text(h, "summary");
    assert.match(hud, /KV heads CORRECT Script ÷ real 4\.0× Max context OPEN/);
    assert.doesNotMatch(hud, /Memory limit|memory_limit_tokens/);
    const p2 = h.value<ActPrediction<NumberGrade>>("ex2Prediction");
    assert.equal(p2.grade(0).answer, ex2Limit());
    assert.doesNotMatch(shownText(h, "ex2Lock"), new RegExp(formatCount(ex2Limit())));
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: corrected per-model KV heads, parameters and units come from core", async () => {
  const h = await runLab("memory-growth");
  try {
    // Parameters: the script's formula gives 3.71 B for the 7B, the config 6.74 B.
    assert.match(text(h, "growthStats"), /3\.71 B parameters; its config gives 6\.74 B/);
    // Per token 524,288 B = 512 KiB; 32K is 16.00 GiB = 17.18 GB (the script's "16.00 GB").
    assert.match(text(h, "perToken"), /524,288 B 512\.0 KiB.*16\.00 GiB = 17\.18 GB/);
    await h.update({ ex1Lock: 4 });
    // The script uses query heads: 4× too large for Llama-3-8B, 8× for Llama-2-70B.
    assert.match(text(h, "cmpNote"), /Llama-2-70B 8×, Meta-Llama-3-8B 4×/);
    assert.match(text(h, "cmpNote"), /4,096-token sliding window/);
    assert.match(
      text(h, "cmpTable"),
      /Meta-Llama-3-8B 32 \/ 8 16\.06 GB 0\.13 GB 1\.07 GB 4\.29 GB 17\.18 GB/,
    );
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: ex1 is graded against core's ratio, final, and its instrument follows model and context", async () => {
  const h = await runLab("memory-growth");
  try {
    assert.equal(ex1Ratio(), 4);
    const p = h.value<ActPrediction<NumberGrade>>("ex1Prediction");
    assert.deepEqual([p.grade(4).correct, p.grade(2).correct], [true, false]);
    await h.update({ ex1Lock: 2 });
    assert.throws(() => h.set("ex1Lock", 4), { name: "InputLockedError" });
    assert.match(text(h, "ex1Reveal"), /not quite.*Your pick: 2\.0×.*Physics: 4\.0×/);
    assert.match(text(h, "ex1Reveal"), /32 query heads share 8 KV heads \(groups of 4\)/);
    assert.match(text(h, "summary"), /KV heads WRONG Script ÷ real 4\.0×/);
    await h.update({ exModel: "mistral-7b", exCtx: 32768 });
    const k = kvCache({ model: "mistral-7b", seqLen: 32768 });
    assert.equal(h.value<{ ratio: number }>("ex1Live").ratio, k.mhaEquivalentBytes / k.totalBytes);
    assert.match(text(h, "ex1Explore"), /32\.0× the real one.*sliding window/);
    await h.update({ exModel: "llama-2-13b" });
    assert.match(text(h, "ex1Explore"), /1\.0× the real one.*full multi-head attention/);
    // The graded scenario does not move with the instrument.
    assert.match(text(h, "ex1Reveal"), /Physics: 4\.0×/);
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: ex2 — the script's 2 × weights reserve next to vLLM's, graded and final", async () => {
  const h = await runLab("memory-growth");
  try {
    const v = maxContext({ model: "llama-2-7b", gpu: "h100-sxm", reserve: "vllm" });
    const s = maxContext({ model: "llama-2-7b", gpu: "h100-sxm", reserve: "seed" });
    assert.deepEqual([v.memoryLimitTokens, s.memoryLimitTokens], [117_507, 75_472]);
    await h.update({ ex1Lock: 4 });
    const p = h.value<ActPrediction<NumberGrade>>("ex2Prediction");
    assert.deepEqual([p.grade(117_507).correct, p.grade(75_472).correct], [true, false]);
    await h.update({ ex2Lock: 75_472 });
    assert.throws(() => h.set("ex2Lock", 117_507), { name: "InputLockedError" });
    assert.match(text(h, "ex2Reveal"), /not quite.*Physics: 117,507 tokens/);
    assert.match(text(h, "summary"), /Max context WRONG Memory limit 117,507 tokens/);
    assert.match(
      text(h, "reserves"),
      /script: 2 × weights 80\.00 GB 13\.48 GB 26\.95 GB 39\.57 GB 75,472/,
    );
    assert.match(text(h, "reserves"), /vLLM 85\.04 GB 13\.48 GB 9\.96 GB 61\.61 GB 117,507/);
    assert.match(text(h, "reserves"), /trained for 4,096 tokens/);
    await h.update({ mcBatch: 4, mcGpu: "a100-40gb" });
    const w = maxContext({ model: "llama-2-7b", gpu: "a100-40gb", batch: 4, reserve: "vllm" });
    assert.match(
      text(h, "reserves"),
      new RegExp(`memory allows ${formatCount(w.memoryLimitTokens)} tokens`),
    );
    assert.match(text(h, "ex2Reveal"), /Physics: 117,507 tokens/);
    h.startOver();
    await h.update({ ex1Lock: 4, ex2Lock: 117_507 });
    assert.match(text(h, "summary"), /Max context CORRECT/);
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: no cell renders NaN, Infinity or undefined, across inputs", async () => {
  const h = await runLab("memory-growth");
  try {
    await h.update({ ex1Lock: 1 });
    await h.update({ ex2Lock: 0 });
    assertCleanRender(h, "defaults, locks committed");
    await h.update({ growthModel: "mistral-7b", mcModel: "mistral-7b", mcGpu: "l4", mcBatch: 32 });
    await h.update({ tokCtx: 32768 });
    assertCleanRender(h, "mistral (unbounded context) on an L4");
    await h.update({ growthModel: "llama-2-70b", mcModel: "llama-2-70b", mcGpu: "h200" });
    await h.update({ growthBatch: 32, batchCtx: 32768, exModel: "llama-2-13b", cmpCtx: 131072 });
    assertCleanRender(h, "70B whose weights do not fit");
  } finally {
    h.dispose();
  }
});

Deno.test("memory-growth: a context beyond the model's window is flagged from core wherever it is shown", async () => {
  const h = await runLab("memory-growth");
  try {
    const has = (cell: string, id: string) => h.html(cell).includes(`data-testid="${id}"`);
    // Llama-2-7B (section 2's default) is configured for 4,096 tokens; the sweep runs to 32,768.
    assert.equal(contextCheck("llama-2-7b", 8192).exceedsModel, true);
    assert.equal(has("growthStats", "growth-sweep-limit"), true);
    assert.match(text(h, "growthStats"), /from 8,192 tokens on are memory arithmetic/);
    assert.equal(has("growthStats", "growth-limit"), false, "4,096 is within the window");
    // Section 4 defaults to 32,768 tokens: beyond Llama-2-7B's window, in core's words.
    assert.ok(text(h, "perToken").includes(contextCheck("llama-2-7b", 32768).message));
    await h.update({ growthSel: 16384, batchCtx: 8192 });
    assert.equal(has("growthStats", "growth-limit"), true);
    assert.equal(has("batchStats", "batch-limit"), true);
    // Mistral-7B holds 32,768 tokens: nothing to flag at the sweep's longest context.
    await h.update({ growthModel: "mistral-7b", growthSel: 32768, batchCtx: 32768, tokCtx: 32768 });
    for (
      const [cell, id] of [["growthStats", "growth-limit"], ["growthStats", "growth-sweep-limit"], [
        "batchStats",
        "batch-limit",
      ], ["perToken", "tok-limit"]]
    ) assert.equal(has(cell, id), false, `${cell} ${id}`);
    // After ex1's commit the comparison names the models whose window is shorter than its context.
    await h.update({ ex1Lock: 4 });
    assert.match(text(h, "cmpNote"), /Beyond the window: Llama-2-7b \(4,096 tokens\)/i);
    await h.update({ exModel: "llama-2-70b", exCtx: 8192 });
    assert.equal(has("ex1Explore", "ex1-limit"), true);
  } finally {
    h.dispose();
  }
});
