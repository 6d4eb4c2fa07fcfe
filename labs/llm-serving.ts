/**
 * "LLM Serving: TTFT, ITL and the Memory Wall" (seed 001, the mlsysim tutorial) as a syslab
 * notebook. Latencies come from core's calibrated engine (`serve`, `prefillTime`), memory from
 * `memoryBudget` / `maxUsers`. Where the tutorial's simplified model says prefill is linear in
 * sequence length, the notebook draws that line (core's prefill with the attention term removed)
 * next to the causal-attention curve.
 *
 * Sections 1–2 are reading and exploring; each exercise is an act whose instruments wait on its
 * prediction: the memory-wall sweeps (section 3) behind Exercise 1, quantization and the hardware
 * comparison (sections 4–5) behind Exercise 2, the prefill curves behind Exercise 3. The setup an
 * exercise asks about (model, GPU, its sliders) freezes when its prediction is committed.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  chart,
  choicePrediction,
  COLORS,
  dropdown,
  hstack,
  labSummary,
  mathPeek,
  md,
  metricRow,
  numberPrediction,
  radio,
  reflection,
  reflectionFeedback,
  slider,
  table,
  vstack,
} from "../cells/mod.ts";
import {
  checkSlo,
  formatBandwidth,
  formatCount,
  formatGB,
  formatGiB,
  formatMs,
  formatNumber,
  formatPercent,
  formatRatio,
  formatShare,
  formatTflops,
  INTERACTIVE_SLO,
  lookupGpu,
  lookupTransformer,
  maxUsers,
  paramCounts,
  plural,
  type Precision,
  prefillTime,
  prepare,
  ridgePoint,
  serve,
  type ServeResult,
} from "../core/mod.ts";
import { gpuChoices, modelChoices } from "./_shared/choices.ts";
import { tutorialHeader } from "./_shared/tutorial.ts";
import { contextFlag, present, sweepFlag } from "./_shared/context-limit.ts";
import {
  BATCHES,
  CONTEXTS,
  tokens,
  users,
  wallBudgets,
  wallChart,
  type WallConfig,
  wallRows,
} from "./_shared/memory-wall.ts";

/** The GPUs of the tutorial's hardware comparison. */
const COMPARED_GPUS = ["a100-80gb", "h100-sxm", "h200", "mi300x"] as const;
const QUANT: readonly Precision[] = ["fp16", "int8", "int4"];
const LABEL: Record<string, string> = { fp16: "FP16", int8: "INT8", int4: "INT4" };

/** The self-check: which two metrics say whether a chatbot feels responsive. */
const SELF_CHECK = {
  question:
    'Self-check: "Will my chatbot feel responsive on a single A100?" Which two metrics answer it?',
  options: {
    "A) TTFT and ITL": "A",
    "B) Throughput (tokens/s) and memory utilization": "B",
    "C) Peak TFLOP/s and HBM bandwidth": "C",
    "D) Parameter count and context length": "D",
  },
  feedback: {
    A: "**Right.** TTFT is how long the user waits for the first word; ITL is how fast the " +
      "words then stream. Both must meet their targets.",
    B: "Throughput and utilization matter to the operator's bill, not to one user's wait.",
    C: "Those are the hardware's limits; the user experiences the latencies they produce.",
    D: "Those are inputs to the latency, not the experience itself.",
  },
  correct: "A",
} as const;

/** Serving prediction for `batch` requests of `prompt` tokens with the KV policy chosen. */
function predict(
  model: string,
  gpu: string,
  precision: Precision,
  kvMode: "same" | "fp16",
  batch: number,
  prompt: number,
  output: number,
): ServeResult {
  const kvPrecision: Precision = kvMode === "same" ? precision : "fp16";
  return serve({ model, gpu, precision, kvPrecision, batch, prompt, output });
}

/** TTFT of one prompt of `s` tokens: causal attention (core) and the tutorial's linear model. */
function prefillCurves(model: string, gpu: string, lens: readonly number[]) {
  const p = prepare(lookupTransformer(model), lookupGpu(gpu));
  // The tutorial's "2 × params × seq_len": the same engine with the attention term removed.
  const linear = { ...p, attnFlopsFull: 0, attnFlopsSliding: 0 };
  return lens.map((s) => ({
    seqLen: s,
    causalMs: prefillTime(p, 1, s).time * 1e3,
    linearMs: prefillTime(linear, 1, s).time * 1e3,
  }));
}

/** Exercise 1's physics: the wall of `model` on one `gpu` in FP16, vLLM's budget and all memory. */
export function ex1Wall(model: string, gpu: string, seqLen: number) {
  const q = { model, gpu, seqLen, precision: "fp16", kvPrecision: "fp16" } as const;
  return { vllm: maxUsers(q), all: maxUsers({ ...q, reserve: "none" }) };
}

/** Exercise 2's physics: each GPU's INT8 ITL against its FP16 ITL (weights and cache in INT8). */
export function int8Gains(model: string, prompt: number, batch: number, output: number) {
  const rows = COMPARED_GPUS.map((gpu) => {
    const f = predict(model, gpu, "fp16", "same", batch, prompt, output);
    const i = predict(model, gpu, "int8", "same", batch, prompt, output);
    const g = lookupGpu(gpu);
    return {
      gpu,
      ratio: i.itlS / f.itlS,
      fp16: f.itlS,
      int8: i.itlS,
      bwPerGB: g.bandwidth / g.memoryBytes,
    };
  });
  return { rows, best: rows.reduce((a, b) => b.ratio < a.ratio ? b : a) };
}

/** How TTFT can grow with the prompt: Exercise 3's four beliefs, each with its exponent range. */
export type Growth = "linear" | "quadratic" | "between" | "sub";

/**
 * Exercise 3's physics: TTFT of one prompt from the shortest to the longest prompt (core's
 * prefill), its growth exponent log(ratio) / log(N), and which belief that exponent makes right.
 */
export function ttftGrowth(model: string, gpu: string, min: number, max: number) {
  const lo = Math.min(min, max), hi = Math.max(min, max, lo * 2);
  const lens = CONTEXTS.filter((s) => s >= lo && s <= hi);
  const curve = prefillCurves(model, gpu, lens);
  const first = curve[0], last = curve.at(-1)!;
  const n = last.seqLen / first.seqLen;
  const ratio = last.causalMs / first.causalMs;
  const exponent = Math.log(ratio) / Math.log(n);
  const growth: Growth = exponent < 0.95
    ? "sub"
    : exponent <= 1.05
    ? "linear"
    : exponent < 1.8
    ? "between"
    : "quadratic";
  const attentionShare = 1 - last.linearMs / last.causalMs;
  return { curve, n, ratio, exponent, growth, attentionShare };
}

/** Exercise 3's options: the four beliefs about prefill's growth. */
const GROWTH: ReadonlyArray<{ growth: Growth; text: string; why: string }> = [
  {
    growth: "linear",
    text: "Linearly: ×N tokens gives ×N time (within 5 %)",
    why: "Linear is the tutorial's 2·P·S model: every prompt token costs the same weight FLOPs.",
  },
  {
    growth: "quadratic",
    text: "Quadratically: ×N tokens gives about ×N² time",
    why: "Quadratic is causal attention's S² term alone; it dominates only once it outgrows 2·P·S.",
  },
  {
    growth: "between",
    text: "Super-linearly, but far from quadratic",
    why: "Between the two is the sum of a linear weight term and a growing S² attention term.",
  },
  {
    growth: "sub",
    text: "Sub-linearly: fixed costs dominate",
    why: "Sub-linear growth means per-pass overheads and a poorly filled GPU at short prompts.",
  },
];

export default lab({
  id: "llm-serving",
  title: "LLM Serving: TTFT, ITL and the Memory Wall",
  subtitle: "Model the two physical regimes of LLM inference before deploying a single server.",
  minutes: 40,
  volume: "tutorial",
  topics: ["serving", "ttft", "itl", "kv-cache", "quantization"],
  status: "ready",
})
  .show("header", () =>
    tutorialHeader({
      from: "the mlsysim notebook",
      title: "LLM Serving: TTFT, ITL and the Memory Wall",
      subtitle:
        "Prefill is bound by compute, decode by memory bandwidth, and the batch by memory " +
        "capacity. Predict all three before you deploy.",
      minutes: 40,
      badges: [
        {
          text: `SLO: TTFT < ${formatMs(INTERACTIVE_SLO.ttftS, 0)}, ITL < ${
            formatMs(INTERACTIVE_SLO.itlS, 0)
          }`,
          kind: "warn",
        },
      ],
    }))
  .show("phases", () =>
    callout(
      "info",
      md`**Prefill (TTFT, time to first token):** every prompt token goes through the model in one
pass. Thousands of tokens share each weight read, so the GPU's arithmetic units are the limit —
more TFLOP/s means a faster TTFT.

**Decode (ITL, inter-token latency):** one token per step. Every step re-reads all the weights and
every user's KV-cache from HBM to produce one token each, so memory bandwidth is the limit — more
GB/s means a faster ITL. The same GPU has two speed limits for the same model.`,
      { title: "The two phases of LLM inference" },
    ))
  // ---- 1. model and hardware --------------------------------------------------------------------
  .input("model", () =>
    dropdown({
      label: "Model",
      options: modelChoices(["llama-3.1-8b", "llama-3-8b", "mistral-7b", "qwen2.5-7b"]),
      value: "llama-3.1-8b",
    }))
  .input(
    "gpu",
    () => dropdown({ label: "GPU", options: gpuChoices(COMPARED_GPUS), value: "h100-sxm" }),
  )
  .input("precision", () =>
    radio<Precision>({
      label: "Weight precision",
      options: { "FP16": "fp16", "INT8": "int8", "INT4": "int4" },
      value: "fp16",
    }))
  .input("kvMode", () =>
    radio<"same" | "fp16">({
      label: "KV-cache precision",
      options: { "same as the weights": "same", "stays FP16": "fp16" },
      value: "same",
    }))
  .show("s1", ({ $model, $gpu, $precision, $kvMode }) =>
    vstack([
      md`## 1 · The model and the hardware`,
      hstack([$model, $gpu, $precision, $kvMode]),
    ]))
  .show("specs", ({ model, gpu, precision }) => {
    const m = lookupTransformer(model);
    const g = lookupGpu(gpu);
    const pc = paramCounts(m);
    return vstack([
      metricRow([
        { label: "Parameters", value: `${formatNumber(pc.total / 1e9, 2)} B`, caption: m.name },
        { label: "Layers · hidden", value: `${m.layers} · ${formatCount(m.hidden)}` },
        {
          label: "Query · KV heads",
          value: `${m.heads} · ${m.kvHeads}`,
          caption: `${m.kvHeads < m.heads ? "GQA: fewer KV heads, smaller cache" : "MHA"}`,
        },
      ]),
      metricRow([
        {
          label: "Memory",
          value: g.memoryLabel,
          caption: `runtime sees ${formatGB(g.runtimeMemoryBytes)} = ${
            formatGiB(g.runtimeMemoryBytes)
          }`,
        },
        { label: "HBM bandwidth", value: formatBandwidth(g.bandwidth), kind: "info" },
        {
          label: "Dense BF16 peak",
          value: formatTflops(g.peak.bf16),
          caption: g.sparsePeak
            ? `${formatTflops(g.sparsePeak.bf16)} is the 2:4-sparse headline`
            : undefined,
        },
        {
          label: "Ridge point",
          value: `${formatNumber(ridgePoint(g, precision), 0)} FLOP/B`,
          caption: "below it a kernel is bandwidth-bound",
        },
      ]),
    ]);
  })
  // ---- 2. first prediction ----------------------------------------------------------------------
  .input(
    "ctx",
    () => slider({ label: "Prompt (tokens)", steps: CONTEXTS, value: 2048, format: tokens }),
  )
  .input("batch", () => slider({ label: "Batch", steps: BATCHES, value: 1, format: users }))
  .input(
    "output",
    () => slider({ label: "Output tokens", steps: [16, 32, 64, 128, 256, 512, 1024], value: 128 }),
  )
  .show("s2", ({ $ctx, $batch, $output }) =>
    vstack([
      md`## 2 · A first serving prediction

The prompt is prefilled in one pass (TTFT), then the reply is decoded one token per step (ITL).`,
      hstack([$ctx, $batch, $output]),
    ]))
  .cell(
    "first",
    ({ model, gpu, precision, kvMode, ctx, batch, output }) =>
      predict(model, gpu, precision, kvMode, batch, ctx, output),
  )
  .show("firstStats", ({ first }) => {
    const slo = checkSlo(first);
    return vstack([
      metricRow([
        {
          label: "TTFT (prefill)",
          value: formatMs(first.ttftS, 1),
          caption: `${first.prefillBound}-bound`,
          kind: slo.ttftOk ? "success" : "danger",
        },
        {
          label: "ITL (per token)",
          value: formatMs(first.itlS, 2),
          caption: `${first.decodeBound}-bound`,
          kind: slo.itlOk ? "success" : "danger",
        },
        { label: "Model weights", value: formatGB(first.weightsBytes) },
        { label: "KV-cache", value: formatGB(first.kvCacheBytes, 3) },
        {
          label: "Memory in use",
          // Unclamped: weights that need 176 % of memory say so.
          value: formatShare(first.totalMemoryBytes, first.memoryCapacityBytes, 1),
          caption: `${formatGB(first.totalMemoryBytes)} of ${formatGB(first.memoryCapacityBytes)}`,
          kind: first.feasible ? "neutral" : "danger",
        },
      ]),
    ]);
  })
  .show("firstNote", ({ first, gpu, model, ctx, output }) => {
    const g = lookupGpu(gpu);
    const floor = first.weightsBytes / g.bandwidth;
    const slo = checkSlo(first);
    const note = callout(
      slo.ok ? "success" : "warn",
      md`- **TTFT** ${formatMs(first.ttftS, 1)}: prefill is **${first.prefillBound}**-bound.
- **ITL** ${formatMs(first.itlS, 2)}: decode is **${first.decodeBound}**-bound. **Correction:** the
  tutorial says ITL is "a small fraction of a millisecond". Just reading
  ${formatGB(first.weightsBytes)} of weights at ${formatBandwidth(g.bandwidth)} takes
  **${formatMs(floor, 2)}**; with the KV reads, achievable bandwidth and per-step overhead it is
  ${formatMs(first.itlS, 2)}.
- Interactive chat targets TTFT < ${formatMs(INTERACTIVE_SLO.ttftS, 0)} and ITL <
  ${formatMs(INTERACTIVE_SLO.itlS, 0)}: ${
        slo.ok ? "this configuration meets both." : slo.violations.join("; ") + "."
      }`,
      { title: "Reading the output", testid: "first-note" },
    );
    // A request holds its prompt and its reply: both must fit the model's window.
    return vstack(present([note, contextFlag(model, ctx + output, "first-limit")]));
  })
  // ---- Exercise 1 · 3. the memory wall ----------------------------------------------------------
  .input(
    "ex1Ctx",
    () => slider({ label: "Context per user", steps: CONTEXTS, value: 4096, format: tokens }),
  )
  .act("ex1", {
    title: "Exercise 1",
    intro: ({ $ex1Ctx, model, gpu, ex1Ctx }) =>
      vstack([
        md`## 3 · The KV-cache memory wall

$$\text{KV} = 2 \times L \times H_{kv} \times d_{head} \times S \times B \times \text{bytes}$$

Doubling the batch doubles the cache; so does doubling the context. The wall is where the cache
no longer fits next to the weights.

### Exercise 1 · Predict the memory wall

At what batch size does ${lookupTransformer(model).name} run out of memory on one
${lookupGpu(gpu).name} at ${tokens(ex1Ctx)} in FP16? Commit a prediction; the sweeps below
then show the wall with the same physics.`,
        $ex1Ctx,
        ...present([contextFlag(model, ex1Ctx, "ex1-limit")]),
      ]),
    prediction: ({ model, gpu, ex1Ctx }) => {
      const { vllm, all } = ex1Wall(model, gpu, ex1Ctx);
      return numberPrediction({
        title: "Exercise 1 · prediction",
        question: "The first batch size that runs out of memory:",
        min: 1,
        max: 10000,
        unit: "users",
        answer: vllm.oomAtUsers,
        format: users,
        explain:
          `${formatGB(vllm.kvBudgetBytes)} of KV budget ÷ ${
            formatGB(vllm.kvPerUserBytes)
          } per user = ${users(vllm.maxUsers)}, so user ${
            formatCount(vllm.oomAtUsers)
          } is the first that does not fit. Counting every byte after the weights, as the ` +
          `tutorial does, moves the wall to ${formatCount(all.oomAtUsers)}.`,
        testid: "ex1-lock",
      });
    },
  }, (act) =>
    act
      .reveal()
      .cell("cfg", ({ model, gpu, precision, kvMode }): WallConfig => ({
        model,
        gpu,
        precision,
        kvPrecision: kvMode === "same" ? precision : "fp16",
      }))
      .cell("budgets", ({ cfg }) => wallBudgets(cfg))
      .input(
        "wallCtx",
        () =>
          slider({
            label: "Context for the batch sweep",
            steps: CONTEXTS,
            value: 2048,
            format: tokens,
          }),
      )
      .input(
        "wallBatch",
        () =>
          slider({ label: "Batch for the context sweep", steps: BATCHES, value: 8, format: users }),
      )
      .show("s3", ({ $wallCtx, $wallBatch }) =>
        vstack([
          md`### The wall, swept

The sweeps use the model, GPU and precisions of section 1; the diamond marks the configuration
of section 2.`,
          hstack([$wallCtx, $wallBatch]),
        ]))
      .show("wallByBatch", ({ cfg, budgets, wallCtx, batch }) =>
        wallChart(
          wallRows(cfg, budgets, BATCHES.map((b) => ({ batch: b, seqLen: wallCtx }))),
          budgets,
          {
            x: "batch",
            marker: wallRows(cfg, budgets, [{ batch, seqLen: wallCtx }])[0],
            description:
              `KV-cache against the batch at ${tokens(wallCtx)} per request, with vLLM's ` +
              `KV budget and all memory after the weights; orange and red points are OOM.`,
            testid: "wall-batch",
          },
        ))
      .show("wallByCtx", ({ cfg, budgets, wallBatch, ctx }) =>
        wallChart(
          wallRows(cfg, budgets, CONTEXTS.map((s) => ({ batch: wallBatch, seqLen: s }))),
          budgets,
          {
            x: "seqLen",
            marker: wallRows(cfg, budgets, [{ batch: wallBatch, seqLen: ctx }])[0],
            description: `KV-cache against the context for ${
              users(wallBatch)
            }, with the same budgets.`,
            testid: "wall-ctx",
          },
        ))
      .show("wallNote", ({ cfg, wallCtx, budgets }) => {
        const v = maxUsers({ ...cfg, seqLen: wallCtx });
        const all = maxUsers({ ...cfg, seqLen: wallCtx, reserve: "none" });
        const note = callout(
          "warn",
          `At ${tokens(wallCtx)} the wall is at **${users(v.oomAtUsers)}**: vLLM keeps ` +
            `${
              formatGB(budgets.vllm.reserveBytes)
            } back (headroom, its activation profile, the CUDA ` +
            `context) and gives ${
              formatGB(budgets.vllm.kvBudgetBytes)
            } to the cache. The tutorial ` +
            `counts every byte after the weights (${
              formatGB(budgets.all.kvBudgetBytes)
            }) and would ` +
            `put the wall at ${
              users(all.oomAtUsers)
            }. To move it: shorten the context, quantize the ` +
            `cache, or add GPUs.`,
          { title: "Finding the memory wall", testid: "wall-note" },
        );
        return vstack(present([
          note,
          contextFlag(cfg.model, wallCtx, "wall-limit"),
          // The context sweep runs to 131,072 tokens whatever the model.
          sweepFlag(cfg.model, CONTEXTS, "wall-sweep-limit"),
        ]));
      })
      .record(({ ex1, ex1Ctx }) => ({
        hud: [["Memory wall", users(ex1.answer)]],
        ledger: { context_tokens: ex1Ctx, oom_at_users: ex1.answer },
      })))
  // ---- Exercise 2 · 4. quantization · 5. hardware -------------------------------------------------
  .input("ex2Ctx", () => slider({ label: "Prompt", steps: CONTEXTS, value: 4096, format: tokens }))
  .input("ex2Batch", () => slider({ label: "Batch", steps: BATCHES, value: 4, format: users }))
  .act("ex2", {
    title: "Exercise 2",
    intro: ({ $ex2Ctx, $ex2Batch, model, ex2Ctx, output }) =>
      vstack([
        md`### Exercise 2 · The quantization trade-off

Which GPU's ITL improves the most, relative to FP16, when ${lookupTransformer(model).name}'s
weights and cache go to INT8? Think about what one decode step spends its time on. Sections 4
and 5 open once you commit.`,
        hstack([$ex2Ctx, $ex2Batch]),
        ...present([contextFlag(model, ex2Ctx + output, "ex2-limit")]),
      ]),
    prediction: ({ model, ex2Ctx, ex2Batch, output }) => {
      const { rows, best } = int8Gains(model, ex2Ctx, ex2Batch, output);
      return choicePrediction({
        title: "Exercise 2 · prediction",
        question: `Largest relative ITL improvement from INT8 (${users(ex2Batch)} at ${
          tokens(ex2Ctx)
        }):`,
        options: rows.map((r) => {
          const g = lookupGpu(r.gpu);
          return {
            text: `${g.name} (${formatBandwidth(g.bandwidth)}, ${g.memoryLabel})`,
            why: `On the ${g.name} INT8 ITL is ${formatPercent(r.ratio)} of FP16 (${
              formatMs(r.fp16, 2)
            } → ${formatMs(r.int8, 2)}).`,
            correct: r === best,
          };
        }),
        explain: "Halving the bytes helps most where reading them is the largest share of the " +
          "step: the GPU with the least bandwidth. Where memory is faster, the fixed per-step " +
          "overhead is a larger share of the step and caps the gain.",
        testid: "ex2-lock",
      });
    },
  }, (act) =>
    act
      .reveal(({ model, ex2Ctx, ex2Batch, output }) =>
        table(
          int8Gains(model, ex2Ctx, ex2Batch, output).rows.map((r) => ({
            "GPU": lookupGpu(r.gpu).name,
            "ITL FP16": formatMs(r.fp16, 2),
            "ITL INT8": formatMs(r.int8, 2),
            "INT8 ÷ FP16": formatPercent(r.ratio),
            "Full-memory reads": `${formatNumber(r.bwPerGB, 1)} per s`,
          })),
          { testid: "ex2-table" },
        )
      )
      .input(
        "qCtx",
        () => slider({ label: "Prompt", steps: CONTEXTS, value: 8192, format: tokens }),
      )
      .input("qBatch", () => slider({ label: "Batch", steps: BATCHES, value: 8, format: users }))
      .show("s4", ({ $qCtx, $qBatch }) =>
        vstack([
          md`## 4 · Quantization: precision as a latency knob

Fewer bytes per weight means fewer bytes to read per decode step (ITL) and more room for the
cache. Prefill is compute-bound, so it speeds up only where the tensor cores compute at the lower
precision (INT8 W8A8 on H100-class GPUs); INT4 here is weight-only and computes in BF16.`,
          hstack([$qCtx, $qBatch]),
        ]))
      .cell("quant", ({ model, gpu, kvMode, qCtx, qBatch, output }) =>
        QUANT.map((p) => ({
          precision: p,
          r: predict(model, gpu, p, kvMode, qBatch, qCtx, output),
        })))
      .show("quantChart", ({ quant, qCtx, qBatch }) => {
        const base = quant[0].r;
        const rows = quant.flatMap(({ precision, r }) => [
          {
            precision: LABEL[precision],
            phase: "TTFT",
            relative: r.ttftS / base.ttftS,
            ms: r.ttftS * 1e3,
          },
          {
            precision: LABEL[precision],
            phase: "ITL",
            relative: r.itlS / base.itlS,
            ms: r.itlS * 1e3,
          },
        ]);
        return chart({
          width: 420,
          height: 220,
          mark: { type: "bar", tooltip: true },
          encoding: {
            x: {
              field: "precision",
              type: "nominal",
              sort: QUANT.map((p) => LABEL[p]),
              title: null,
            },
            xOffset: { field: "phase" },
            y: {
              field: "relative",
              type: "quantitative",
              title: "Time relative to FP16",
              axis: { format: ".0%" },
            },
            color: {
              field: "phase",
              type: "nominal",
              scale: { range: [COLORS.OrangeLine, COLORS.BlueLine] },
              legend: { title: null, orient: "bottom" },
            },
          },
        }, {
          data: rows,
          description: `TTFT and ITL at FP16, INT8 and INT4 relative to FP16, ${users(qBatch)} at ${
            tokens(qCtx)
          }.`,
          table: {
            columns: [
              { field: "precision", title: "Precision" },
              { field: "phase", title: "Phase" },
              { field: "ms", title: "Time (ms)", format: (v) => formatNumber(v as number, 2) },
              { field: "relative", title: "vs FP16", format: (v) => formatPercent(v as number) },
            ],
          },
          testid: "quant-chart",
        });
      })
      .show("quantTable", ({ quant }) =>
        table(
          quant.map(({ precision, r }) => ({
            "Weights": LABEL[precision],
            "TTFT": formatMs(r.ttftS, 1),
            "ITL": formatMs(r.itlS, 2),
            "Weights (GB)": formatGB(r.weightsBytes),
            "KV-cache (GB)": formatGB(r.kvCacheBytes),
            "Memory in use": formatPercent(r.memoryUtilization),
          })),
          {
            testid: "quant-table",
          },
        ))
      .show("quantNote", ({ quant, model, qCtx, output }) => {
        const [f, i8, i4] = quant.map((q) => q.r);
        const note = callout(
          "info",
          `INT8 halves the weights (${formatGB(f.weightsBytes)} → ${formatGB(i8.weightsBytes)}), ` +
            `but ITL drops only **${
              formatPercent(1 - i8.itlS / f.itlS)
            }**, not the tutorial's ~50 %: ` +
            `the per-step overhead and the achievable bandwidth do not halve. TTFT: INT8 ` +
            `${formatRatio(i8.ttftS / f.ttftS)} of FP16 (W8A8 tensor cores), INT4 ` +
            `${formatRatio(i4.ttftS / f.ttftS)} (weight-only: the math still runs in BF16). ` +
            `Quantization is a decoding optimization first.`,
          { title: "Why ITL improves more than TTFT", testid: "quant-note" },
        );
        return vstack(present([note, contextFlag(model, qCtx + output, "quant-limit")]));
      })
      .input(
        "hwCtx",
        () => slider({ label: "Prompt", steps: CONTEXTS, value: 4096, format: tokens }),
      )
      .input("hwBatch", () => slider({ label: "Batch", steps: BATCHES, value: 4, format: users }))
      .show("s5", ({ $hwCtx, $hwBatch }) =>
        vstack([
          md`## 5 · Hardware comparison

More TFLOP/s shortens TTFT; more GB/s shortens ITL; more GB holds more users.`,
          hstack([$hwCtx, $hwBatch]),
        ]))
      .cell(
        "hw",
        ({ model, precision, kvMode, hwCtx, hwBatch, output }) =>
          COMPARED_GPUS.map((gpu) => ({
            gpu,
            r: predict(model, gpu, precision, kvMode, hwBatch, hwCtx, output),
            users: maxUsers({
              model,
              gpu,
              precision,
              kvPrecision: kvMode === "same" ? precision : "fp16",
              seqLen: hwCtx + output,
            }).maxUsers,
          })),
      )
      .show("hwChart", ({ hw, hwCtx, hwBatch }) => {
        const rows = hw.flatMap(({ gpu, r }) => [
          { gpu: lookupGpu(gpu).name, phase: "TTFT (ms)", ms: r.ttftS * 1e3 },
          { gpu: lookupGpu(gpu).name, phase: "ITL (ms)", ms: r.itlS * 1e3 },
        ]);
        return chart({
          width: 220,
          height: 200,
          mark: { type: "bar", tooltip: true },
          encoding: {
            column: { field: "phase", type: "nominal", title: null },
            y: {
              field: "gpu",
              type: "nominal",
              title: null,
              sort: COMPARED_GPUS.map((g) => lookupGpu(g).name),
            },
            x: { field: "ms", type: "quantitative", title: "ms" },
            color: { field: "gpu", type: "nominal", legend: null },
          },
          resolve: { scale: { x: "independent" } },
        }, {
          data: rows,
          description: `TTFT and ITL on four GPUs, ${users(hwBatch)} at ${tokens(hwCtx)}.`,
          table: {
            columns: [
              { field: "gpu", title: "GPU" },
              { field: "phase", title: "Phase" },
              { field: "ms", title: "ms", format: (v) => formatNumber(v as number, 2) },
            ],
          },
          testid: "hw-chart",
        });
      })
      .show("hwTable", ({ hw }) =>
        table(
          hw.map(({ gpu, r, users: u }) => {
            const g = lookupGpu(gpu);
            return {
              "GPU": g.name,
              "Bandwidth": formatBandwidth(g.bandwidth),
              "Dense BF16": formatTflops(g.peak.bf16),
              "TTFT": formatMs(r.ttftS, 1),
              "ITL": formatMs(r.itlS, 2),
              "Memory in use": formatPercent(r.memoryUtilization),
              "Max users (vLLM)": formatCount(u),
            };
          }),
          {
            testid: "hw-table",
          },
        ))
      .show("hwNote", ({ hw, model, hwCtx, output }) => {
        const h100 = hw.find((x) => x.gpu === "h100-sxm")!;
        const h200 = hw.find((x) => x.gpu === "h200")!;
        const bw = lookupGpu("h200").bandwidth / lookupGpu("h100-sxm").bandwidth;
        const note = callout(
          "info",
          `The H200 has ${
            formatRatio(bw)
          } the H100's bandwidth, so a purely bandwidth-bound step ` +
            `would take ${formatPercent(1 / bw)} of the time. **Correction:** its ITL is ` +
            `${formatPercent(h200.r.itlS / h100.r.itlS)} of the H100's (${
              formatPercent(1 - h200.r.itlS / h100.r.itlS)
            } lower, not the tutorial's 43 %): the per-step overhead does not scale with bandwidth. ` +
            `Its extra memory holds ${plural(h200.users - h100.users, "more user")}.`,
          { title: "Why the H200 wins on ITL — by less than its bandwidth", testid: "hw-note" },
        );
        return vstack(present([note, contextFlag(model, hwCtx + output, "hw-limit")]));
      })
      .record(({ model, ex2Ctx, ex2Batch, output }) => {
        const { best } = int8Gains(model, ex2Ctx, ex2Batch, output);
        return {
          hud: [["INT8 gains most", lookupGpu(best.gpu).name]],
          ledger: { int8_best_gpu: best.gpu, int8_itl_ratio: Math.round(best.ratio * 1000) / 1000 },
        };
      }))
  // ---- Exercise 3 · context length scaling --------------------------------------------------------
  .input(
    "ex3Min",
    () => slider({ label: "Shortest prompt", steps: CONTEXTS, value: 512, format: tokens }),
  )
  .input(
    "ex3Max",
    () => slider({ label: "Longest prompt", steps: CONTEXTS, value: 16384, format: tokens }),
  )
  .act("ex3", {
    title: "Exercise 3",
    intro: ({ $ex3Min, $ex3Max, model, ex3Min, ex3Max }) =>
      vstack([
        md`### Exercise 3 · Context length scaling

The tutorial's simplified model computes prefill FLOPs as $2 \times P \times S$: linear in the
prompt. Real transformers add causal attention, whose cost grows as $S^2$. For
${lookupTransformer(model).name} at batch 1, how does TTFT grow from the shortest to the longest
prompt below?`,
        hstack([$ex3Min, $ex3Max]),
        ...present([contextFlag(model, Math.max(ex3Min, ex3Max), "ex3-limit")]),
      ]),
    prediction: ({ model, gpu, ex3Min, ex3Max }) => {
      const a = ttftGrowth(model, gpu, ex3Min, ex3Max);
      return choicePrediction({
        title: "Exercise 3 · prediction",
        question: "How does TTFT grow with the prompt length over this range?",
        options: GROWTH.map((o) => ({ text: o.text, why: o.why, correct: o.growth === a.growth })),
        explain:
          `×${formatNumber(a.n, 0)} tokens gives ×${
            formatNumber(a.ratio, 1)
          } TTFT: growth exponent **${
            formatNumber(a.exponent, 2)
          }** (1 is linear, 2 quadratic). At the longest prompt attention is **${
            formatPercent(a.attentionShare)
          }** of the prefill time: the $S^2$ term is real, but it only takes over once it outgrows ` +
          `the $2PS$ term, and at short prompts fixed per-step costs can make growth sub-linear.`,
        testid: "ex3-lock",
      });
    },
  }, (act) =>
    act
      .cell("ex3Answer", ({ model, gpu, ex3Min, ex3Max }) => ttftGrowth(model, gpu, ex3Min, ex3Max))
      .show("ex3Chart", ({ ex3Answer, model, gpu }) => {
        const rows = ex3Answer.curve.flatMap((r) => [
          { seqLen: r.seqLen, model: "causal attention (core)", ms: r.causalMs },
          { seqLen: r.seqLen, model: "linear 2·P·S (tutorial)", ms: r.linearMs },
        ]);
        return chart({
          width: 560,
          height: 240,
          mark: { type: "line", point: true, tooltip: true },
          encoding: {
            x: { field: "seqLen", type: "quantitative", title: "Prompt (tokens)" },
            y: { field: "ms", type: "quantitative", title: "TTFT (ms)" },
            color: {
              field: "model",
              type: "nominal",
              scale: { range: [COLORS.RedLine, COLORS.BlueLine] },
              legend: { title: null, orient: "bottom" },
            },
            strokeDash: {
              field: "model",
              type: "nominal",
              legend: { title: null, orient: "bottom" },
            },
          },
        }, {
          data: rows,
          description: `TTFT of one prompt on ${lookupGpu(gpu).name} for ${
            lookupTransformer(model).name
          }: with causal attention (red) and the tutorial's linear model (blue, dashed).`,
          table: {
            columns: [
              {
                field: "seqLen",
                title: "Prompt (tokens)",
                format: (v) => formatCount(v as number),
              },
              { field: "model", title: "Model" },
              { field: "ms", title: "TTFT (ms)", format: (v) => formatNumber(v as number, 1) },
            ],
          },
          testid: "ex3-chart",
        });
      })
      .reveal()
      // Self-check, the formulas and the wrap-up close the tutorial.
      .input("selfCheck", () => reflection(SELF_CHECK))
      .show("selfFeedback", ({ $selfCheck, selfCheck, model, ctx, output }) => {
        const parts = [md`### Self-check`, $selfCheck, reflectionFeedback(SELF_CHECK, selfCheck)];
        if (selfCheck === null) return vstack(parts);
        const r = predict(model, "a100-80gb", "fp16", "same", 1, ctx, output);
        const slo = checkSlo(r);
        parts.push(callout(
          slo.ok ? "success" : "warn",
          `One user, ${tokens(ctx)} prompt, on an ${lookupGpu("a100-80gb").name}: TTFT ` +
            `**${formatMs(r.ttftS, 1)}** (target < ${formatMs(INTERACTIVE_SLO.ttftS, 0)}), ITL ` +
            `**${formatMs(r.itlS, 2)}** (target < ${formatMs(INTERACTIVE_SLO.itlS, 0)}). ` +
            (slo.ok ? "It feels responsive." : `Not responsive: ${slo.violations.join("; ")}.`),
          { testid: "self-a100" },
        ));
        return vstack(parts);
      })
      .show(
        "math",
        () =>
          mathPeek(
            md`$$\text{TTFT} \approx \frac{2 P S + 4 L H d_{head} \cdot \tfrac{S(S+1)}{2}}{\text{peak} \cdot \eta_c} + \text{overhead}$$

$$\text{ITL} \approx \frac{W + B \cdot \text{KV}(S)}{\text{BW} \cdot \eta_{bw}} + \text{overhead}$$

$P$ parameters, $S$ prompt tokens, $L$ layers, $H$ query heads, $W$ weight bytes, $B$ batch,
$\eta$ the calibrated efficiencies of core/calibration.ts.`,
          ),
      )
      .show("learned", () =>
        callout(
          "success",
          md`- **Two regimes:** prefill (TTFT) is compute-bound, decode (ITL) bandwidth-bound.
- **The KV-cache** scales with layers × context × batch × bytes and sets the memory wall.
- **Quantization** is a decoding speed-up first; prefill gains only with low-precision tensor cores.
- **Hardware:** more bandwidth for ITL, more TFLOP/s for TTFT, more memory for users.`,
          { title: "What you learned" },
        ))
      .record(({ ex3Answer }) => ({
        hud: [["TTFT growth", `exponent ${formatNumber(ex3Answer.exponent, 2)}`]],
        ledger: { ttft_growth_exponent: Math.round(ex3Answer.exponent * 100) / 100 },
      })))
  .summary("summary", ({ acts, model, gpu }) =>
    labSummary({
      lab: "llm-serving",
      context: "tutorial",
      acts,
      hud: [["Tutorial", "LLM serving"], [
        "Setup",
        `${lookupTransformer(model).name} · ${lookupGpu(gpu).name}`,
      ]],
    }));
