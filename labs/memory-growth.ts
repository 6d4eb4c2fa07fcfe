/**
 * The memory-growth analysis (seed 003, a Python script) as a syslab notebook. The script's five
 * tables — model comparison, detailed growth, batch impact, per-token cost, max context by GPU —
 * are recomputed by core/ with config-exact shapes: GQA KV heads where the script used query heads
 * (Llama-3-8B, Mistral-7B, Llama-2-70B), Mistral's sliding window, the real parameter count, GB
 * vs GiB labelled, and the script's "2 × weights" activation reserve shown next to vLLM's.
 *
 * Two acts, each on a fixed scenario: ex1 (how much the script's query-head formula overstates
 * the cache; section 1's comparison, which answers it, is its body) and ex2 (the longest context
 * one GPU's memory allows; section 5's chart and reserves, which answer it, are its body).
 * Sections 2–4 sit between them, open from the start.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  chart,
  COLORS,
  dropdown,
  hstack,
  labSummary,
  mathPeek,
  md,
  mdText,
  metricRow,
  numberPrediction,
  slider,
  table,
  vstack,
} from "../cells/mod.ts";
import {
  contextCheck,
  DEFAULT_GMU,
  formatBytes,
  formatCount,
  formatGB,
  formatGiB,
  formatNumber,
  formatPercent,
  formatRatio,
  GB,
  GiB,
  GROWTH_BATCHES,
  GROWTH_GPUS,
  GROWTH_MODELS,
  GROWTH_SEQ_LENS,
  kvCache,
  lookupGpu,
  lookupTransformer,
  maxContext,
  memoryBudget,
  paramCounts,
  plural,
  seedParamFormula,
  weightsMemory,
} from "../core/mod.ts";
import { gpuChoices, modelChoices } from "./_shared/choices.ts";
import { tutorialHeader } from "./_shared/tutorial.ts";
import { CONTEXTS, powersOfTwo, tokens } from "./_shared/memory-wall.ts";
import { contextFlag, present, sweepFlag } from "./_shared/context-limit.ts";

const SEQS = powersOfTwo(GROWTH_SEQ_LENS[0], GROWTH_SEQ_LENS.at(-1)!);
const BATCH_STEPS = powersOfTwo(GROWTH_BATCHES[0], GROWTH_BATCHES.at(-1)!);
/** The acts' scenarios (the script's defaults). */
const EX1 = { model: "llama-3-8b", seqLen: 4096 } as const;
const EX2 = { model: "llama-2-7b", gpu: "h100-sxm", batch: 1 } as const;
const ratioText = (n: number) => `${formatNumber(n, 1)}×`;
const seqText = (n: number) => plural(n, "sequence");
const limitText = (n: number) =>
  !Number.isFinite(n) ? "unbounded" : n <= 0 ? "0 (weights do not fit)" : formatCount(n);
/** The comparison's models that share KV heads (GQA) and those that do not (MHA). */
const GQA = GROWTH_MODELS.filter((id) => {
  const m = lookupTransformer(id);
  return m.kvHeads < m.heads;
});
const MHA = GROWTH_MODELS.filter((id) => !GQA.includes(id));
const names = (ids: readonly string[]) => ids.map((id) => lookupTransformer(id).name).join(", ");

/** KV bytes as the script computes them (query heads as KV heads) and as the config says. */
function kvBoth(model: string, seqLen: number, batch = 1) {
  const r = kvCache({ model, seqLen, batch });
  return { script: r.mhaEquivalentBytes, exact: r.totalBytes, r };
}

/** Why the script's cache is `k.script / k.exact` times the real one for `model`. */
function ratioWhy(model: string, k: { script: number; exact: number }): string {
  const m = lookupTransformer(model);
  const group = m.heads / m.kvHeads;
  const ratio = k.script / k.exact;
  if (group === 1 && ratio < 1.001) {
    return `${m.name} uses full multi-head attention (${m.heads} KV heads): the script is right.`;
  }
  return `${m.heads} query heads share ${m.kvHeads} KV heads (groups of ${group}): the ` +
    `script's ${formatGB(k.script)} is really ${formatGB(k.exact)}.` +
    (ratio > group * 1.001
      ? ` The rest of the gap is ${m.name}'s ${
        formatCount(m.slidingWindow?.window ?? 0)
      }-token sliding window: its cache stops growing there.`
      : "");
}

export default lab({
  id: "memory-growth",
  title: "Memory Growth of the KV-Cache",
  subtitle: "How the cache scales with context, batch, heads and layers — and how long a context " +
    "each GPU holds.",
  minutes: 30,
  volume: "tutorial",
  topics: ["kv-cache", "memory", "gqa", "capacity"],
  status: "ready",
})
  .show("header", () =>
    tutorialHeader({
      from: "the memory-growth analysis script",
      title: "Memory Growth of the KV-Cache",
      subtitle:
        "The script's five tables, recomputed with config-exact models: per-model KV heads, " +
        "real parameter counts, GB and GiB kept apart, and two ways to reserve memory.",
      minutes: 30,
    }))
  .show("intro", () =>
    callout(
      "info",
      md`The script describes every model by layers, width and **heads**, and sizes the cache with
the query heads. That is right for ${names(MHA)} (multi-head attention) and wrong for ${
        names(GQA)
      }, which share each key/value head across a group of query
heads (**GQA**). It also estimates parameters with a formula that leaves out the gated MLP,
reserves **2 × the weights** for activations, and prints binary gibibytes labelled "GB". Each
section below shows the corrected number and what the script would have said.`,
      { title: "What this notebook checks" },
    ))
  // ---- act 1: predict first, then section 1 ----------------------------------------------------
  .act("ex1", {
    title: "KV heads",
    intro: () => {
      const m = lookupTransformer(EX1.model);
      return md`### Predict first · How wrong is the script?

The script gives ${m.name} ${m.heads} heads and sizes its cache with all of them. At
${tokens(EX1.seqLen)}, how many times larger is the script's KV-cache than the real one?`;
    },
    prediction: () => {
      const m = lookupTransformer(EX1.model);
      const k = kvBoth(EX1.model, EX1.seqLen);
      return numberPrediction({
        title: "Prediction lock · KV heads",
        question: "Script's KV-cache ÷ real KV-cache:",
        min: 1,
        max: 1000,
        step: 0.5,
        unit: "×",
        answer: k.script / k.exact,
        format: ratioText,
        explain: ratioWhy(m.id, k),
        testid: "ex1-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .input("exModel", () =>
        dropdown({
          label: "Model",
          options: modelChoices(["llama-3-8b", "llama-2-70b", "mistral-7b", "llama-2-13b"]),
          value: EX1.model,
        }))
      .input(
        "exCtx",
        () => slider({ label: "Context", steps: SEQS, value: EX1.seqLen, format: tokens }),
      )
      .cell("ex1Live", ({ exModel, exCtx }) => {
        const k = kvBoth(exModel, exCtx);
        return { ratio: k.script / k.exact, ...k };
      })
      .show("ex1Explore", ({ $exModel, $exCtx, exModel, exCtx, ex1Live }) =>
        vstack([
          md`#### Another model, another context`,
          hstack([$exModel, $exCtx]),
          callout(
            "info",
            mdText(
              `The script's cache is **${ratioText(ex1Live.ratio)}** the real one. ${
                ratioWhy(exModel, ex1Live)
              }`,
            ),
            { testid: "ex1-live" },
          ),
          ...present([contextFlag(exModel, exCtx, "ex1-limit")]),
        ]))
      .input(
        "cmpCtx",
        () =>
          slider({ label: "Context for the chart", steps: CONTEXTS, value: 32768, format: tokens }),
      )
      .show("s1", ({ $cmpCtx }) =>
        vstack([
          md`## 1 · Model size comparison (FP16/BF16, batch 1)`,
          $cmpCtx,
        ]))
      .cell("comparison", () =>
        GROWTH_MODELS.map((id) => {
          const m = lookupTransformer(id);
          return {
            id,
            name: m.name,
            heads: `${m.heads} / ${m.kvHeads}`,
            weights: weightsMemory(m, "bf16").totalBytes,
            kv1k: kvBoth(id, 1024).exact,
            kv8k: kvBoth(id, 8192).exact,
            kv32k: kvBoth(id, 32768).exact,
            script32k: kvBoth(id, 32768).script,
            modelMax: m.maxContext,
          };
        }))
      .show("cmpTable", ({ comparison }) => {
        return table(comparison, {
          caption: "KV-cache of one sequence, config-exact, and as the script computes it",
          columns: [
            { field: "name", title: "Model" },
            { field: "heads", title: "Query / KV heads" },
            { field: "weights", title: "Weights", format: (v) => formatGB(v as number) },
            { field: "kv1k", title: "KV @1K", format: (v) => formatGB(v as number) },
            { field: "kv8k", title: "KV @8K", format: (v) => formatGB(v as number) },
            { field: "kv32k", title: "KV @32K", format: (v) => formatGB(v as number) },
            { field: "script32k", title: "Script's KV @32K", format: (v) => formatGB(v as number) },
            {
              field: "modelMax",
              title: "Model's max ctx",
              format: (v) => formatCount(v as number),
            },
          ],
          testid: "cmp-table",
        });
      })
      .show("cmpChart", ({ cmpCtx }) => {
        const rows = GROWTH_MODELS.flatMap((id) => {
          const k = kvBoth(id, cmpCtx);
          const name = lookupTransformer(id).name;
          return [
            { model: name, source: "script (query heads)", bytes: k.script, gb: k.script / GB },
            { model: name, source: "config (KV heads, window)", bytes: k.exact, gb: k.exact / GB },
          ];
        });
        return chart({
          width: 480,
          height: 240,
          mark: { type: "bar", tooltip: true },
          encoding: {
            y: { field: "model", type: "nominal", title: null, sort: null },
            yOffset: { field: "source" },
            x: {
              field: "gb",
              type: "quantitative",
              title: "KV-cache of one sequence (GB = 10⁹ B)",
            },
            color: {
              field: "source",
              type: "nominal",
              scale: { range: [COLORS.BlueLine, COLORS.TextMuted] },
              legend: { title: null, orient: "bottom" },
            },
          },
        }, {
          data: rows,
          description:
            `KV-cache of one ${
              formatCount(cmpCtx)
            }-token sequence per model: as the script computes ` +
            `it with query heads (grey) and config-exact (blue).`,
          table: {
            columns: [
              { field: "model", title: "Model" },
              { field: "source", title: "Computed with" },
              { field: "bytes", title: "GB", format: (v) => formatGB(v as number) },
              { field: "bytes", title: "GiB", format: (v) => formatGiB(v as number) },
            ],
          },
          testid: "cmp-chart",
        });
      })
      .show("cmpNote", ({ cmpCtx }) => {
        // Models whose configured window is shorter than the chart's context (core's contextCheck).
        const beyond = GROWTH_MODELS.filter((id) => contextCheck(id, cmpCtx).exceedsModel)
          .map((id) => lookupTransformer(id));
        const ratios = GQA.map((id) => {
          const k = kvBoth(id, cmpCtx);
          return `${lookupTransformer(id).name} ${formatRatio(k.script / k.exact, 0)}`;
        });
        const windowed = GQA.map((id) => lookupTransformer(id)).filter((m) => m.slidingWindow);
        const note = callout(
          "warn",
          `**Correction — KV heads.** At ${tokens(cmpCtx)} the script overstates the cache of ` +
            `${ratios.join(", ")}. ` +
            windowed.map((m) =>
              `${m.name} also uses a ${
                formatCount(m.slidingWindow!.window)
              }-token sliding window, so its cache stops growing there. `
            ).join("") +
            `${names(MHA)} use full multi-head attention, so for them the script is right.`,
          { title: "Query heads are not KV heads", testid: "cmp-note" },
        );
        if (!beyond.length) return note;
        return vstack([
          note,
          callout(
            "warn",
            `Beyond the window: ${
              beyond.map((m) => `${m.name} (${tokens(m.maxContext)})`).join(", ")
            } ${beyond.length === 1 ? "is" : "are"} configured for less than ${
              tokens(cmpCtx)
            }; their bars (and the table's columns past their maximum context) are memory ` +
              `arithmetic for a context they cannot serve — vLLM refuses such a max_model_len.`,
            { title: "Beyond the model's context window", testid: "cmp-limit" },
          ),
        ]);
      })
      .record(() => {
        const k = kvBoth(EX1.model, EX1.seqLen);
        const r = k.script / k.exact;
        return { hud: [["Script ÷ real", ratioText(r)]], ledger: { kv_overstatement: r } };
      }))
  // ---- 2. detailed growth -----------------------------------------------------------------------
  .input(
    "growthModel",
    () => dropdown({ label: "Model", options: modelChoices(GROWTH_MODELS), value: "llama-2-7b" }),
  )
  .input(
    "growthBatch",
    () => slider({ label: "Batch", steps: BATCH_STEPS, value: 1, format: (v) => `${v}` }),
  )
  .input(
    "growthSel",
    () => slider({ label: "Selected context", steps: SEQS, value: 4096, format: tokens }),
  )
  .show("s2", ({ $growthModel, $growthBatch, $growthSel }) =>
    vstack([
      md`## 2 · Detailed growth

The weights are fixed; the cache grows with every token of every sequence.`,
      hstack([$growthModel, $growthBatch, $growthSel]),
    ]))
  .cell("growth", ({ growthModel, growthBatch }) => {
    const w = weightsMemory(growthModel, "bf16").totalBytes;
    return SEQS.map((seqLen) => {
      const kv = kvCache({ model: growthModel, seqLen, batch: growthBatch }).totalBytes;
      return {
        seqLen,
        kv,
        total: kv + w,
        fraction: kv / (kv + w),
        kvGB: kv / GB,
        totalGB: (kv + w) / GB,
      };
    });
  })
  .show("growthChart", ({ growth, growthSel, growthModel, growthBatch }) => {
    const rows = growth.flatMap((g) => [
      { seqLen: g.seqLen, series: "KV-cache", gb: g.kvGB },
      { seqLen: g.seqLen, series: "weights + KV-cache", gb: g.totalGB },
    ]);
    const sel = growth.find((g) => g.seqLen === growthSel) ?? growth.at(-1)!;
    const x = {
      field: "seqLen",
      type: "quantitative" as const,
      title: "Context (tokens)",
      scale: { type: "log" as const, base: 2 },
    };
    return chart({
      width: 560,
      height: 240,
      layer: [
        {
          data: { name: "table" },
          mark: { type: "line", point: true, tooltip: true },
          encoding: {
            x,
            y: { field: "gb", type: "quantitative", title: "GB (10⁹ B)" },
            color: {
              field: "series",
              type: "nominal",
              scale: { range: [COLORS.OrangeLine, COLORS.BlueLine] },
              legend: { title: null, orient: "bottom" },
            },
          },
        },
        {
          data: { name: "marker" },
          mark: { type: "point", shape: "diamond", size: 220, filled: true, color: COLORS.Cloud },
          encoding: { x, y: { field: "gb", type: "quantitative" } },
        },
      ],
    }, {
      data: { table: rows, marker: [{ seqLen: sel.seqLen, gb: sel.kvGB }] },
      description: `KV-cache and weights + KV-cache of ${lookupTransformer(growthModel).name}, ` +
        `batch ${growthBatch}, from ${tokens(SEQS[0])} to ${tokens(SEQS.at(-1)!)}.`,
      table: {
        dataset: "table",
        columns: [
          { field: "seqLen", title: "Context", format: (v) => formatCount(v as number) },
          { field: "series", title: "Series" },
          { field: "gb", title: "GB", format: (v) => formatNumber(v as number, 2) },
        ],
      },
      testid: "growth-chart",
    });
  })
  .show("growthStats", ({ growth, growthSel, growthModel }) => {
    const flags = present([
      contextFlag(growthModel, growthSel, "growth-limit"),
      sweepFlag(growthModel, SEQS, "growth-sweep-limit"),
    ]);
    const g = growth.find((r) => r.seqLen === growthSel) ?? growth.at(-1)!;
    const m = lookupTransformer(growthModel);
    const exact = paramCounts(m).total;
    const formula = seedParamFormula(m);
    return vstack([
      metricRow([
        { label: "KV-cache", value: formatGB(g.kv), caption: formatGiB(g.kv), kind: "info" },
        { label: "Weights + KV", value: formatGB(g.total) },
        { label: "KV fraction", value: formatPercent(g.fraction) },
      ]),
      callout(
        "warn",
        `**Correction — parameters.** The script's formula $L(4d^2 + 2d\\lfloor 4d/3\\rfloor + 2d)` +
          ` + Vd$ gives ${m.name} **${formatNumber(formula / 1e9, 2)} B** parameters; its config ` +
          `gives **${formatNumber(exact / 1e9, 2)} B** (${
            formatGB(weightsMemory(m, "bf16").totalBytes)
          } in BF16). The formula assumes a plain 4/3·d MLP and query-sized K/V projections; ` +
          `these models use a gated MLP (three matrices) and their own KV width.`,
        { testid: "params-note" },
      ),
      ...flags,
    ]);
  })
  // ---- 3. batch impact --------------------------------------------------------------------------
  .input(
    "batchCtx",
    () => slider({ label: "Context per sequence", steps: SEQS, value: 4096, format: tokens }),
  )
  .input(
    "batchSel",
    () => slider({ label: "Selected batch", steps: BATCH_STEPS, value: 8, format: (v) => `${v}` }),
  )
  .show("s3", ({ $batchCtx, $batchSel }) =>
    vstack([
      md`## 3 · Batch impact

Every sequence in the batch has its own cache, and each decode step adds one token to each.`,
      hstack([$batchCtx, $batchSel]),
    ]))
  .cell("batchImpact", ({ growthModel, batchCtx }) => {
    const perTok = kvCache({ model: growthModel, seqLen: 1 }).bytesPerToken;
    return BATCH_STEPS.map((batch) => ({
      batch,
      kv: kvCache({ model: growthModel, seqLen: batchCtx, batch }).totalBytes,
      perStep: batch * perTok,
    }));
  })
  .show("batchChart", ({ batchImpact, batchSel, batchCtx, growthModel }) => {
    const sel = batchImpact.find((b) => b.batch === batchSel) ?? batchImpact.at(-1)!;
    const x = { field: "batch", type: "quantitative" as const, title: "Batch" };
    return chart({
      width: 560,
      height: 220,
      layer: [
        {
          data: { name: "table" },
          mark: {
            type: "line",
            point: { filled: true, color: COLORS.OrangeLine },
            color: COLORS.OrangeLine,
            tooltip: true,
          },
          encoding: { x, y: { field: "gb", type: "quantitative", title: "KV-cache (GB)" } },
        },
        {
          data: { name: "marker" },
          mark: { type: "point", shape: "diamond", size: 220, filled: true, color: COLORS.Cloud },
          encoding: { x, y: { field: "gb", type: "quantitative" } },
        },
      ],
    }, {
      data: {
        table: batchImpact.map((b) => ({ ...b, gb: b.kv / GB })),
        marker: [{ batch: sel.batch, gb: sel.kv / GB }],
      },
      description: `KV-cache of ${lookupTransformer(growthModel).name} against the batch at ${
        tokens(batchCtx)
      } per sequence.`,
      table: {
        dataset: "table",
        columns: [
          { field: "batch", title: "Batch" },
          { field: "kv", title: "KV-cache (GB)", format: (v) => formatGB(v as number) },
          {
            field: "perStep",
            title: "Growth per decode step",
            format: (v) => formatBytes(v as number, { unit: "MiB", digits: 3 }),
          },
        ],
      },
      testid: "batch-chart",
    });
  })
  .show("batchStats", ({ batchImpact, batchSel, growthModel, batchCtx }) => {
    const b = batchImpact.find((r) => r.batch === batchSel) ?? batchImpact.at(-1)!;
    return vstack(present([
      metricRow([
        { label: `KV-cache, batch ${b.batch}`, value: formatGB(b.kv), caption: formatGiB(b.kv) },
        {
          label: "Growth per decode step",
          value: formatBytes(b.perStep, { unit: "MiB", digits: 2 }),
          caption: "one new token in every sequence",
        },
      ]),
      contextFlag(growthModel, batchCtx, "batch-limit"),
    ]));
  })
  // ---- 4. per-token cost ------------------------------------------------------------------------
  .input(
    "tokCtx",
    () => slider({ label: "Context for the total", steps: SEQS, value: 32768, format: tokens }),
  )
  .show("s4", ({ $tokCtx }) => vstack([md`## 4 · Per-token memory cost`, $tokCtx]))
  .show("perToken", ({ growthModel, tokCtx }) => {
    const r = kvCache({ model: growthModel, seqLen: tokCtx });
    const full = r.bytesPerToken * tokCtx;
    return vstack([
      metricRow([
        {
          label: "Per token, all layers",
          value: `${formatCount(r.bytesPerToken)} B`,
          caption: formatBytes(r.bytesPerToken, { unit: "KiB", digits: 1 }),
          kind: "info",
        },
        { label: "Per token, per layer", value: `${formatCount(r.bytesPerTokenPerLayer)} B` },
        {
          label: `At ${tokens(tokCtx)}`,
          value: formatGiB(full),
          caption: `= ${formatGB(full)}`,
        },
      ]),
      callout(
        "info",
        `**Correction — units.** The script divides by 1024³ and prints "GB". ` +
          `${formatCount(r.bytesPerToken)} B × ${formatCount(tokCtx)} tokens is ` +
          `**${formatGiB(full)}** = **${formatGB(full)}**. A GPU's "GB" is 10⁹ bytes, ` +
          `${formatPercent(1 - GB / GiB)} less than a GiB.` +
          (r.perRequestBytes < full
            ? ` With its sliding window this model actually keeps ${
              formatGB(r.perRequestBytes)
            } at ${tokens(tokCtx)}.`
            : ""),
        { testid: "units-note" },
      ),
      ...present([contextFlag(growthModel, tokCtx, "tok-limit")]),
    ]);
  })
  // ---- 5. max context by GPU: the act --------------------------------------------------------------
  .show("s5", () =>
    md`## 5 · Maximum context length by GPU

How long a context fits next to the weights? It depends on how much memory you hold back.
The script holds back **2 × the weights** "for activations" on the nominal capacity. vLLM holds
back what its start-up profiling run measures (the activation peak of one batch of
\`max_num_batched_tokens\`, dominated by the logits), the CUDA context, and
${formatPercent(1 - DEFAULT_GMU, 0)} headroom, on the memory the runtime actually sees. (The
script's RTX 4090 is replaced by the ${lookupGpu("l4").memoryLabel} L4; the H200 is added.)`)
  .act("ex2", {
    title: "Max context",
    intro: () =>
      md`### Predict first · Maximum context

Under vLLM's budget, what is the longest context the memory of one ${lookupGpu(EX2.gpu).name}
allows for ${seqText(EX2.batch)} of ${lookupTransformer(EX2.model).name}?`,
    prediction: () => {
      const a = maxContext({ ...EX2, reserve: "vllm" });
      return numberPrediction({
        title: "Prediction lock · max context",
        question: "Memory limit on the context (tokens):",
        min: 0,
        max: 100_000_000,
        unit: "tokens",
        answer: a.memoryLimitTokens,
        format: tokens,
        explain: `${formatGB(a.kvBudgetBytes)} of KV budget ÷ (${a.batch} × ${
          formatCount(a.kvBytesPerToken)
        } B per token).`,
        testid: "ex2-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .input(
        "mcModel",
        () => dropdown({ label: "Model", options: modelChoices(GROWTH_MODELS), value: EX2.model }),
      )
      .input(
        "mcBatch",
        () =>
          slider({
            label: "Sequences (batch)",
            steps: BATCH_STEPS,
            value: EX2.batch,
            format: (v) => `${v}`,
          }),
      )
      .input(
        "mcGpu",
        () =>
          dropdown({
            label: "GPU for the breakdown",
            options: gpuChoices(GROWTH_GPUS),
            value: EX2.gpu,
          }),
      )
      .show("mcControls", ({ $mcModel, $mcBatch, $mcGpu }) => hstack([$mcModel, $mcBatch, $mcGpu]))
      .cell("maxCtx", ({ mcModel, mcBatch }) =>
        GROWTH_GPUS.map((gpu) => ({
          gpu,
          name: lookupGpu(gpu).name,
          vllm: maxContext({ model: mcModel, gpu, batch: mcBatch, reserve: "vllm" }),
          seed: maxContext({ model: mcModel, gpu, batch: mcBatch, reserve: "seed" }),
        })))
      .show("maxCtxChart", ({ maxCtx, mcModel, mcBatch }) => {
        const rows = maxCtx.flatMap((r) => [
          { gpu: r.name, reserve: "vLLM budget", tokens: Math.max(0, r.vllm.memoryLimitTokens) },
          {
            gpu: r.name,
            reserve: "script: 2 × weights",
            tokens: Math.max(0, r.seed.memoryLimitTokens),
          },
        ]).filter((r) => Number.isFinite(r.tokens));
        const m = lookupTransformer(mcModel);
        return chart({
          width: 480,
          height: 240,
          layer: [
            {
              data: { name: "table" },
              mark: { type: "bar", tooltip: true },
              encoding: {
                y: { field: "gpu", type: "nominal", title: null, sort: null },
                yOffset: { field: "reserve" },
                x: {
                  field: "tokens",
                  type: "quantitative",
                  title: "Longest context that fits (tokens)",
                },
                color: {
                  field: "reserve",
                  type: "nominal",
                  scale: { range: [COLORS.BlueLine, COLORS.OrangeLine] },
                  legend: { title: null, orient: "bottom" },
                },
              },
            },
            {
              data: { name: "limit" },
              mark: { type: "rule", strokeDash: [6, 4], color: COLORS.RedLine, strokeWidth: 2 },
              encoding: { x: { field: "tokens", type: "quantitative" } },
            },
          ],
        }, {
          data: { table: rows, limit: [{ tokens: m.maxContext }] },
          description:
            `Memory limit on the context of ${m.name} (${
              seqText(mcBatch)
            }) per GPU under vLLM's budget and the script's reserve; the dashed red line is the ` +
            `model's own maximum context (${tokens(m.maxContext)}).`,
          table: {
            dataset: "table",
            columns: [
              { field: "gpu", title: "GPU" },
              { field: "reserve", title: "Reserve" },
              { field: "tokens", title: "Tokens", format: (v) => formatCount(v as number) },
            ],
          },
          testid: "maxctx-chart",
        });
      })
      .show("reserves", ({ mcModel, mcGpu, mcBatch }) => {
        const b = (reserve: "vllm" | "seed") =>
          memoryBudget({ model: mcModel, gpu: mcGpu, reserve });
        const c = (reserve: "vllm" | "seed") =>
          maxContext({ model: mcModel, gpu: mcGpu, batch: mcBatch, reserve });
        const rows = (["seed", "vllm"] as const).map((r) => ({
          policy: r === "seed" ? "script: 2 × weights" : "vLLM",
          memory: formatGB(b(r).memoryBytes),
          weights: formatGB(b(r).weightsBytes),
          reserve: formatGB(b(r).reserveBytes),
          kv: formatGB(b(r).kvBudgetBytes),
          ctx: limitText(c(r).memoryLimitTokens),
        }));
        const m = lookupTransformer(mcModel);
        const limited = c("vllm").limitedBy === "model";
        return vstack([
          table(rows, {
            caption: `${m.name} on one ${lookupGpu(mcGpu).name}: the two reserves side by side`,
            testid: "reserves-table",
          }),
          callout(
            limited ? "info" : "warn",
            `The script holds back **${
              formatGB(b("seed").reserveBytes)
            }** (2 × the weights) of the ` +
              `nominal ${formatGB(b("seed").memoryBytes)}; vLLM holds back ` +
              `**${formatGB(b("vllm").reserveBytes)}** of the ${
                formatGB(b("vllm").memoryBytes)
              } the ` +
              `runtime sees — a reserve that tracks the activation peak, not the model size. ` +
              `The memory allows ${limitText(c("vllm").memoryLimitTokens)} tokens under vLLM's ` +
              `budget, but ${m.name} was trained for **${tokens(m.maxContext)}**` +
              (limited
                ? ": the model, not the memory, sets the limit."
                : ": here the memory binds first."),
            { testid: "reserves-note" },
          ),
        ]);
      })
      .record(() => {
        const a = maxContext({ ...EX2, reserve: "vllm" });
        return {
          hud: [["Memory limit", tokens(a.memoryLimitTokens)]],
          ledger: { memory_limit_tokens: a.memoryLimitTokens },
        };
      }))
  .show(
    "math",
    () =>
      mathPeek(
        md`$$\text{KV}(S, B) = 2 \cdot L \cdot H_{kv} \cdot d_{head} \cdot b \cdot S \cdot B \qquad (H_{kv} \le H)$$

$$S_{\max} = \left\lfloor \frac{M - W - R}{B \cdot 2 L H_{kv} d_{head} b} \right\rfloor$$

$R$ is the reserve: $2W$ in the script; $(1-\text{gmu}) M_{\text{visible}} + A_{\text{profile}} + M_{\text{runtime}}$ for vLLM.`,
      ),
  )
  .summary("summary", ({ acts }) =>
    labSummary({
      lab: "memory-growth",
      context: "tutorial",
      acts,
      hud: [["Lab", "Memory growth"]],
    }));
