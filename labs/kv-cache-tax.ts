/**
 * "KV-Cache: The Hidden Tax" (seed 000, the mlsysim tutorial) as a syslab notebook. Every number
 * comes from core/: KV size (`kvCache`), budgets (`memoryBudget`, `maxUsers`), paged vs static
 * batching (`batchingComparison`). Where the tutorial's numbers were wrong the notebook shows the
 * corrected figure and says why (tests/core/seeds.test.ts lists each correction).
 *
 * Reading sections 1–4 first, then the tutorial's exercises as acts, each on its own fixed
 * scenario (the tutorial's numbers): Exercise 1 (the 70B OOM batch), Exercise 2 in FP16 and in
 * INT8 (two locks, two acts), Exercise 3 (page sizes at long context) and the self-check. Each
 * act's instruments let the student move off the scenario once the prediction is committed. The
 * reading sections' GPUs leave out the H200 of Exercise 2, and the 128K single-user breakdown
 * (which answers Exercise 2) lives behind its lock; the self-check asks about a model whose
 * per-token cost the notebook never prints above it.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  chart,
  choicePrediction,
  COLORS,
  dropdown,
  failureBanner,
  hstack,
  labSummary,
  mathPeek,
  md,
  metricRow,
  numberPrediction,
  radio,
  slider,
  table,
  vstack,
} from "../cells/mod.ts";
import {
  batchingComparison,
  type BatchingResult,
  contextCheck,
  DEFAULT_GMU,
  formatBytes,
  formatCount,
  formatGB,
  formatGiB,
  formatNumber,
  formatPercent,
  formatRatio,
  formatTokensPerS,
  GB,
  kvBytesPerToken,
  kvCache,
  lookupGpu,
  lookupTransformer,
  maxUsers,
  plural,
  type Precision,
} from "../core/mod.ts";
import { gpuChoices, modelChoices } from "./_shared/choices.ts";
import { tutorialHeader } from "./_shared/tutorial.ts";
import { contextFlag, present, sweepFlag } from "./_shared/context-limit.ts";
import {
  BATCHES,
  CONTEXTS,
  powersOfTwo,
  tokens,
  users,
  type WallBudgets,
  wallBudgets,
  wallChart,
  type WallConfig,
  wallRows,
} from "./_shared/memory-wall.ts";

const PAGES = powersOfTwo(8, 4096);
/** Exercise 3's "about the same" band (a teaching choice, not physics). */
const SAME_WITHIN = 0.05;
const SAME = formatPercent(SAME_WITHIN, 0);
const PRECISIONS = { "FP16 (2 bytes)": "fp16", "INT8 (1 byte)": "int8" } as const;

/** The exercises' scenarios, as the tutorial states them. */
const EX1 = { model: "llama-3.1-70b", gpu: "h100-sxm", gpus: 1, seqLen: 4096 } as const;
const EX2 = { model: "llama-3-8b", gpu: "h200", seqLen: 131072 } as const;
const EX3 = {
  model: "llama-3-8b",
  gpu: "h100-sxm",
  maxLen: 32768,
  maxBatch: 16,
  pageA: 16,
  pageB: 256,
} as const;
/** Section 4 stops short of Exercise 3's long requests (that scenario is the exercise's). */
const PAGED_LENS = CONTEXTS.filter((n) => n < EX3.maxLen);
/** The self-check's model: its per-token cost appears nowhere above the self-check. */
const SELF_MODEL = "qwen2.5-7b";

/** The OOM boundary of a replica in FP16 (Exercise 1). */
const oomAt = (model: string, gpu: string, gpus: number, seqLen: number) =>
  maxUsers({ model, gpu, gpus, seqLen, precision: "fp16", kvPrecision: "fp16" });

/** Users that fit one GPU with weights and KV in `p` (Exercise 2). */
const usersAt = (model: string, gpu: string, seqLen: number, p: Precision) =>
  maxUsers({ model, gpu, seqLen, precision: p, kvPrecision: p });

/**
 * The context-window warning inside Exercise 2's acts: core's message when the student moved off
 * the scenario; on the scenario the exercise's intro already shows it, so a short pointer
 * (`text` gets the flag's sentence and adds to it).
 */
function ex2Flag(model: string, seqLen: number, testid: string, text: (flag: string) => string) {
  const moved = model !== EX2.model || seqLen !== EX2.seqLen;
  const flag = moved
    ? `${contextCheck(model, seqLen).message} `
    : `As the exercise warns, ${lookupTransformer(model).name} cannot serve ${tokens(seqLen)}. `;
  return callout("warn", text(flag), { title: "Beyond the model's context window", testid });
}

/** Exercise 3's outcomes. */
type PageOutcome = "small" | "large" | "same" | "none";

/** Paged batching of `model` on `gpu` with two page sizes, and which one decodes faster. */
function pageComparison(len: number, batch: number, pageA: number, pageB: number) {
  const base = {
    model: EX3.model,
    gpu: EX3.gpu,
    precision: "fp16",
    kvPrecision: "fp16",
    maxLen: len,
    maxBatch: batch,
  } as const;
  const small = batchingComparison({ ...base, pageSize: pageA });
  const large = batchingComparison({ ...base, pageSize: pageB });
  const ta = small.continuous.throughputTokensPerS, tb = large.continuous.throughputTokensPerS;
  const ratio = ta / tb;
  const outcome: PageOutcome = ta === 0 && tb === 0
    ? "none"
    : ratio > 1 + SAME_WITHIN
    ? "small"
    : ratio < 1 / (1 + SAME_WITHIN)
    ? "large"
    : "same";
  const shortLen = CONTEXTS[2];
  const atShort = batchingComparison({
    ...base,
    maxLen: Math.min(shortLen, len),
    pageSize: Math.min(pageB, Math.min(shortLen, len)),
  }).continuous.fragmentation;
  return { small, large, ratio, outcome, shortLen, atShort };
}

/** Where one GPU's memory goes for `batch` users of `seqLen` tokens (vLLM's accounting). */
function breakdown(c: WallConfig, b: WallBudgets, seqLen: number, batch: number) {
  const kv = kvCache({ model: c.model, seqLen, batch, kvPrecision: c.kvPrecision });
  const v = b.vllm;
  const used = v.weightsBytes + kv.totalBytes + v.reserveBytes;
  return {
    kv,
    weights: v.weightsBytes,
    reserve: v.reserveBytes,
    memory: v.memoryBytes,
    free: v.memoryBytes - used,
    fits: kv.totalBytes <= v.kvBudgetBytes,
    kvShare: kv.totalBytes / (kv.totalBytes + v.weightsBytes),
  };
}
type Breakdown = ReturnType<typeof breakdown>;

/** Stat cards and a stacked bar of a breakdown against the runtime-visible memory. */
function breakdownView(r: Breakdown, gpu: string, testid: string) {
  const parts = [
    { part: "Weights", bytes: r.weights, gb: r.weights / GB },
    { part: "KV-cache", bytes: r.kv.totalBytes, gb: r.kv.totalBytes / GB },
    { part: "vLLM reserve", bytes: r.reserve, gb: r.reserve / GB },
  ];
  return vstack([
    metricRow([
      { label: "Model weights", value: formatGB(r.weights), caption: formatGiB(r.weights) },
      {
        label: "KV-cache",
        value: formatGB(r.kv.totalBytes),
        caption: formatGiB(r.kv.totalBytes),
        kind: "info",
      },
      {
        label: "vLLM reserve",
        value: formatGB(r.reserve),
        caption: `activations, runtime, ${formatPercent(1 - DEFAULT_GMU, 0)} headroom`,
      },
      {
        label: r.fits ? "Free" : "Short by",
        value: formatGB(Math.abs(r.free)),
        kind: r.fits ? "success" : "danger",
        caption: `of ${formatGB(r.memory)} visible`,
      },
      { label: "KV share of weights + KV", value: formatPercent(r.kvShare) },
    ]),
    chart({
      width: 560,
      height: 70,
      layer: [
        {
          data: { name: "table" },
          mark: { type: "bar", tooltip: true },
          encoding: {
            x: { field: "gb", type: "quantitative", stack: "zero", title: "GB (10⁹ B)" },
            color: {
              field: "part",
              type: "nominal",
              sort: ["Weights", "KV-cache", "vLLM reserve"],
              scale: { range: [COLORS.BlueLine, COLORS.OrangeLine, COLORS.TextMuted] },
              legend: { title: null, orient: "bottom" },
            },
            order: { field: "order" },
          },
        },
        {
          data: { name: "capacity" },
          mark: { type: "rule", color: COLORS.RedLine, strokeWidth: 2 },
          encoding: { x: { field: "gb", type: "quantitative" } },
        },
      ],
    }, {
      data: {
        table: parts.map((p, order) => ({ ...p, order })),
        capacity: [{ gb: r.memory / GB }],
      },
      description: `Memory of one ${
        lookupGpu(gpu).name
      }: weights, KV-cache and vLLM's reserve stacked against the ${
        formatGB(r.memory)
      } the runtime sees (red rule).`,
      table: {
        columns: [
          { field: "part", title: "Part" },
          { field: "bytes", title: "GB", format: (v) => formatGB(v as number) },
          { field: "bytes", title: "GiB", format: (v) => formatGiB(v as number) },
        ],
      },
      testid,
    }),
  ]);
}

/** Rows of the paged-attention table for several page sizes. */
function pagedRows(results: readonly BatchingResult[]) {
  const first = results[0];
  return [
    {
      "System": "Static (reserve the max length)",
      "Max active requests": formatCount(first.static.maxActiveRequests),
      "Decode throughput": formatTokensPerS(first.static.throughputTokensPerS),
      "KV fragmentation": formatPercent(first.static.fragmentation),
      "Speedup vs static": formatRatio(1),
    },
    ...results.map((r) => ({
      "System": `Paged (${formatCount(r.pageSize)}-token pages)`,
      "Max active requests": formatCount(r.continuous.maxActiveRequests),
      "Decode throughput": formatTokensPerS(r.continuous.throughputTokensPerS),
      "KV fragmentation": formatPercent(r.continuous.fragmentation, 2),
      "Speedup vs static": formatRatio(r.speedupVsStatic),
    })),
  ];
}

export default lab({
  id: "kv-cache-tax",
  title: "KV-Cache: The Hidden Tax",
  subtitle: "At long context the cache, not the weights, decides how many users one GPU serves.",
  minutes: 35,
  volume: "tutorial",
  topics: ["kv-cache", "memory", "paged attention", "serving"],
  status: "ready",
})
  .show("header", () =>
    tutorialHeader({
      from: "the mlsysim notebook",
      title: "KV-Cache: The Hidden Tax",
      subtitle:
        "Discover that KV-cache memory — not model weights, not compute — determines how many " +
        "users you can serve concurrently.",
      minutes: 35,
    }))
  // ---- setup ------------------------------------------------------------------------------------
  .input("model", () =>
    dropdown({
      label: "Model",
      options: modelChoices(["llama-3-8b", "llama-3.1-8b", "mistral-7b", "llama-2-7b"]),
      value: "llama-3-8b",
    }))
  .input("gpu", () =>
    dropdown({
      label: "GPU",
      options: gpuChoices(["h100-sxm", "l40s", "a100-80gb", "mi300x"]),
      value: "h100-sxm",
    }))
  .input(
    "precision",
    () =>
      radio<Precision>({ label: "Weights and KV precision", options: PRECISIONS, value: "fp16" }),
  )
  .show("setup", ({ $model, $gpu, $precision }) => hstack([$model, $gpu, $precision]))
  .cell("cfg", ({ model, gpu, precision }): WallConfig => ({
    model,
    gpu,
    precision,
    kvPrecision: precision,
  }))
  .cell("budgets", ({ cfg }) => wallBudgets(cfg))
  .cell(
    "perToken",
    ({ cfg }) => kvCache({ model: cfg.model, seqLen: 1, kvPrecision: cfg.kvPrecision }),
  )
  .show("question", ({ cfg, budgets }) => {
    const m = lookupTransformer(cfg.model);
    const g = lookupGpu(cfg.gpu);
    return md`## The question

You deploy **${m.name}** on an **${g.name}**. The weights take
**${formatGB(budgets.all.weightsBytes)}**, and the GPU's ${g.memoryLabel} leaves
**${formatGB(budgets.all.kvBudgetBytes)}** after them. Surely you can serve dozens of users at once?

**Not if they have long contexts.** Every active user holds a KV-cache that grows linearly with
its sequence length. This notebook shows where the real memory wall is, and how paging pushes it
back.`;
  })
  .show("background", ({ cfg, perToken }) => {
    const m = lookupTransformer(cfg.model);
    const gqa = perToken.mhaEquivalentBytes / perToken.totalBytes;
    return callout(
      "info",
      md`During decoding every attention layer keeps the **Key** and **Value** vectors of every
token so far — memoization for attention: store, don't recompute. The cache grows linearly in
layers, context, users and bytes per element:

$$\text{KV} = 2 \times L \times H_{kv} \times d_{head} \times S \times B \times \text{bytes}$$

${m.name} has ${m.layers} layers and **${m.kvHeads} KV heads** of ${m.headDim} dimensions
(${m.heads} query heads: ${perToken.attention}). One token costs
**${formatCount(perToken.bytesPerToken)} B = ${
        formatBytes(perToken.bytesPerToken, { unit: "KiB", digits: 0 })
      }** of cache. Using the ${m.heads} query heads instead would overstate it
**${formatRatio(gqa, 0)}** — the most common KV-cache mistake.`,
      { title: "Background: what is the KV-cache?" },
    );
  })
  // ---- 2. single-user baseline -------------------------------------------------------------------
  .show("s2", () =>
    md`## 1 · Single-user baseline: where does the memory go?

One user at a modest context. vLLM first keeps ${
      formatPercent(1 - DEFAULT_GMU, 0)
    } of memory as headroom, then reserves what its
profiling run measured for activations, then gives every remaining byte to the KV-cache.`)
  .input(
    "baseCtx",
    () => slider({ label: "Context (tokens)", steps: CONTEXTS, value: 2048, format: tokens }),
  )
  .show(
    "baseline",
    ({ cfg, budgets, baseCtx }) =>
      breakdownView(breakdown(cfg, budgets, baseCtx, 1), cfg.gpu, "baseline-chart"),
  )
  .show("baselineNote", ({ cfg, budgets, baseCtx }) => {
    const r = breakdown(cfg, budgets, baseCtx, 1);
    const flag = contextFlag(cfg.model, baseCtx, "baseline-limit");
    const note = callout(
      r.kvShare < 0.1 ? "neutral" : "warn",
      r.kvShare < 0.1
        ? `At ${tokens(baseCtx)} one user's cache is ${
          formatGB(r.kv.totalBytes)
        } — a rounding error next to the weights. This is why many engineers think memory pressure comes from model size. Keep reading.`
        : `At ${tokens(baseCtx)} one user's cache is already ${
          formatPercent(r.kvShare)
        } of weights + KV.`,
    );
    return flag ? vstack([note, flag]) : note;
  })
  // ---- 3. batch sweep ---------------------------------------------------------------------------
  .show("s3", () =>
    md`## 2 · Batch sweep: the concurrency wall

Every concurrent user needs their own cache. Sweep the batch at a fixed context.`)
  .input(
    "batchCtx",
    () => slider({ label: "Context per user", steps: CONTEXTS, value: 2048, format: tokens }),
  )
  .input(
    "batchSel",
    () => slider({ label: "Selected batch", steps: BATCHES, value: 64, format: users }),
  )
  .show("batchControls", ({ $batchCtx, $batchSel }) => hstack([$batchCtx, $batchSel]))
  .cell(
    "batchSweep",
    ({ cfg, budgets, batchCtx }) =>
      wallRows(cfg, budgets, BATCHES.map((batch) => ({ batch, seqLen: batchCtx }))),
  )
  .show(
    "batchChart",
    ({ cfg, budgets, batchSweep, batchCtx, batchSel }) =>
      wallChart(batchSweep, budgets, {
        x: "batch",
        marker: wallRows(cfg, budgets, [{ batch: batchSel, seqLen: batchCtx }])[0],
        description:
          `KV-cache of 1 to 256 users at ${tokens(batchCtx)} each against vLLM's KV budget ` +
          `(${formatGB(budgets.vllm.kvBudgetBytes)}) and all memory after the weights ` +
          `(${formatGB(budgets.all.kvBudgetBytes)}).`,
        testid: "batch-chart",
      }),
  )
  .cell("usersAt", ({ cfg, batchCtx }) => ({
    vllm: maxUsers({ ...cfg, seqLen: batchCtx }),
    all: maxUsers({ ...cfg, seqLen: batchCtx, reserve: "none" }),
  }))
  .show("batchNote", ({ cfg, usersAt, batchCtx }) => {
    const note = callout(
      "info",
      `At ${tokens(batchCtx)} each user holds **${formatGB(usersAt.vllm.kvPerUserBytes)}**. ` +
        `vLLM admits **${plural(usersAt.vllm.maxUsers, "user")}**; counting every byte after ` +
        `the weights (the tutorial's view) would give ${formatCount(usersAt.all.maxUsers)}.`,
      { testid: "batch-note" },
    );
    const flag = contextFlag(cfg.model, batchCtx, "batch-limit");
    return flag ? vstack([note, flag]) : note;
  })
  // ---- 4. context sweep -------------------------------------------------------------------------
  .show("s4", () =>
    md`## 3 · Context sweep: the real memory wall

Fix the number of users and sweep the context from ${tokens(CONTEXTS[0])} to
${tokens(CONTEXTS.at(-1)!)}. This is where the hidden tax shows itself.`)
  .input(
    "ctxBatch",
    () => slider({ label: "Users (batch)", steps: BATCHES, value: 8, format: users }),
  )
  .input(
    "ctxSel",
    () => slider({ label: "Selected context", steps: CONTEXTS, value: 32768, format: tokens }),
  )
  .show("ctxControls", ({ $ctxBatch, $ctxSel }) => hstack([$ctxBatch, $ctxSel]))
  .cell(
    "ctxSweep",
    ({ cfg, budgets, ctxBatch }) =>
      wallRows(cfg, budgets, CONTEXTS.map((seqLen) => ({ batch: ctxBatch, seqLen }))),
  )
  .show("ctxChart", ({ cfg, budgets, ctxSweep, ctxBatch, ctxSel }) =>
    wallChart(ctxSweep, budgets, {
      x: "seqLen",
      marker: wallRows(cfg, budgets, [{ batch: ctxBatch, seqLen: ctxSel }])[0],
      description:
        `KV-cache of ${plural(ctxBatch, "user")} at ${tokens(CONTEXTS[0])} to ${
          tokens(CONTEXTS.at(-1)!)
        } against vLLM's KV budget ` +
        `(${formatGB(budgets.vllm.kvBudgetBytes)}) and all memory after the weights.`,
      testid: "ctx-chart",
    }))
  .cell("insight", ({ cfg }) => ({
    short: maxUsers({ ...cfg, seqLen: CONTEXTS[2] }),
    long: maxUsers({ ...cfg, seqLen: CONTEXTS.at(-1)! }),
  }))
  .show("insightNote", ({ insight, cfg }) =>
    vstack(present([
      callout(
        "warn",
        md`**KV-cache grows linearly with context and with users. It — not model size, not
compute — decides how many users you can serve.** On this ${lookupGpu(cfg.gpu).name}, vLLM
admits **${plural(insight.short.maxUsers, "user")} at ${tokens(CONTEXTS[2])}** but only
**${formatCount(insight.long.maxUsers)} at ${tokens(CONTEXTS.at(-1)!)}**. The context length on
the model card is not a feature; it is a memory bill.`,
        { title: "Key insight", testid: "insight" },
      ),
      // The sweep runs to 131,072 tokens whatever the model: say where it leaves its window.
      sweepFlag(cfg.model, CONTEXTS, "ctx-limit"),
    ])))
  // ---- 5. paged attention -----------------------------------------------------------------------
  .show("s5", () =>
    md`## 4 · Paged attention: pushing back the wall

Static batching reserves the **maximum** length for every request, contiguously. Most requests are
shorter, so most of that reservation holds nothing. **PagedAttention** (vLLM) allocates the cache in
small fixed-size pages on demand, like an operating system's virtual memory: a request wastes at
most the empty tail of its last page. Requests here have lengths spread evenly up to the maximum.`)
  .input(
    "pagedLen",
    () => slider({ label: "Max request length", steps: PAGED_LENS, value: 4096, format: tokens }),
  )
  .input(
    "pagedBatch",
    () =>
      slider({ label: "Scheduler max batch", steps: BATCHES, value: 32, format: (v) => `${v}` }),
  )
  .input("pageSel", () => slider({ label: "Page size", steps: PAGES, value: 16, format: tokens }))
  .show(
    "pagedControls",
    ({ $pagedLen, $pagedBatch, $pageSel }) => hstack([$pagedLen, $pagedBatch, $pageSel]),
  )
  .cell(
    "pagedSweep",
    ({ cfg, pagedLen, pagedBatch }) =>
      PAGES.filter((p) => p <= pagedLen).map((pageSize) =>
        batchingComparison({ ...cfg, maxLen: pagedLen, maxBatch: pagedBatch, pageSize })
      ),
  )
  .show("pagedTable", ({ cfg, pagedLen, pagedBatch, pageSel }) => {
    const sizes = [...new Set([16, 64, Math.min(2048, pagedLen), pageSel])].sort((a, b) => a - b);
    const results = sizes.map((pageSize) =>
      batchingComparison({ ...cfg, maxLen: pagedLen, maxBatch: pagedBatch, pageSize })
    );
    return table(pagedRows(results), {
      caption: `Static vs paged at max length ${tokens(pagedLen)}, max batch ${pagedBatch}`,
      testid: "paged-table",
    });
  })
  .show("pagedChart", ({ pagedSweep, pageSel, pagedLen }) => {
    const rows = pagedSweep.map((r) => ({
      page: r.pageSize,
      paged: r.continuous.fragmentation * 100,
      static: r.static.fragmentation * 100,
    }));
    const sel = pagedSweep.find((r) => r.pageSize === pageSel) ?? pagedSweep.at(-1)!;
    const x = {
      field: "page",
      type: "quantitative" as const,
      scale: { type: "log" as const, base: 2 },
      title: "Page size (tokens)",
    };
    return chart({
      width: 560,
      height: 220,
      layer: [
        {
          data: { name: "table" },
          mark: { type: "line", point: true, color: COLORS.BlueLine, tooltip: true },
          encoding: {
            x,
            y: { field: "paged", type: "quantitative", title: "KV fragmentation (%)" },
          },
        },
        {
          data: { name: "table" },
          mark: { type: "line", strokeDash: [6, 4], color: COLORS.RedLine },
          encoding: { x, y: { field: "static", type: "quantitative" } },
        },
        {
          data: { name: "marker" },
          mark: { type: "point", shape: "diamond", size: 220, filled: true, color: COLORS.Cloud },
          encoding: { x, y: { field: "paged", type: "quantitative" } },
        },
      ],
    }, {
      data: {
        table: rows,
        marker: [{ page: sel.pageSize, paged: sel.continuous.fragmentation * 100 }],
      },
      description: `Fragmentation of paged attention (blue) against page size, up to ${
        tokens(pagedLen)
      }; static batching's reserved-but-empty fraction is the dashed red line.`,
      table: {
        columns: [
          { field: "page", title: "Page (tokens)" },
          {
            field: "paged",
            title: "Paged fragmentation (%)",
            format: (v) => formatNumber(v as number, 2),
          },
          {
            field: "static",
            title: "Static waste (%)",
            format: (v) => formatNumber(v as number, 1),
          },
        ],
      },
      testid: "paged-chart",
    });
  })
  .show("pagedNote", ({ pagedSweep }) => {
    const r = pagedSweep[Math.min(1, pagedSweep.length - 1)];
    return callout(
      "info",
      `Static batching wastes **${formatPercent(r.static.fragmentation)}** of its reservation; ` +
        `${formatCount(r.pageSize)}-token pages waste **${
          formatPercent(r.continuous.fragmentation, 2)
        }**. ` +
        `**Correction:** the tutorial's mlsysim table printed 0.0 % fragmentation for every page ` +
        `size (its model only counts waste when the length is not a multiple of the page) and ` +
        `derived the static baseline from a fixed 60 % heuristic. Over a spread of request lengths ` +
        `the waste is the last page's empty tail, and the speedup (${
          formatRatio(r.speedupVsStatic)
        } here) comes from refilling finished slots every step.`,
      { title: "What changed", testid: "paged-note" },
    );
  })
  // ---- exercises --------------------------------------------------------------------------------
  .show("yourTurn", () =>
    md`## Your turn

Each exercise states a scenario and asks for a prediction first. Commit it; the notebook then
computes the scenario with the same physics and compares. Once committed, the exercise's own
inputs let you move off the scenario and watch the numbers follow.`)
  // Exercise 1
  .act("ex1", {
    title: "Exercise 1",
    intro: () => {
      const m = lookupTransformer(EX1.model);
      const g = lookupGpu(EX1.gpu);
      return md`### Exercise 1 · Predict before you compute

${m.name} has ${m.layers} layers (the 8B models above have 32) and ${m.kvHeads} KV heads of
${m.headDim} dimensions. At ${tokens(EX1.seqLen)} in FP16, at what batch size does it run out of
memory on one ${g.name}?`;
    },
    prediction: () => {
      const a = oomAt(EX1.model, EX1.gpu, EX1.gpus, EX1.seqLen);
      return numberPrediction({
        title: "Exercise 1 · prediction",
        question: "The first batch size that does not fit (1 if not even one user fits):",
        min: 1,
        max: 10000,
        unit: "users",
        answer: a.oomAtUsers,
        format: users,
        explain: a.maxUsers === 0
          ? `The FP16 weights alone take ${formatGB(a.weightsBytes)}, more than the ${
            formatGB(a.memoryBytes)
          } the runtime sees on one ${
            lookupGpu(EX1.gpu).name
          }: the first user already runs out of memory. Raise "GPUs per replica" below to find the batch where a real replica hits the wall.`
          : `${formatGB(a.kvBudgetBytes)} of KV budget ÷ ${formatGB(a.kvPerUserBytes)} per user = ${
            users(a.maxUsers)
          }; user ${formatCount(a.oomAtUsers)} runs out.`,
        testid: "ex1-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .input("ex1Model", () =>
        dropdown({
          label: "Model",
          options: modelChoices(["llama-3.1-70b", "llama-2-70b", "llama-3-8b"]),
          value: EX1.model,
        }))
      .input("ex1Gpu", () =>
        dropdown({
          label: "GPU",
          options: gpuChoices(["h100-sxm", "a100-80gb", "mi300x"]),
          value: EX1.gpu,
        }))
      .input("ex1Gpus", () =>
        slider({
          label: "GPUs per replica",
          steps: [1, 2, 4, 8],
          value: EX1.gpus,
          format: (v) => `${v}`,
        }))
      .input(
        "ex1Ctx",
        () => slider({ label: "Context", steps: CONTEXTS, value: EX1.seqLen, format: tokens }),
      )
      .cell("ex1Live", ({ ex1Model, ex1Gpu, ex1Gpus, ex1Ctx }) =>
        oomAt(ex1Model, ex1Gpu, ex1Gpus, ex1Ctx))
      .show("ex1Explore", (
        { $ex1Model, $ex1Gpu, $ex1Gpus, $ex1Ctx, ex1Live, ex1Model, ex1Gpu, ex1Gpus, ex1Ctx },
      ) => {
        const a = ex1Live;
        const where = `${ex1Gpus} × ${lookupGpu(ex1Gpu).name}`;
        return vstack([
          md`#### Sweep the replica`,
          hstack([$ex1Model, $ex1Gpu, $ex1Gpus, $ex1Ctx]),
          a.maxUsers === 0
            ? failureBanner({
              title: "OOM at batch 1 — the weights alone do not fit.",
              body: `${formatGB(a.weightsBytes)} of FP16 weights against ${
                formatGB(a.memoryBytes)
              } visible on ${where} (before vLLM's ${
                formatGB(a.reserveBytes)
              } reserve). Raise "GPUs per replica".`,
              testid: "ex1-oom",
            })
            : callout(
              "info",
              `On ${where}: ${formatGB(a.kvBudgetBytes)} of KV budget ÷ ${
                formatGB(a.kvPerUserBytes)
              } per user = **${users(a.maxUsers)}**; user ${
                formatCount(a.oomAtUsers)
              } runs out of memory.`,
              { testid: "ex1-live" },
            ),
          ...[contextFlag(ex1Model, ex1Ctx, "ex1-limit")].filter((x) =>
            x !== null
          ),
        ]);
      })
      .record(() => {
        const a = oomAt(EX1.model, EX1.gpu, EX1.gpus, EX1.seqLen);
        return { hud: [["OOM at", users(a.oomAtUsers)]], ledger: { oom_at_users: a.oomAtUsers } };
      }))
  // Exercise 2, FP16
  .act("ex2", {
    title: "Exercise 2 · FP16",
    intro: () => {
      const g = lookupGpu(EX2.gpu);
      const question = md`### Exercise 2 · Maximum users at long context

On an ${g.name} (${g.memoryLabel} of ${g.memoryType}), how many concurrent users of
${lookupTransformer(EX2.model).name} at ${tokens(EX2.seqLen)} fit in FP16? (INT8 comes next.)`;
      // The tutorial's scenario: Llama-3-8B is configured for 8,192 tokens, not 128K. The
      // exercise keeps it (the memory arithmetic is the lesson) and says so, from core.
      const flag = contextFlag(EX2.model, EX2.seqLen, "ex2-limit");
      return flag ? vstack([question, flag]) : question;
    },
    prediction: () => {
      const a = usersAt(EX2.model, EX2.gpu, EX2.seqLen, "fp16");
      return numberPrediction({
        title: "Exercise 2 · prediction (FP16)",
        question: "Max concurrent users in FP16:",
        min: 0,
        max: 10000,
        unit: "users",
        answer: a.maxUsers,
        format: users,
        explain: `${formatGB(a.kvBudgetBytes)} of KV budget ÷ ${
          formatGB(a.kvPerUserBytes)
        } per user at ${tokens(EX2.seqLen)}.`,
        testid: "ex2-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .show("sLong", () =>
        md`#### A single user at 128K

The tutorial's headline: "at 128K context, the cache alone fills an 80 GB GPU — room for exactly
one user". Check it, on the exercise's GPU or another.`)
      .input("ex2Model", () =>
        dropdown({
          label: "Model",
          options: modelChoices(["llama-3-8b", "llama-3.1-8b", "mistral-7b"]),
          value: EX2.model,
        }))
      .input("ex2Gpu", () =>
        dropdown({
          label: "GPU",
          options: gpuChoices(["h200", "h100-sxm", "mi300x"]),
          value: EX2.gpu,
        }))
      .input(
        "ex2Ctx",
        () => slider({ label: "Context", steps: CONTEXTS, value: EX2.seqLen, format: tokens }),
      )
      .show(
        "ex2Controls",
        ({ $ex2Model, $ex2Gpu, $ex2Ctx }) => hstack([$ex2Model, $ex2Gpu, $ex2Ctx]),
      )
      .cell("ex2Cfg", ({ ex2Model, ex2Gpu }): WallConfig => ({
        model: ex2Model,
        gpu: ex2Gpu,
        precision: "fp16",
        kvPrecision: "fp16",
      }))
      .cell("ex2Budgets", ({ ex2Cfg }) => wallBudgets(ex2Cfg))
      .show(
        "longView",
        ({ ex2Cfg, ex2Budgets, ex2Ctx }) =>
          breakdownView(breakdown(ex2Cfg, ex2Budgets, ex2Ctx, 1), ex2Cfg.gpu, "long-chart"),
      )
      .cell("longUsers", ({ ex2Cfg, ex2Ctx }) => ({
        vllm: maxUsers({ ...ex2Cfg, seqLen: ex2Ctx }),
        all: maxUsers({ ...ex2Cfg, seqLen: ex2Ctx, reserve: "none" }),
        /** The headline's 80 GB GPU. */
        h100: maxUsers({ ...ex2Cfg, gpu: "h100-sxm", seqLen: ex2Ctx }),
        h100All: maxUsers({ ...ex2Cfg, gpu: "h100-sxm", seqLen: ex2Ctx, reserve: "none" }),
      }))
      .show("longNote", ({ ex2Cfg, ex2Budgets, ex2Ctx, longUsers }) => {
        const r = breakdown(ex2Cfg, ex2Budgets, ex2Ctx, 1);
        const m = lookupTransformer(ex2Cfg.model);
        const exceeds = r.kv.totalBytes > r.weights;
        const parts = [
          callout(
            longUsers.vllm.maxUsers >= 1 ? "info" : "danger",
            `One user at ${tokens(ex2Ctx)} holds **${formatGB(r.kv.totalBytes)}** ` +
              `(${formatGiB(r.kv.totalBytes)}) of cache — ${
                exceeds ? "more than" : "less than"
              } the ${formatGB(r.weights)} of weights. On the ${
                lookupGpu(ex2Cfg.gpu).name
              } vLLM admits **${users(longUsers.vllm.maxUsers)}** (all memory after the ` +
              `weights: ${formatCount(longUsers.all.maxUsers)}). **Correction:** on an 80 GB ` +
              `${lookupGpu("h100-sxm").name} the cache does not leave room for exactly one ` +
              `user either: vLLM admits ${formatCount(longUsers.h100.maxUsers)}, and counting ` +
              `all memory after the weights gives ${formatCount(longUsers.h100All.maxUsers)}. ` +
              `The tax is real; the tutorial's "exactly one" overstated it.`,
            { title: "Single user at long context", testid: "long-note" },
          ),
        ];
        const alt = lookupTransformer("llama-3.1-8b");
        if (contextCheck(ex2Cfg.model, ex2Ctx).exceedsModel) {
          parts.push(ex2Flag(ex2Cfg.model, ex2Ctx, "max-context-note", (flag) =>
            ex2Ctx <= alt.maxContext && alt.id !== m.id
              ? `${flag}${alt.name} has the same KV shape and a ${
                formatCount(alt.maxContext)
              }-token window — pick it above to see a model that can.`
              : flag));
        }
        return vstack(parts);
      })
      .record(() => {
        const a = usersAt(EX2.model, EX2.gpu, EX2.seqLen, "fp16");
        return { hud: [["Users FP16", a.maxUsers]], ledger: { users_fp16: a.maxUsers } };
      }))
  // Exercise 2, INT8
  .act("ex2Int8", {
    title: "Exercise 2 · INT8",
    intro: () =>
      md`Now quantize both the weights and the KV-cache to **INT8** (1 byte per element), same
${lookupGpu(EX2.gpu).name}, same ${tokens(EX2.seqLen)}. How many users fit, and how many does
quantization buy?`,
    prediction: () => {
      const fp16 = usersAt(EX2.model, EX2.gpu, EX2.seqLen, "fp16");
      const int8 = usersAt(EX2.model, EX2.gpu, EX2.seqLen, "int8");
      return numberPrediction({
        title: "Exercise 2 · prediction (INT8)",
        question: "Max concurrent users with INT8 weights and KV:",
        min: 0,
        max: 10000,
        unit: "users",
        answer: int8.maxUsers,
        format: users,
        explain: `INT8 halves both the weights (${formatGB(fp16.weightsBytes)} → ${
          formatGB(int8.weightsBytes)
        }) and each user's cache (${formatGB(fp16.kvPerUserBytes)} → ${
          formatGB(int8.kvPerUserBytes)
        }), so quantization buys **${formatCount(int8.maxUsers - fp16.maxUsers)} more users** (${
          formatRatio(int8.maxUsers / fp16.maxUsers)
        } as many): the freed weight memory holds cache too.`,
        testid: "ex2-int8-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .show("ex2Compare", ({ ex2Model, ex2Gpu, ex2Ctx }) => {
        const fp16 = usersAt(ex2Model, ex2Gpu, ex2Ctx, "fp16");
        const int8 = usersAt(ex2Model, ex2Gpu, ex2Ctx, "int8");
        const flag = contextCheck(ex2Model, ex2Ctx).exceedsModel
          ? ex2Flag(ex2Model, ex2Ctx, "ex2-compare-limit", (f) => f.trim())
          : null;
        return vstack([
          md`With Exercise 2's inputs above (${lookupTransformer(ex2Model).name}, ${
            lookupGpu(ex2Gpu).name
          }, ${tokens(ex2Ctx)}):`,
          metricRow([
            { label: "FP16", value: users(fp16.maxUsers), caption: formatGB(fp16.kvPerUserBytes) },
            {
              label: "INT8",
              value: users(int8.maxUsers),
              caption: formatGB(int8.kvPerUserBytes),
              kind: "info",
            },
            {
              label: "Quantization buys",
              value: users(int8.maxUsers - fp16.maxUsers),
              kind: int8.maxUsers > fp16.maxUsers ? "success" : "neutral",
            },
          ]),
          ...present([flag]),
        ]);
      })
      .record(() => {
        const a = usersAt(EX2.model, EX2.gpu, EX2.seqLen, "int8");
        return { hud: [["Users INT8", a.maxUsers]], ledger: { users_int8: a.maxUsers } };
      }))
  // Exercise 3
  .act("ex3", {
    title: "Exercise 3",
    intro: () =>
      md`### Exercise 3 · Paged vs static at long context

${lookupTransformer(EX3.model).name} on one ${lookupGpu(EX3.gpu).name} in FP16, requests up to
${tokens(EX3.maxLen)}, max batch ${EX3.maxBatch}: compare ${
        formatCount(EX3.pageA)
      }-token pages with ${formatCount(EX3.pageB)}-token pages. Which gives the better decode
throughput? Does page size matter more at long context?`,
    prediction: () => {
      const c = pageComparison(EX3.maxLen, EX3.maxBatch, EX3.pageA, EX3.pageB);
      const fit = c.small.continuous.maxActiveRequests;
      return choicePrediction({
        title: "Exercise 3 · prediction",
        question: "Which page size gives the higher decode throughput?",
        options: [
          {
            text: `the ${
              formatCount(EX3.pageA)
            }-token pages, by more than ${SAME}: smaller pages waste less of each request`,
            why:
              "Smaller pages do waste less, but a request only ever wastes the empty tail of its last page — about half a page, a sliver of a long request's cache.",
            correct: c.outcome === "small",
          },
          {
            text: `the ${
              formatCount(EX3.pageB)
            }-token pages, by more than ${SAME}: fewer, larger pages are cheaper to manage`,
            why:
              "Larger pages mean fewer block-table entries, but that bookkeeping is not what limits decode; how many requests fit in memory is.",
            correct: c.outcome === "large",
          },
          {
            text:
              `about the same (within ${SAME}): either way each request wastes at most one page`,
            why:
              "Either page size leaves about half a page empty per request; at long context capacity — how many requests fit — sets the throughput.",
            correct: c.outcome === "same",
          },
          {
            text: `neither: ${EX3.maxBatch} requests of ${
              tokens(EX3.maxLen)
            } do not fit, so the batch cannot run`,
            why: `They do not all fit at once, but continuous batching admits as many as fit (${
              formatCount(fit)
            } here) and serves the rest as slots free up.`,
            correct: c.outcome === "none",
          },
        ],
        testid: "ex3-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .input(
        "ex3Len",
        () =>
          slider({
            label: "Max request length",
            steps: CONTEXTS,
            value: EX3.maxLen,
            format: tokens,
          }),
      )
      .input(
        "ex3Batch",
        () =>
          slider({
            label: "Max batch",
            steps: BATCHES,
            value: EX3.maxBatch,
            format: (v) => `${v}`,
          }),
      )
      .input(
        "ex3PageA",
        () => slider({ label: "Small page", steps: PAGES, value: EX3.pageA, format: tokens }),
      )
      .input(
        "ex3PageB",
        () => slider({ label: "Large page", steps: PAGES, value: EX3.pageB, format: tokens }),
      )
      .cell(
        "ex3Live",
        ({ ex3Len, ex3Batch, ex3PageA, ex3PageB }) =>
          pageComparison(ex3Len, ex3Batch, ex3PageA, ex3PageB),
      )
      .show("ex3Explore", (
        { $ex3Len, $ex3Batch, $ex3PageA, $ex3PageB, ex3Live, ex3Len, ex3PageA, ex3PageB },
      ) => {
        const { small, large } = ex3Live;
        const rows = [
          { page: ex3PageA, r: small },
          { page: ex3PageB, r: large },
        ].map(({ page, r }) => ({
          page: tokens(page),
          active: r.continuous.maxActiveRequests,
          fragmentation: formatPercent(r.continuous.fragmentation, 2),
          throughput: formatTokensPerS(r.continuous.throughputTokensPerS),
        }));
        return vstack([
          md`#### Move the scenario`,
          hstack([$ex3Len, $ex3Batch, $ex3PageA, $ex3PageB]),
          callout(
            "info",
            `Throughput ratio small ÷ large page = **${formatRatio(ex3Live.ratio, 3)}**. ` +
              (small.continuous.maxActiveRequests === large.continuous.maxActiveRequests
                ? `Both page sizes admit ${
                  plural(small.continuous.maxActiveRequests, "request")
                } at once: `
                : `The small page admits ${
                  plural(small.continuous.maxActiveRequests, "request")
                }, the large one ${formatCount(large.continuous.maxActiveRequests)}: `) +
              `a request wastes only its last page's empty tail (about half a page), a fixed ` +
              `number of tokens. **Correction:** so page size matters *less* at long context, ` +
              `not more — ${formatCount(ex3PageB)}-token pages waste ${
                formatPercent(ex3Live.atShort, 2)
              } of the cache at ${tokens(ex3Live.shortLen)} but ${
                formatPercent(large.continuous.fragmentation, 2)
              } at ${tokens(ex3Len)}. What binds at long context is capacity.`,
            { title: "Why", testid: "ex3-feedback" },
          ),
          table(rows, { testid: "ex3-table" }),
        ]);
      })
      .record(() => {
        const c = pageComparison(EX3.maxLen, EX3.maxBatch, EX3.pageA, EX3.pageB);
        return {
          hud: [["Page ratio", formatRatio(c.ratio, 3)]],
          ledger: { page_outcome: c.outcome, page_throughput_ratio: c.ratio },
        };
      }))
  // Self-check
  .act("selfCheck", {
    title: "Self-check",
    intro: () => {
      const m = lookupTransformer(SELF_MODEL);
      return md`### Self-check

${m.name} has **${m.layers} layers and ${m.kvHeads} KV heads of ${m.headDim} dimensions** (its
${m.heads} query heads share them), and stores its cache in FP16 (2 bytes). How many bytes of
KV-cache does one token cost one user?`;
    },
    prediction: () => {
      const m = lookupTransformer(SELF_MODEL);
      const b = kvBytesPerToken(SELF_MODEL, "fp16");
      const first = kvBytesPerToken("llama-3-8b", "fp16");
      return numberPrediction({
        title: "Self-check · prediction",
        question: "KV bytes per token per user:",
        min: 0,
        max: 10_000_000,
        unit: "B",
        answer: b,
        format: (n) => `${formatCount(n)} B`,
        explain: `$2 \\times ${m.layers} \\times ${m.kvHeads} \\times ${m.headDim} \\times 2$ = ${
          formatCount(b)
        } B = ${formatBytes(b, { unit: "KiB", digits: 0 })} (${
          formatBytes(b, { unit: "KB", digits: 1 })
        } in decimal units). The tutorial's own self-check was the ${
          formatCount(first)
        } B of the background above, which it wrote as "128 KB": the number is right, the unit is KiB.`,
        testid: "self-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .record(() => ({ ledger: { kv_bytes_per_token: kvBytesPerToken(SELF_MODEL, "fp16") } })))
  // ---- takeaways --------------------------------------------------------------------------------
  .show(
    "math",
    ({ perToken }) =>
      mathPeek(
        md`$$\text{KV bytes} = \underbrace{2 \cdot L \cdot H_{kv} \cdot d_{head} \cdot b}_{\text{per token: } ${
          formatCount(perToken.bytesPerToken)
        }\ \text{B}} \times S \times B$$

$$\text{max users} = \left\lfloor \frac{M_{\text{visible}} \cdot ${DEFAULT_GMU} - W - A_{\text{profile}} - M_{\text{runtime}}}{\text{KV bytes per token} \times S} \right\rfloor$$

$L$ layers, $H_{kv}$ KV heads, $d_{head}$ head dimension, $b$ bytes per element, $S$ tokens per
user, $B$ users; $W$ weights, $A_{\text{profile}}$ the activation peak vLLM measures at start-up.`,
      ),
  )
  .show("takeaways", () =>
    callout(
      "success",
      md`- **KV-cache scales linearly** with layers, KV heads, context and users.
- **At short context it is negligible**: the weights dominate and many users fit.
- **At long context it dominates**: one long user's cache can exceed the weights.
- **The OOM boundary is context × users**, not model size alone.
- **Paged attention** cuts the reservation waste from about half to the tail of one page.`,
      { title: "Key takeaways" },
    ))
  .summary("summary", ({ acts }) =>
    labSummary({
      lab: "kv-cache-tax",
      context: "tutorial",
      acts,
      hud: [["Lab", "KV-cache tax"]],
    }));
