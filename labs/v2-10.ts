/**
 * Lab v2-10 · The KV-Cache Memory Wall (Volume II, Lab 10).
 *
 * Act I: how many users fit once the weights are loaded? Every token of every user keeps a key
 * and a value per KV head per layer, so context length and concurrency — not the weights — set
 * the wall; grouped-query attention and KV precision move it.
 * Act II: the same replica configured for a latency SLO and for throughput.
 *
 * Every number comes from core/; the scenario and the options' mental models are in
 * `v2-10/scenario.ts`.
 */
import { lab } from "../runtime/mod.ts";
import {
  accordion,
  callout,
  chart,
  choicePrediction,
  COLORS,
  contextToggle,
  dropdown,
  failureBanner,
  hstack,
  labHeader,
  labSummary,
  mathPeek,
  md,
  mdText,
  metricRow,
  radio,
  reflection,
  reflectionFeedback,
  slider,
  stakeholder,
  vstack,
} from "../cells/mod.ts";
import {
  bytesPerElement,
  CHUNKED_PREFILL_ABOVE,
  CHUNKED_PREFILL_TOKENS,
  DEFAULT_BLOCK_SIZE,
  DEFAULT_GMU,
  formatCount,
  formatDuration,
  formatGB,
  formatGiB,
  formatMs,
  formatPercent,
  formatShare,
  formatTflops,
  formatTokensPerS,
  kvWall,
  lookupGpu,
  lookupTransformer,
  plural,
  type Precision,
  type ServingConfigResult,
  type ServingMode,
} from "../core/mod.ts";
import {
  act1Actual,
  act1Options,
  act2Best,
  type Act2Plan,
  act2Plans,
  CLUSTERS,
  type Context,
  latencyConfig,
  meetsThroughput,
  MODELS,
  SCENARIO,
  SLO_TTFT_S,
  throughputConfig,
  TPUT_TARGET,
} from "./v2-10/scenario.ts";

const CONTEXT_STEPS = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];
const MODES: Record<string, ServingMode> = {
  "Static batching": "static",
  "Continuous batching": "continuous",
  "Speculative decoding (draft model)": "speculative",
};

/** "Llama-3.1-70B — GQA: 64 query heads share 8 KV heads, 80 layers" from the registry. */
function modelLabel(id: string): string {
  const m = lookupTransformer(id);
  const attn = m.kvHeads === m.heads
    ? `MHA: ${m.heads} heads each cache K and V`
    : `GQA: ${m.heads} query heads share ${m.kvHeads} KV heads`;
  return `${m.name} — ${attn}, ${m.layers} layers`;
}

function clusterLabel(value: string): string {
  const [gpu, n] = value.split(":");
  const g = lookupGpu(gpu);
  return `${n}× ${g.name} (${formatGB(g.memoryBytes * Number(n), 0)})`;
}

/** A P99 TTFT for display: ms below a second, seconds above, and what an unstable queue means. */
const ttftText = (s: number) =>
  !Number.isFinite(s) ? "unbounded (queue grows)" : s < 1 ? formatMs(s, 0) : formatDuration(s, 1);

/** The reversible failure state of an Act II config whose KV-cache does not fit. */
function oomBanner(config: "A" | "B", r: ServingConfigResult, testid: string) {
  return failureBanner({
    title: `Config ${config} — OOM: the KV-cache exceeds the budget.`,
    body: `Required ${formatGB(r.kvMemoryBytes, 0)}, available ${
      formatGB(r.kvAvailableBytes, 0)
    }: it serves nothing until it fits. Lower the batch or the tokens per request.`,
    testid,
  });
}

const REFLECT1 = {
  question:
    "The cache grows linearly with the context. Why does sequence length — not model width — dominate its growth while you serve?",
  options: {
    "A) Every token in the context keeps one key and one value per KV head in every layer": "A",
    "B) Longer sequences need more computation per token, so they need more memory": "B",
    "C) The cache compresses with model width, so wider models store less per token": "C",
    "D) Longer sequences use more attention heads": "D",
  },
  feedback: {
    A: "**Correct.** Width (KV heads × head dim × layers) fixes the size of each token's entry; the context sets how many entries exist, and it grows with every generated token.",
    B: "**Not quite.** Attention does more work per step at long context, but that is compute. Memory grows because every past key and value must be **stored**.",
    C: "**Not quite.** Nothing is compressed: the cache stores exact tensors. Width is a fixed factor per token; the context multiplies it.",
    D: "**Not quite.** The number of heads is fixed by the architecture. What grows is the number of cached (key, value) pairs.",
  },
  correct: "A",
  testid: "reflect1",
} as const;

const REFLECT2 = {
  question:
    "What is the key advantage of continuous batching over static batching for serving throughput?",
  options: {
    "A) It uses less GPU memory than static batching": "A",
    "B) New requests take a slot as soon as any sequence finishes, instead of waiting for the slowest sequence of a static batch":
      "B",
    "C) It always gives lower latency than static batching": "C",
    "D) It compresses the KV-cache so longer contexts fit": "D",
  },
  feedback: {
    A: "**Not quite.** The cache per sequence is the same; paged attention is what reduces waste in memory. Continuous batching is about **scheduling**.",
    B: "**Correct.** A static batch runs until its longest output finishes, so most slots sit idle at the end. Continuous batching refills each slot immediately — compare the slot utilisation of the two modes in the results.",
    C: "**Not quite.** More sequences share each step, so a single request's step can be slower; the gain is total tokens per second and shorter queueing.",
    D: "**Not quite.** That is the job of KV quantisation, paging or sliding windows. Continuous batching only decides when requests join.",
  },
  correct: "B",
  testid: "reflect2",
} as const;

export default lab({
  id: "v2-10",
  title: "The KV-Cache Memory Wall",
  subtitle: "How many users fit once the weights are loaded — and how to serve them",
  minutes: 40,
  volume: "II",
  topics: ["KV-cache", "GQA", "serving", "continuous batching", "TTFT"],
  status: "ready",
})
  // ---- header, reading, context ---------------------------------------------------------------
  .show("header", () => {
    const w = kvWall({ ...SCENARIO, seqLen: SCENARIO.tokens.latency });
    return labHeader({
      kicker: "Machine Learning Systems · Volume II · Lab 10",
      title: "The KV-Cache Memory Wall",
      subtitle: `You have ${formatGB(w.clusterMemoryBytes, 0)} across eight H100s. ${
        lookupTransformer(SCENARIO.model).name
      }'s weights take ${
        formatGB(w.weightsBytes, 1)
      }. Everything else must hold every user's keys and values. How many users can you serve?`,
      minutes: 40,
      badges: [
        { text: "Act I · The memory wall · 15 min", kind: "info" },
        { text: "Act II · Latency vs throughput · 25 min", kind: "info" },
        { text: "KV = 2 × L × S × Hkv × d × bytes", kind: "neutral" },
        { text: `TTFT SLO < ${formatMs(SLO_TTFT_S, 0)}`, kind: "warn" },
      ],
    });
  })
  .show("reading", () =>
    callout(
      "info",
      md`**Recommended reading** — the inference chapter: prefill vs decode, the KV-cache and paged attention, continuous batching, and TTFT/TBT/throughput trade-offs.`,
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Serving context",
      options: {
        "Latency-optimized (real-time assistant)": "latency",
        "Throughput-optimized (batch document processing)": "throughput",
      },
    }))
  .cell("scenarioTokens", ({ context }) => SCENARIO.tokens[context])
  // ---- Act I ----------------------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context, scenarioTokens }) => {
      const w = act1Actual(context);
      const quote = context === "latency"
        ? `We have 8 H100s — ${formatGB(w.clusterMemoryBytes, 0)} in total — serving ${
          lookupTransformer(SCENARIO.model).name
        }, whose weights take ${formatGB(w.weightsBytes, 1)} in BF16. We're targeting ${
          formatCount(scenarioTokens)
        }-token context windows. My manager asks how many concurrent users we can support. Give me a number.`
        : `Same cluster, same model. Our document pipeline processes ${
          formatCount(scenarioTokens)
        }-token documents. How many can we hold in flight before we hit the memory wall? We need to size the job queue.`;
      return vstack([
        md`## Act I — The KV-Cache Memory Wall

Every token in a user's context keeps a **key** and a **value** vector in every attention layer,
for as long as the conversation lasts. They are what the next token attends to; recomputing them
costs a whole prefill.`,
        stakeholder({
          persona: context === "latency" ? "LLM Serving Team Lead" : "Platform Engineering Lead",
          role: context === "latency" ? "real-time assistant" : "batch document processing",
          quote,
          testid: "stakeholder-act1",
        }),
      ]);
    },
    prediction: ({ context, scenarioTokens }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: `8× H100 SXM, ${lookupTransformer(SCENARIO.model).name} in BF16, ${
          formatCount(scenarioTokens)
        }-token contexts, memory budgeted the way vLLM does. How many concurrent users fit?`,
        options: act1Options(context),
        answer: act1Actual(context).maxUsers,
        format: (n) => `${formatCount(n)} users`,
        explain: `Each user holds ${
          formatGB(act1Actual(context).kvPerUserBytes)
        } of cache: context length and concurrency, not the weights, set the wall.`,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("seqLen", ({ scenarioTokens }) =>
        slider({
          label: "Context length (tokens)",
          steps: CONTEXT_STEPS,
          value: scenarioTokens,
          format: (v) => formatCount(v),
          testid: "seq-len",
        }))
      .input("model", () =>
        dropdown({
          label: "Model",
          options: Object.fromEntries(MODELS.map((id) => [modelLabel(id), id])),
          value: SCENARIO.model,
          testid: "model",
        }))
      .input("cluster", () =>
        radio({
          label: "Cluster",
          options: Object.fromEntries(CLUSTERS.map((c) => [clusterLabel(c), c])),
          value: `${SCENARIO.gpu}:${SCENARIO.gpus}`,
          inline: true,
          testid: "cluster",
        }))
      .input("kvPrecision", () =>
        radio<Precision>({
          label: "KV-cache precision",
          options: { "BF16 (2 bytes)": "bf16", "FP8 (1 byte)": "fp8" },
          value: "bf16",
          inline: true,
          testid: "kv-precision",
        }))
      .cell("wall", ({ seqLen, model, cluster, kvPrecision }) => {
        const [gpu, n] = cluster.split(":");
        return kvWall({ model, gpu, gpus: Number(n), seqLen, kvPrecision });
      })
      .cell("sweep", ({ model, cluster, kvPrecision }) => {
        const [gpu, n] = cluster.split(":");
        const rows = [];
        for (let s = 512; s <= 131072; s = Math.round(s * 1.25)) {
          rows.push({
            tokens: s,
            users: kvWall({ model, gpu, gpus: Number(n), seqLen: s, kvPrecision }).maxUsers,
          });
        }
        return rows;
      })
      .show("act1Instruments", ({ $seqLen, $model, $cluster, $kvPrecision }) => {
        return vstack([
          md`### Simulator — KV-cache memory calculator

  Change the context, the model, the cluster and the cache's precision. Watch the cache per user,
  and how fast it consumes what the weights leave over.`,
          hstack([$seqLen, $model], { widths: [1, 1] }),
          $cluster,
          $kvPrecision,
        ]);
      })
      .show("derivation", ({ wall, model, seqLen, kvPrecision }) => {
        const m = lookupTransformer(model);
        const b = kvPrecision === "fp8" ? 1 : 2;
        return md`**Live derivation** (${m.name}, ${
          formatCount(seqLen)
        } tokens, ${kvPrecision.toUpperCase()} cache)

  $$\text{KV per token} = 2 \times L \times H_{kv} \times d \times b = 2 \times ${m.layers} \times ${m.kvHeads} \times ${m.headDim} \times ${b} = ${
          formatCount(wall.kvBytesPerToken)
        }\ \text{bytes}$$

  $$\text{KV per user} = ${formatCount(wall.kvBytesPerToken)} \times ${
          formatCount(seqLen)
        } = \text{${formatGB(wall.kvPerUserBytes)} (${formatGiB(wall.kvPerUserBytes)})}$$

  $$\text{max users} = \left\lfloor \frac{\text{${formatGB(wall.availableBytes, 1)}}}{\text{${
          formatGB(wall.kvPerUserBytes)
        }}} \right\rfloor = ${formatCount(wall.maxUsers)}$$

  Memory for the cache = runtime-visible memory × ${
          DEFAULT_GMU.toFixed(2)
        } (vLLM's \`gpu_memory_utilization\`) − weights
  − the activation peak of a profiling pass − runtime overhead, on every GPU. ${
          profilePassText(wall)
        }`;
      })
      .show("act1Metrics", ({ wall, seqLen, cluster }) => {
        const n = cluster.split(":")[1];
        return metricRow([
          {
            label: "KV per user",
            value: formatGB(wall.kvPerUserBytes),
            caption: `${formatGiB(wall.kvPerUserBytes)} · at ${formatCount(seqLen)} tokens`,
            kind: "info",
            testid: "kv-per-user",
          },
          {
            label: "Memory for the cache",
            value: formatGB(wall.availableBytes, 1),
            caption: `after ${formatGB(wall.weightsBytes, 1)} of weights`,
            kind: wall.availableBytes <= 0 ? "danger" : "neutral",
            testid: "kv-available",
          },
          {
            label: "Max concurrent users",
            value: formatCount(wall.maxUsers),
            caption: plural(Number(n), "GPU"),
            kind: wall.maxUsers >= 20 ? "success" : wall.maxUsers >= 10 ? "warn" : "danger",
            testid: "max-users",
          },
          {
            label: "Memory split",
            value: `${formatShare(wall.weightsBytes, wall.clusterMemoryBytes)} weights`,
            caption: wall.weightsShare > 1
              ? "the weights alone exceed the memory"
              : `${formatPercent(wall.kvFraction, 0)} left for the cache`,
            kind: wall.weightsShare > 1 ? "danger" : "neutral",
            testid: "memory-split",
          },
        ]);
      })
      .show("act1Chart", ({ sweep, wall, seqLen, model, cluster }) => {
        return chart({
          width: 560,
          height: 260,
          layer: [
            {
              data: { name: "sweep" },
              mark: { type: "area", line: true, opacity: 0.25, tooltip: true },
              encoding: {
                x: {
                  field: "tokens",
                  type: "quantitative",
                  scale: { type: "log", base: 2 },
                  title: "Context length (tokens)",
                },
                y: { field: "users", type: "quantitative", title: "Max concurrent users" },
              },
            },
            {
              data: { values: [{ users: 10 }] },
              mark: { type: "rule", strokeDash: [6, 4], color: "#CB202D" },
              encoding: { y: { field: "users", type: "quantitative" } },
            },
            {
              data: { name: "point" },
              mark: {
                type: "point",
                shape: "diamond",
                size: 160,
                filled: true,
                color: "#CC5500",
                tooltip: true,
              },
              encoding: {
                x: { field: "tokens", type: "quantitative" },
                y: { field: "users", type: "quantitative" },
              },
            },
          ],
        }, {
          data: { sweep, point: [{ tokens: seqLen, users: wall.maxUsers }] },
          description: `Max concurrent users against context length for ${
            lookupTransformer(model).name
          } on ${clusterLabel(cluster)}; the dashed line marks 10 users (unviable below). At ${
            formatCount(seqLen)
          } tokens: ${formatCount(wall.maxUsers)} users.${chunkedPrefillStep(sweep)}`,
          table: { dataset: "sweep" },
          testid: "act1-chart",
        });
      })
      .show("act1Verdict", ({ wall, cluster, seqLen }) => {
        if (wall.maxUsers < 1) {
          return failureBanner({
            title: "OOM — not even one user fits.",
            body: wall.oomWeights
              ? `The weights alone (${formatGB(wall.weightsBytes, 1)}) exceed ${
                clusterLabel(cluster)
              }. Pick a smaller model or a bigger cluster.`
              : `After the weights and the engine's reserve, ${
                formatGB(wall.availableBytes, 1)
              } remain, less than one user's ${formatGB(wall.kvPerUserBytes)} at ${
                formatCount(seqLen)
              } tokens. Shorten the context, use an FP8 cache, or add GPUs.`,
            testid: "oom-act1",
          });
        }
        if (wall.bound === "model") {
          return failureBanner({
            kind: "warn",
            title: "Beyond the model's context window.",
            body: `${wall.contextMessage} Memory would hold ${
              plural(wall.maxUsers, "user")
            }, but the model cannot serve this context: pick a model trained for it, or a shorter context.`,
            testid: "model-limit-act1",
          });
        }
        return callout(
          wall.maxUsers >= 10 ? "success" : "warn",
          md`**${wall.maxUsers >= 10 ? "Viable" : "Barely viable"}:** ${
            plural(wall.maxUsers, "concurrent user")
          } at ${formatGB(wall.kvPerUserBytes)} each.`,
          { testid: "viable-act1" },
        );
      })
      .reveal(({ act1, wall, seqLen, model, cluster, context }) => {
        const moved = seqLen !== SCENARIO.tokens[context] || model !== SCENARIO.model ||
          cluster !== `${SCENARIO.gpu}:${SCENARIO.gpus}`;
        return moved && act1
          ? mdText(
            `With your current settings the calculator says ${plural(wall.maxUsers, "user")}.`,
          )
          : undefined;
      })
      .input("reflect1", () => reflection(REFLECT1))
      .show("act1Reflection", ({ $reflect1, reflect1 }) => {
        return vstack([md`### Reflection`, $reflect1, reflectionFeedback(REFLECT1, reflect1)]);
      })
      .show("act1Math", () => {
        const m = lookupTransformer(SCENARIO.model);
        const gpt = lookupTransformer("gpt-3-175b");
        return vstack([
          mathPeek(md`$$\text{KV bytes} = 2 \times L \times S \times H_{kv} \times d \times b$$

  - **2** — one key and one value per layer
  - **L** — layers (${m.name}: ${m.layers})
  - **S** — tokens in the context
  - $H_{kv}$ — key/value heads (${m.name}: ${m.kvHeads}; its ${m.heads} query heads share them — grouped-query attention). For MHA models such as ${gpt.name}, $H_{kv}$ = heads = ${gpt.heads}.
  - **d** — head dimension, from the model's config (${m.headDim}; not always hidden ÷ heads)
  - **b** — bytes per element: ${bytesPerElement("bf16")} for BF16, ${
            bytesPerElement("fp8")
          } for FP8

  **Paged attention** (vLLM) allocates the cache in ${DEFAULT_BLOCK_SIZE}-token blocks on demand instead of reserving
  the maximum length per request, so memory follows the tokens actually held.`),
          accordion({
            "Where the original lab was wrong (and why the numbers changed)": md`
  - It used **${m.heads} KV heads** (one per query head) for Llama-3 70B. The model has **${m.kvHeads}** (grouped-query attention), so it overstated the cache ${
              m.heads / m.kvHeads
            }× — a mistake the course's own simulator tutorial warns about.
  - "LLaMA-3 7B / 13B" do not exist; the real 7B and 13B models are **Llama-2**, which use full multi-head attention — a useful contrast.
  - It took the H100's dense FP16 peak as ${
              formatTflops(lookupGpu("h100-sxm").sparsePeak?.bf16 ?? NaN, 0)
            }; that is the **2:4-sparse** figure. Dense is ${
              formatTflops(lookupGpu("h100-sxm").peak.bf16)
            }.
  - It mixed GB and GiB. Here GB = 10⁹ bytes and GiB = 2³⁰ bytes, always labelled.
  - Its answer key ("~23 users") did not match its own calculator. With correct physics the calculator gives ${
              formatCount(act1Actual("latency").maxUsers)
            } users at ${formatCount(SCENARIO.tokens.latency)} tokens.`,
          }, { testid: "corrections" }),
        ]);
      })
      .record(({ wall, model }) => ({
        hud: [["KV/user", formatGB(wall.kvPerUserBytes)], [
          "Max users",
          formatCount(wall.maxUsers),
        ]],
        ledger: {
          model,
          kv_per_user_gb: Math.round(wall.kvPerUserBytes / 1e7) / 100,
          max_users: wall.maxUsers,
        },
      })))
  // ---- Act II ---------------------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ context }) => {
      return vstack([
        md`## Act II — Latency vs throughput: two serving configurations

A real-time assistant and an overnight batch pipeline want opposite things from the same
replica. Big batches keep the GPUs busy, but every new request waits for a slot and shares
its first step with other prompts.`,
        stakeholder({
          persona: context === "latency"
            ? "Platform Engineering Lead — Latency Track"
            : "Platform Engineering Lead — Throughput Track",
          quote: context === "latency"
            ? `Enterprise customers have an SLA: P99 time-to-first-token under ${
              formatMs(SLO_TTFT_S, 0)
            } at our peak of ${SCENARIO.arrivalsPerS} requests per second. Design the configuration that holds it.`
            : `Legal submits overnight jobs: 10,000 documents of ${
              formatCount(SCENARIO.documentTokens)
            } tokens each. Latency doesn't matter; we need at least ${
              formatTokensPerS(TPUT_TARGET)
            }. Design the configuration that maximizes throughput.`,
          testid: "stakeholder-act2",
        }),
      ]);
    },
    prediction: ({ context }) => {
      const plans = act2Plans();
      const best = act2Best(plans);
      return choicePrediction({
        title: "Prediction lock · Act II",
        question: `Config A serves the assistant (P99 TTFT < ${
          formatMs(SLO_TTFT_S, 0)
        } at ${SCENARIO.arrivalsPerS} requests/s); config B drains the document backlog (≥ ${
          formatTokensPerS(TPUT_TARGET)
        }, ${formatCount(SCENARIO.documentTokens)}-token documents). Which plan meets both?`,
        options: plans.map((p) => ({
          text: p.text,
          why: `This plan gives ${describePlan(p)}.`,
          correct: p === best,
        })),
        key: context,
        explain:
          "The two workloads need different configurations: the assistant needs free slots and short prompts; the pipeline needs many sequences sharing each weight read.",
        testid: "act2-lock",
      });
    },
  }, (act) =>
    act
      .input(
        "arrivals",
        () =>
          slider({
            label: "Peak arrivals at the assistant (requests/s)",
            min: 1,
            max: 16,
            step: 1,
            value: SCENARIO.arrivalsPerS,
            testid: "arrivals",
          }),
      )
      .input(
        "latMode",
        () =>
          dropdown<ServingMode>({
            label: "Serving mode",
            options: MODES,
            value: "continuous",
            testid: "lat-mode",
          }),
      )
      .input(
        "latBatch",
        () =>
          slider({
            label: "Max batch size",
            min: 1,
            max: 64,
            step: 1,
            value: 4,
            testid: "lat-batch",
          }),
      )
      .input(
        "latSeq",
        () =>
          slider({
            label: "Max tokens per request",
            min: 256,
            max: 4096,
            step: 256,
            value: 512,
            testid: "lat-seq",
          }),
      )
      .input(
        "tputMode",
        () =>
          dropdown<ServingMode>({
            label: "Serving mode",
            options: MODES,
            value: "continuous",
            testid: "tput-mode",
          }),
      )
      .input(
        "tputBatch",
        () =>
          slider({
            label: "Max batch size",
            min: 1,
            max: 256,
            step: 1,
            value: 64,
            testid: "tput-batch",
          }),
      )
      .input(
        "tputSeq",
        () =>
          slider({
            label: "Max tokens per request",
            min: 256,
            max: 16384,
            step: 256,
            value: 4096,
            testid: "tput-seq",
          }),
      )
      .cell(
        "lat",
        ({ latMode, latBatch, latSeq, arrivals }) =>
          latencyConfig({ mode: latMode, maxBatch: latBatch, maxSeqLen: latSeq }, arrivals),
      )
      .cell(
        "tput",
        ({ tputMode, tputBatch, tputSeq }) =>
          throughputConfig({ mode: tputMode, maxBatch: tputBatch, maxSeqLen: tputSeq }),
      )
      .show("act2Instruments", (
        { $arrivals, $latMode, $latBatch, $latSeq, $tputMode, $tputBatch, $tputSeq },
      ) => {
        return vstack([
          md`### Simulator — side-by-side serving configurations`,
          hstack([
            vstack([
              md`**Config A — latency-optimized** · P99 TTFT < ${formatMs(SLO_TTFT_S, 0)}`,
              $arrivals,
              $latMode,
              $latBatch,
              $latSeq,
            ]),
            vstack([
              md`**Config B — throughput-optimized** · ≥ ${formatTokensPerS(TPUT_TARGET)}`,
              $tputMode,
              $tputBatch,
              $tputSeq,
            ]),
          ], { widths: [1, 1] }),
        ]);
      })
      .show("act2Results", ({ lat, tput, latBatch, tputBatch }) => {
        // Each configuration is coloured against its own target only: the assistant's TTFT SLO for
        // A, the backlog's throughput target for B (a document queue has no TTFT target).
        const cards = (r: ServingConfigResult, batch: number, id: "lat" | "tput") =>
          metricRow([
            {
              label: "TTFT P99",
              value: r.oom
                ? "does not run"
                : Number.isFinite(r.ttftP99S)
                ? ttftText(r.ttftP99S)
                : "∞",
              caption: r.oom
                ? "out of memory"
                : !Number.isFinite(r.ttftP99S)
                ? "arrivals outpace the slots: the queue grows without bound"
                : `P50 ${ttftText(r.ttftP50S)} · ${
                  id === "lat" ? `SLO ${formatMs(SLO_TTFT_S, 0)}` : "no TTFT target for the backlog"
                }`,
              kind: r.oom
                ? "danger"
                : id === "tput"
                ? "neutral"
                : r.ttftP99S > SLO_TTFT_S
                ? "danger"
                : r.ttftP99S > 0.7 * SLO_TTFT_S
                ? "warn"
                : "success",
              testid: `${id}-ttft`,
            },
            {
              label: "Delivered",
              value: r.oom ? "0 tok/s" : formatTokensPerS(r.throughputTokensPerS),
              caption: r.oom
                ? r.message
                : `capacity ${formatTokensPerS(r.capacityTokensPerS)} · asked ${
                  formatTokensPerS(r.offeredTokensPerS)
                }${id === "tput" ? ` · target ${formatTokensPerS(TPUT_TARGET)}` : ""}`,
              kind: r.oom
                ? "danger"
                : id === "lat"
                ? "neutral"
                : r.throughputTokensPerS >= TPUT_TARGET
                ? "success"
                : "warn",
              testid: `${id}-tput`,
            },
            {
              label: "GPU utilization",
              value: r.oom ? "—" : formatPercent(r.gpuUtilization, 0),
              caption: r.oom
                ? `batch ${batch}`
                : `batch ${batch} · ${formatCount(Math.round(r.busySlots))} of ${
                  plural(batch, "slot")
                } busy · ${r.bound}-bound · ITL ${formatMs(r.itlS, 1)}`,
              testid: `${id}-util`,
            },
            {
              label: "KV memory",
              value: formatGB(r.kvMemoryBytes, 0),
              caption: `of ${formatGB(r.kvAvailableBytes, 0)} for the cache (max_model_len ${
                formatCount(r.maxModelLen)
              })`,
              kind: r.oom ? "danger" : "success",
              testid: `${id}-kv`,
            },
          ]);
        return vstack([
          md`### Results — side by side`,
          md`**Config A — latency**`,
          cards(lat, latBatch, "lat"),
          md`**Config B — throughput**`,
          cards(tput, tputBatch, "tput"),
        ]);
      })
      .show("act2Chart", ({ lat, tput }) => {
        // What each configuration is asked for, what it can carry, and what it delivers: the
        // assistant's load is fixed by its arrivals, the backlog's by the target. A saturated
        // queue delivers its capacity; a configuration that does not fit delivers nothing.
        const rows = [
          ["A — latency", lat] as const,
          ["B — throughput", tput] as const,
        ].flatMap(([config, r]) =>
          [
            { config, what: "asked (arrivals × output)", tps: r.oom ? 0 : r.offeredTokensPerS },
            { config, what: "capacity (all slots busy)", tps: r.capacityTokensPerS },
            { config, what: "delivered", tps: r.throughputTokensPerS },
          ].map((x) => ({
            ...x,
            shown: r.oom ? "does not run (out of memory)" : formatTokensPerS(x.tps),
          }))
        );
        return chart({
          width: 520,
          height: 200,
          layer: [
            {
              data: { name: "bars" },
              mark: { type: "bar", tooltip: true },
              encoding: {
                y: { field: "config", type: "nominal", title: null },
                yOffset: { field: "what", type: "nominal", sort: null },
                x: { field: "tps", type: "quantitative", title: "Output tokens/s" },
                color: {
                  field: "what",
                  type: "nominal",
                  sort: null,
                  title: null,
                  scale: { range: [COLORS.TextMuted, COLORS.BlueLine, COLORS.GreenLine] },
                  legend: { orient: "bottom" },
                },
                tooltip: [{ field: "config" }, { field: "what" }, {
                  field: "shown",
                  title: "tok/s",
                }],
              },
            },
            {
              data: { values: [{ tps: TPUT_TARGET }] },
              mark: { type: "rule", strokeDash: [6, 4], color: COLORS.OrangeLine },
              encoding: { x: { field: "tps", type: "quantitative" } },
            },
          ],
        }, {
          data: { bars: rows },
          description: `Config A is asked ${formatTokensPerS(lat.offeredTokensPerS)}, can carry ${
            formatTokensPerS(lat.capacityTokensPerS)
          } and delivers ${formatTokensPerS(lat.throughputTokensPerS)} (P99 TTFT ${
            lat.oom ? "—: out of memory" : ttftText(lat.ttftP99S)
          }, against its ${formatMs(SLO_TTFT_S, 0)} SLO). Config B can carry ${
            formatTokensPerS(tput.capacityTokensPerS)
          } and delivers ${
            formatTokensPerS(tput.throughputTokensPerS)
          }; the dashed line is B's target, ${formatTokensPerS(TPUT_TARGET)}.${
            tput.oom ? " B does not fit in memory: it delivers nothing." : ""
          }`,
          table: { dataset: "bars" },
          testid: "act2-chart",
        });
      })
      .show("act2Alerts", ({ lat, tput, tputSeq, tputBatch, tputMode }) => {
        const out = [];
        if (lat.oom) out.push(oomBanner("A", lat, "oom-lat"));
        if (lat.ttftP99S > SLO_TTFT_S) {
          out.push(failureBanner({
            title: `Latency SLO violated: P99 TTFT ${ttftText(lat.ttftP99S)} > ${
              formatMs(SLO_TTFT_S, 0)
            }.`,
            body: lat.bound === "queueing" || lat.slotUtilization > 0.9
              ? "Requests queue for a batch slot. Add slots (a larger max batch) or shorten requests so slots free up sooner."
              : "Each prompt's prefill, plus the others admitted with it, takes too long. Cap the tokens per request.",
            testid: "slo-lat",
          }));
        } else if (!lat.oom) {
          out.push(
            callout(
              "success",
              md`**Config A meets the SLO:** P99 TTFT ${ttftText(lat.ttftP99S)}.`,
              {
                testid: "slo-ok",
              },
            ),
          );
        }
        if (tput.oom) {
          out.push(oomBanner("B", tput, "oom-tput"));
        } else if (
          !meetsThroughput(tput, { mode: tputMode, maxBatch: tputBatch, maxSeqLen: tputSeq })
        ) {
          out.push(failureBanner({
            kind: "warn",
            title: "Batch throughput below target.",
            body: tputSeq < SCENARIO.documentTokens
              ? `Documents are ${formatCount(SCENARIO.documentTokens)} tokens; a ${
                formatCount(tputSeq)
              }-token cap truncates them.`
              : `${formatTokensPerS(tput.throughputTokensPerS)} < ${
                formatTokensPerS(TPUT_TARGET)
              }. Raise the batch or switch to continuous batching.`,
            testid: "tput-low",
          }));
        } else {
          out.push(
            callout(
              "success",
              md`**Config B meets its target:** ${formatTokensPerS(tput.throughputTokensPerS)}.`,
              { testid: "tput-ok" },
            ),
          );
        }
        return vstack(out);
      })
      .reveal()
      .input("reflect2", () => reflection(REFLECT2))
      .show("act2Reflection", ({ $reflect2, reflect2 }) => {
        return vstack([md`### Reflection`, $reflect2, reflectionFeedback(REFLECT2, reflect2)]);
      })
      .show("act2Math", () => {
        return mathPeek(
          md`**Decode step** (memory-bound at small batch): read the weights once, plus every active sequence's cache at its current length:

  $$t_\text{step} \approx \frac{W + \sum_i \text{KV}_i}{\eta_\text{BW}\cdot BW} + t_\text{overhead}$$

  **Prefill** (compute-bound): $2 P_\text{active}$ FLOPs per token plus the causal attention term, $\approx \dfrac{2 P S + 2 L S^2 d_\text{attn}}{\eta_\text{C}\cdot \text{peak}}$.

  **TTFT** = waiting for a batch slot (M/M/c with $c$ = max batch, Erlang C) + the step in flight + your prefill, stretched by the other prompts admitted in the same window.

  **Static batching** waits for the longest output in the batch; **continuous batching** refills a slot the step it frees. **Speculative decoding** with acceptance rate $\alpha$ and draft length $k$ emits $\frac{1-\alpha^{k+1}}{1-\alpha}$ tokens per verify step.`,
        );
      })
      .record(({ lat, tput, latMode, latBatch, latSeq }) => {
        const sloMet = !lat.oom && lat.ttftP99S <= SLO_TTFT_S;
        const bothMet = sloMet && !tput.oom && tput.throughputTokensPerS >= TPUT_TARGET;
        return {
          hud: [
            ["TTFT (A)", ttftText(lat.ttftP99S)],
            ["TPS (B)", formatTokensPerS(tput.throughputTokensPerS)],
            ["SLO", bothMet ? "MET" : "VIOLATED"],
          ],
          ledger: {
            act2_result: !lat.oom && Number.isFinite(lat.ttftP99S)
              ? Math.round(lat.ttftP99S * 1e4) / 10
              : null,
            act2_decision: `${latMode}, batch ${latBatch}, ${latSeq} tokens`,
            constraint_hit: lat.oom || tput.oom,
            throughput_tps: tput.oom ? null : Math.round(tput.throughputTokensPerS),
            slo_met: sloMet,
          },
        };
      }))
  // ---- ledger and HUD -------------------------------------------------------------------------
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v2-10",
      context,
      acts,
      hud: [["Lab", "V2-10 · KV-cache wall"], ["Context", context.toUpperCase()]],
    }));

/** A plan's two results, as its option's feedback reads them. */
function describePlan(p: Act2Plan): string {
  const a = p.latencyResult, b = p.throughputResult;
  return `the assistant's config a P99 TTFT of ${
    a.oom ? "nothing (out of memory)" : ttftText(a.ttftP99S)
  } and the backlog's config ${
    b.oom ? "nothing (out of memory)" : formatTokensPerS(b.throughputTokensPerS)
  }${p.throughput.maxSeqLen < SCENARIO.documentTokens ? " (documents truncated)" : ""}`;
}

/**
 * What vLLM's profiling pass reserves, sized by the engine's max_model_len (core's convention:
 * the model's maximum, vLLM's default), not by the slider's context.
 */
function profilePassText(wall: ReturnType<typeof kvWall>): string {
  const pass = `Here that pass runs ${formatCount(wall.profileTokens)} tokens and reserves ${
    formatGB(wall.activationBytes, 1)
  } across the cluster, for vLLM's default max_model_len (the model's maximum, ${
    formatCount(wall.maxModelLen)
  } tokens)`;
  return wall.maxModelLen > CHUNKED_PREFILL_ABOVE
    ? `${pass}: above ${
      formatCount(CHUNKED_PREFILL_ABOVE)
    } tokens vLLM turns on chunked prefill and profiles one ${
      formatCount(CHUNKED_PREFILL_TOKENS)
    }-token chunk, not the whole context.`
    : `${pass}: up to ${
      formatCount(CHUNKED_PREFILL_ABOVE)
    } tokens it covers the whole max_model_len in one pass.`;
}

/**
 * The chart caption's note on the step in the curve, if the sweep has one: where more users fit
 * at a longer context because chunked prefill shrank the activation reserve.
 */
function chunkedPrefillStep(sweep: ReadonlyArray<{ tokens: number; users: number }>): string {
  const i = sweep.findIndex((r, k) => k > 0 && r.users > sweep[k - 1].users);
  if (i < 0) return "";
  return ` The curve steps up between ${formatCount(sweep[i - 1].tokens)} and ${
    formatCount(sweep[i].tokens)
  } tokens (${formatCount(sweep[i - 1].users)} → ${formatCount(sweep[i].users)} users): above ${
    formatCount(CHUNKED_PREFILL_ABOVE)
  } tokens vLLM prefills in ${
    formatCount(CHUNKED_PREFILL_TOKENS)
  }-token chunks, so it reserves far less memory for activations.`;
}
