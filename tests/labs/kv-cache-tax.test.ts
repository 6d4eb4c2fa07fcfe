/**
 * kv-cache-tax headless: the reading sections' numbers come from core; each exercise is an act
 * whose lock grades against core's number for the exercise's scenario, is final
 * (InputLockedError), and keeps its instruments, HUD rows and ledger fields hidden until its
 * commit; nothing above a lock shows its answer (the 128K breakdown sits behind Exercise 2, the
 * self-check asks about a model whose per-token cost is printed nowhere above it).
 */
import assert from "node:assert/strict";
import { type HeadlessLab, runLab } from "../../runtime/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";
import type { ChoiceGrade, NumberGrade } from "../../cells/mod.ts";
import {
  batchingComparison,
  contextCheck,
  formatCount,
  formatGB,
  kvBytesPerToken,
  kvCache,
  maxUsers,
  weightsMemory,
} from "../../core/mod.ts";
import { assertCleanRender, text } from "./_render.ts";

const fp16 = { precision: "fp16", kvPrecision: "fp16" } as const;
/** Exercise 1: Llama-3.1-70B on one H100 at 4K in FP16. */
const ex1 = () => maxUsers({ model: "llama-3.1-70b", gpu: "h100-sxm", seqLen: 4096, ...fp16 });
/** Exercise 2: Llama-3-8B on an H200 at 128K. */
const ex2 = (p: "fp16" | "int8") =>
  maxUsers({ model: "llama-3-8b", gpu: "h200", seqLen: 131072, precision: p, kvPrecision: p })
    .maxUsers;

/** Every shown cell's text, joined (what the page shows). */
const page = (h: HeadlessLab) => h.htmlAll().map((c) => c.html.replace(/<[^>]+>/g, " ")).join(" ");

/** The letter the lab computes as correct for a choice act. */
function rightLetter(h: HeadlessLab, act: string): string {
  const p = h.value<ActPrediction<ChoiceGrade>>(`${act}Prediction`);
  return ["A", "B", "C", "D"].map((l) => p.grade(l)).find((g) => g.correct)!.value;
}

/** Commits the acts before `upTo` with core's answers (acts wait on the one before). */
async function commitBefore(h: HeadlessLab, upTo: string) {
  const order: Array<[string, () => string | number]> = [
    ["ex1", () => ex1().oomAtUsers],
    ["ex2", () => ex2("fp16")],
    ["ex2Int8", () => ex2("int8")],
    ["ex3", () => rightLetter(h, "ex3")],
    ["selfCheck", () => kvBytesPerToken("qwen2.5-7b", "fp16")],
  ];
  for (const [act, value] of order) {
    if (act === upTo) return;
    await h.update({ [`${act}Lock`]: value() });
  }
}

Deno.test("kv-cache-tax: the reading sections' numbers come from core (128 KiB per token, 185 users at 2K)", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    assert.equal(kvBytesPerToken("llama-3-8b", "fp16"), 131_072);
    assert.match(text(h, "background"), /131,072 B = 128 KiB/);
    assert.match(text(h, "background"), /overstate it 4×/);
    // Batch sweep at 2K: 185 users fit under vLLM's budget.
    assert.equal(maxUsers({ model: "llama-3-8b", gpu: "h100-sxm", seqLen: 2048 }).maxUsers, 185);
    assert.match(text(h, "batchNote"), /vLLM admits 185 users/);
    // Paged vs static at 4K, batch 32: 50 % static waste, 0.36 % with 16-token pages.
    assert.match(
      text(h, "pagedTable"),
      /Static.*50\.0%.*Paged \(16-token pages\) 32 3,269 tok\/s 0\.36%/,
    );
    // The reading sections' GPUs leave out Exercise 2's H200.
    assert.doesNotMatch(h.html("setup"), /H200/);
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: before a commit nothing of an exercise shows — not its instruments, answer, HUD rows or ledger fields", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    assert.equal(h.state("ex1Explore").status, "waiting");
    assert.equal(h.html("ex1Explore"), "");
    assert.match(h.html("ex1"), /Commit your prediction to continue/);
    assert.equal(h.html("ex2Lock"), "", "Exercise 2's lock waits for Exercise 1");
    assert.equal(h.html("longNote"), "", "the 128K breakdown answers Exercise 2: behind its lock");
    const summary = text(h, "summary");
    assert.match(summary, /Exercise 1 OPEN Exercise 2 · FP16 — .*Self-check —/);
    assert.doesNotMatch(summary, /OOM at|oom_at_users|Users FP16|users_fp16|kv_bytes_per_token/);
    // No exercise's answer (as the lab displays it) is on the page before its commit.
    const acts: Array<[string, string, string]> = [
      ["ex1", "Exercise 1", "OOM at"],
      ["ex2", "Exercise 2 · FP16", "Users FP16"],
      ["ex2Int8", "Exercise 2 · INT8", "Users INT8"],
      ["ex3", "Exercise 3", "Page ratio"],
      ["selfCheck", "Self-check", "kv_bytes_per_token"],
    ];
    for (const [act, title, row] of acts) {
      await commitBefore(h, act);
      const p = h.value<ActPrediction>(`${act}Prediction`);
      const shown = h.htmlAll().filter((c) => c.cell !== `${act}Lock`)
        .map((c) => c.html.replace(/<[^>]+>/g, " ")).join(" ");
      for (const leak of p.leaks) {
        const esc = leak.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        assert.doesNotMatch(shown, new RegExp(`(?<![\\w.,])${esc}(?!\\w)`), `${act}: ${leak}`);
      }
      const hud = text(h, "summary");
      assert.match(hud, new RegExp(`${title} OPEN`));
      assert.doesNotMatch(hud, new RegExp(row), `${act}'s record before its commit`);
      assert.equal(h.state(`${act}Reveal`).status, "waiting");
    }
    // The self-check's answer is not the per-token cost the background prints.
    const self = h.value<ActPrediction<NumberGrade>>("selfCheckPrediction").grade(0).answer;
    assert.equal(self, kvBytesPerToken("qwen2.5-7b", "fp16"));
    assert.notEqual(self, kvBytesPerToken("llama-3-8b", "fp16"));
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: exercise 1 (70B OOM batch) is graded against core, final, and its sweep follows its inputs", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    // 141 GB of FP16 weights do not fit one H100: OOM at batch 1.
    const a = ex1();
    assert.deepEqual([a.maxUsers, a.oomAtUsers], [0, 1]);
    const p = h.value<ActPrediction<NumberGrade>>("ex1Prediction");
    assert.equal(p.grade(a.oomAtUsers).correct, true);
    assert.equal(p.grade(40).correct, false);
    await h.update({ ex1Lock: 40 });
    assert.throws(() => h.set("ex1Lock", 1), { name: "InputLockedError" });
    assert.match(text(h, "summary"), /Exercise 1 WRONG OOM at 1 user/);
    assert.match(text(h, "ex1Reveal"), /not quite.*Your pick: 40 users.*Physics: 1 user\b/);
    assert.match(
      text(h, "ex1Reveal"),
      new RegExp(`weights alone take ${formatGB(a.weightsBytes)}`),
    );
    assert.match(h.html("ex1Explore"), /data-testid="ex1-oom"/);
    // Exercise 1's sweep, shown before Exercise 2's lock, cannot reach Exercise 2's H200.
    assert.doesNotMatch(h.html("ex1Explore"), /H200/);
    await h.update({ ex1Gpus: 4 });
    const want = maxUsers({
      model: "llama-3.1-70b",
      gpu: "h100-sxm",
      gpus: 4,
      seqLen: 4096,
      ...fp16,
    });
    assert.ok(want.oomAtUsers > 1);
    assert.match(
      text(h, "ex1Explore"),
      new RegExp(
        `= ${formatCount(want.maxUsers)} users ; user ${formatCount(want.oomAtUsers)} runs`,
      ),
    );
    // The graded scenario does not move with the sweep.
    assert.match(text(h, "ex1Reveal"), /Physics: 1 user\b/);
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: exercise 2 — H200 at 128K: 6 users in FP16, 13 in INT8, two acts", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    assert.deepEqual([ex2("fp16"), ex2("int8")], [6, 13]);
    await commitBefore(h, "ex2");
    // The scenario is beyond Llama-3-8B's window: the intro says so, in core's words.
    const limit = contextCheck("llama-3-8b", 131072);
    assert.equal(limit.exceedsModel, true);
    assert.equal(limit.modelMaxContext, 8192);
    assert.equal(
      maxUsers({ model: "llama-3-8b", gpu: "h200", seqLen: 131072 }).exceedsModelContext,
      true,
    );
    assert.match(h.html("ex2Intro"), /data-testid="ex2-limit"/);
    assert.ok(text(h, "ex2Intro").includes(limit.message), text(h, "ex2Intro"));
    await h.update({ ex2Lock: 6 });
    assert.match(text(h, "ex2Reveal"), /correct.*Physics: 6 users .*1\.00×/);
    assert.equal(h.state("ex2Compare").status, "waiting", "INT8 stays behind its own lock");
    assert.doesNotMatch(page(h), /\b13 users/);
    // The 128K single-user breakdown, now behind Exercise 2's lock: 17.18 GB of cache, more
    // than the 16.06 GB of weights; on the tutorial's 80 GB H100 vLLM admits 2, all memory 3.
    const kv = kvCache({ model: "llama-3-8b", seqLen: 131072, kvPrecision: "fp16" }).totalBytes;
    const w = weightsMemory("llama-3-8b", "fp16").totalBytes;
    assert.equal(formatGB(kv), "17.18 GB");
    assert.match(text(h, "longView"), new RegExp(`${formatGB(w)}.*17\\.18 GB.*16\\.00 GiB`));
    const h100 = maxUsers({ model: "llama-3-8b", gpu: "h100-sxm", seqLen: 131072 });
    const h100All = maxUsers({
      model: "llama-3-8b",
      gpu: "h100-sxm",
      seqLen: 131072,
      reserve: "none",
    });
    assert.deepEqual([h100.maxUsers, h100All.maxUsers], [2, 3]);
    assert.match(text(h, "longNote"), /H200 SXM 141GB vLLM admits 6 users/);
    assert.match(
      text(h, "longNote"),
      /vLLM admits 2, and counting all memory after the weights gives 3/,
    );
    assert.match(
      text(h, "longNote"),
      /As the exercise warns, Meta-Llama-3-8B cannot serve 131,072 tokens\. .*Llama-3\.1-8B/,
    );
    // Off the scenario, the note is core's message for the new context.
    await h.update({ ex2Ctx: 16384 });
    assert.ok(text(h, "longNote").includes(contextCheck("llama-3-8b", 16384).message));
    await h.update({ ex2Ctx: 131072, ex2Model: "llama-3.1-8b" });
    assert.doesNotMatch(h.html("longNote"), /max-context-note/);
    // INT8: a wrong commit is graded wrong and final.
    await h.update({ ex2Int8Lock: 8 });
    assert.throws(() => h.set("ex2Int8Lock", 13), { name: "InputLockedError" });
    assert.match(text(h, "ex2Int8Reveal"), /not quite.*Physics: 13 users.*buys 7 more users/);
    assert.match(text(h, "summary"), /FP16 CORRECT Users FP16 6 .*INT8 WRONG Users INT8 13/);
    // The comparison follows Exercise 2's inputs; the graded scenario does not.
    await h.update({ ex2Model: "llama-3-8b", ex2Ctx: 32768 });
    const at = (p: "fp16" | "int8") =>
      maxUsers({ model: "llama-3-8b", gpu: "h200", seqLen: 32768, precision: p, kvPrecision: p });
    assert.match(
      text(h, "ex2Compare"),
      new RegExp(`FP16 ${at("fp16").maxUsers} users .*INT8 ${at("int8").maxUsers} users`),
    );
    assert.match(text(h, "ex2Reveal"), /Physics: 6 users/);
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
      ...fp16,
    } as const;
    const a = batchingComparison({ ...q, pageSize: 16 });
    const b = batchingComparison({ ...q, pageSize: 256 });
    assert.equal(a.continuous.maxActiveRequests, b.continuous.maxActiveRequests);
    assert.equal(a.continuous.throughputTokensPerS, b.continuous.throughputTokensPerS);
    await commitBefore(h, "ex3");
    const p = h.value<ActPrediction<ChoiceGrade>>("ex3Prediction");
    const right = rightLetter(h, "ex3");
    assert.match(p.grade(right).picked.text, /^about the same/);
    const wrong = right === "A" ? "B" : "A";
    await h.update({ ex3Lock: wrong });
    assert.throws(() => h.set("ex3Lock", right), { name: "InputLockedError" });
    assert.match(text(h, "ex3Reveal"), new RegExp(`not quite.*physics picks ${right}`));
    assert.match(text(h, "ex3Explore"), /0\.05%.*0\.77%/);
    assert.match(text(h, "summary"), /Exercise 3 WRONG Page ratio 1\.000×/);
    // Off the scenario: a 4,096-token page at 8K requests admits fewer requests than 16-token
    // pages, and the sweep says the small page wins.
    await h.update({ ex3Len: 8192, ex3Batch: 256, ex3PageB: 4096 });
    const small = batchingComparison({ ...q, maxLen: 8192, maxBatch: 256, pageSize: 16 });
    const large = batchingComparison({ ...q, maxLen: 8192, maxBatch: 256, pageSize: 4096 });
    assert.ok(small.continuous.throughputTokensPerS > 1.05 * large.continuous.throughputTokensPerS);
    assert.equal(h.value<{ outcome: string }>("ex3Live").outcome, "small");
    assert.match(
      text(h, "ex3Explore"),
      new RegExp(`small page admits ${small.continuous.maxActiveRequests} requests`),
    );
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: the self-check is kvBytesPerToken of Qwen2.5-7B; the background's 131,072 B is graded wrong", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    const b = kvBytesPerToken("qwen2.5-7b", "fp16");
    assert.equal(b, 2 * 28 * 4 * 128 * 2);
    await commitBefore(h, "selfCheck");
    assert.match(text(h, "selfCheckIntro"), /28 layers and 4 KV heads of 128 dimensions/);
    await h.update({ selfCheckLock: 131072 });
    assert.throws(() => h.set("selfCheckLock", b), { name: "InputLockedError" });
    assert.match(text(h, "selfCheckReveal"), /not quite.*Physics: 57,344 B.*= 56 KiB/);
    assert.match(text(h, "summary"), /Self-check WRONG/);
    h.startOver();
    await commitBefore(h, "selfCheck");
    await h.update({ selfCheckLock: b });
    assert.match(text(h, "summary"), /Self-check CORRECT/);
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: no cell renders NaN, Infinity or undefined, across inputs", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    await commitBefore(h, "none");
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
      gpu: "l40s",
      model: "llama-2-7b",
      batchCtx: 131072,
      ctxBatch: 256,
      ex1Gpus: 8,
      ex1Model: "llama-3-8b",
      ex2Ctx: 131072,
      ex2Gpu: "h100-sxm",
      ex2Model: "llama-3.1-8b",
      ex3Len: 512,
      ex3PageA: 4096,
    });
    assertCleanRender(h, "extremes");
  } finally {
    h.dispose();
  }
});

Deno.test("kv-cache-tax: a context beyond the model's window is flagged wherever it is shown", async () => {
  const h = await runLab("kv-cache-tax");
  try {
    const flags = () =>
      ["baseline-limit", "batch-limit", "ctx-limit"].filter((id) =>
        h.htmlAll().some((c) => c.html.includes(`data-testid="${id}"`))
      );
    // Llama-3-8B (8,192 tokens): the context sweep runs to 131,072, so it is flagged; the
    // defaults (2,048-token baseline and batch sweep) are within the window.
    assert.deepEqual(flags(), ["ctx-limit"]);
    assert.match(text(h, "insightNote"), /from 16,384 tokens on are memory arithmetic/);
    await h.update({ baseCtx: 16384, batchCtx: 16384 });
    assert.deepEqual(flags(), ["baseline-limit", "batch-limit", "ctx-limit"]);
    assert.ok(text(h, "batchNote").includes(contextCheck("llama-3-8b", 16384).message));
    // Llama-3.1-8B holds 131,072 tokens: nothing to flag anywhere in the reading sections.
    await h.update({ model: "llama-3.1-8b" });
    assert.deepEqual(flags(), []);
    // Llama-2-7B stops at 4,096: 8,192 is beyond it.
    await h.update({ model: "llama-2-7b", baseCtx: 8192, batchCtx: 4096 });
    assert.deepEqual(flags(), ["baseline-limit", "ctx-limit"]);
    // Exercise 1's sweep flags its context for a 4K model (Llama-2-70B at 8,192).
    await commitBefore(h, "ex2");
    assert.doesNotMatch(h.html("ex1Explore"), /ex1-limit/);
    await h.update({ ex1Model: "llama-2-70b", ex1Ctx: 8192 });
    assert.match(h.html("ex1Explore"), /data-testid="ex1-limit"/);
    // Plurals: never "1 users".
    for (const { cell, html } of h.htmlAll()) assert.doesNotMatch(html, /\b1 users\b/, cell);
  } finally {
    h.dispose();
  }
});
