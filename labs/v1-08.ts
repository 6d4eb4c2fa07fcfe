/**
 * The Training Gauntlet (lab v1-08, Volume I Lab 8: Model Training).
 *
 * Act I (Calibration): a full fine-tune ran out of memory. Predict the memory one training step
 * needs from four mental models (inference sizing, the "4 × model size" rule, 16 bytes per
 * parameter without activations, the full stack); then see the stack — weights, gradients, fp32
 * master weights, optimizer moments, activations, fp32 logits — against the memory the GPU's
 * runtime can allocate, and move micro-batch and sequence length to watch only the activations
 * grow.
 *
 * Act II (Design Challenge): make it fit at the recipe's effective batch with the four knobs a
 * practitioner has — precision and optimizer (fp32, bf16 mixed, 8-bit AdamW), recomputation
 * (none, selective, full), micro-batch, and gradient accumulation (set to keep the effective
 * batch) — and see what each costs in step time. The OOM banner holds exactly while the stack
 * is over the line and clears when it fits.
 *
 * What the course's Python lab got wrong, fixed here: mixed precision was counted as 12 B/param
 * (it forgot the fp32 master weights: ZeRO's convention is 16, the same as fp32 AdamW);
 * activations came from invented hidden/layer formulas and b·s·h·L bytes (Korthikanti's 34·s·b·h
 * per layer with selective recomputation, plus the attention scores without it, plus the fp32
 * logits); checkpointing stored √L layers (full recomputation keeps each layer's input, 2·s·b·h);
 * gradient accumulation had a made-up fixed 4 % overhead (it adds no FLOPs); and memory was
 * compared with the "80 GB" label rather than what the runtime can allocate.
 *
 * Physics: core/training (trainingMemory, singleGpuStep), via labs/v1-08/.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
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
  type ReflectionConfig,
  reflectionFeedback,
  slider,
  stakeholder,
  table,
  vstack,
} from "../cells/mod.ts";
import {
  formatCount,
  formatDuration,
  formatGB,
  formatGiB,
  formatNumber,
  formatPercent,
  formatRatio,
  lookupGpu,
  lookupTransformer,
} from "../core/mod.ts";
import type { Recompute } from "../core/training/mod.ts";
import {
  accumulationOf,
  act1Answer,
  act1Design,
  act1Models,
  act1Options,
  act2Best,
  act2Options,
  act2Plans,
  type Context,
  type Design,
  microBatchSteps,
  paramsOf,
  RECOMPUTE_LABEL,
  SCENARIOS,
  type Setup,
  SETUPS,
  stackOf,
  stepOf,
} from "./v1-08/scenario.ts";
import { stackChart } from "./v1-08/charts.ts";

/** Act I's micro-batch slider (sequences). */
const MICRO_STEPS = [1, 2, 4, 8, 16];
/** Act I's sequence-length slider (tokens; Llama-2's context is 4,096). */
const SEQ_STEPS = [512, 1024, 2048, 4096];

const gb = (x: number) => formatGB(x, 1);
const perParam = (bytes: number, psi: number) => `${formatNumber(bytes / psi, 1)} B/param`;
const designText = (d: Design, k: number) =>
  `${SETUPS[d.setup].short}, ${d.recompute} recomputation, micro-batch ${d.microBatch} × ${k}`;

const REFLECT1: ReflectionConfig<string> = {
  question:
    "The team switches the fine-tune from fp32 AdamW to bf16 mixed precision. How much smaller do the model states (weights, gradients, optimizer) get?",
  options: {
    "Half: every number is stored in 2 bytes instead of 4": "half",
    "A quarter: weights and gradients halve, the two Adam moments stay fp32 (12 B/param)":
      "quarter",
    "Not at all: mixed precision keeps an fp32 master copy, 16 B/param either way": "none",
    "More than half: bf16 gradients are mostly zero and compress": "more",
  },
  correct: "none",
  feedback: {
    half:
      "Only the working copies are bf16. The optimizer updates an fp32 master copy of the weights, and Adam's moments are fp32 too.",
    quarter:
      "This is the course lab's own arithmetic, and it forgets the fp32 master weights: 2 + 2 + 4 + 4 + 4 = 16 bytes per parameter, the same as fp32's 4 + 4 + 4 + 4.",
    none:
      "Yes. ZeRO's mixed-precision Adam is 2 + 2 + 12 = 16 B/param, fp32 AdamW is 4 + 4 + 8 = 16. Mixed precision saves the activations (2 bytes each instead of 4) and runs the GEMMs on the tensor cores; it saves no state memory.",
    more:
      "Gradients are dense tensors stored in full, one number per parameter, whatever their values.",
  },
  testid: "reflect1",
};

const REFLECT2: ReflectionConfig<string> = {
  question:
    "You accumulate gradients over k micro-batches of b sequences instead of one batch of k·b. What does it cost?",
  options: {
    "k times the activation memory: every micro-batch's activations are kept until the optimizer step":
      "memory",
    "Almost nothing: the same tokens go forward and backward once; only the optimizer step waits for all k":
      "free",
    "A fixed bookkeeping overhead of a few percent per micro-batch": "overhead",
    "Accuracy: the summed gradient of k small batches differs from one big batch's": "accuracy",
  },
  correct: "free",
  feedback: {
    memory:
      "A micro-batch's activations are freed by its own backward pass; only the gradient buffer carries over, and it exists anyway.",
    free:
      "Yes. FLOPs per token do not change, the gradients are summed into the buffer backward already writes, and the optimizer step is paid once per k micro-batches. What is lost is only the GPU efficiency of a very small micro-batch, which this model does not charge.",
    overhead:
      "The course lab assumed a fixed 4 %; there is no such term. Backward adds into the existing gradient buffer, which is the same write it does anyway.",
    accuracy:
      "The mean of k micro-batch gradients is the gradient of the whole batch (up to rounding): a transformer has no batch statistics that would change.",
  },
  testid: "reflect2",
};

export default lab({
  id: "v1-08",
  title: "The Training Gauntlet",
  subtitle: "Training memory is not the model size. It is a stack, and it has a ceiling.",
  minutes: 40,
  volume: "I",
  topics: ["training", "memory", "mixed precision", "recomputation", "gradient accumulation"],
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "Volume I · Lab 8 · Model Training",
      title: "The Training Gauntlet",
      subtitle:
        "Weights, gradients, optimizer state and activations: why a model that serves on one GPU does not train on it, and the four knobs that make it fit.",
      minutes: 40,
      badges: [
        { text: "M = Ψ·(p + g + m + o) + activations", kind: "info" },
        { text: "OOM failure state", kind: "danger" },
        { text: "Act I 15 min · Act II 25 min", kind: "neutral" },
      ],
    }))
  .show("reading", () =>
    callout(
      "info",
      md`Read first: the Model Training chapter's sections on training memory, mixed precision,
activation checkpointing and gradient accumulation. Every number here comes from syslab's core:
bytes per parameter by dtype (ZeRO's mixed-precision convention), activations per layer from
Korthikanti et al. 2022, FLOPs with recomputation, and step times on the fitted training model.`,
      { title: "Before you start" },
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Deployment context",
      options: {
        [`Cloud · ${lookupGpu(SCENARIOS.cloud.gpuId).name}`]: "cloud",
        [`Single 24 GB GPU · ${lookupGpu(SCENARIOS.workstation.gpuId).name}`]: "workstation",
      },
    }))
  .cell("scenario", ({ context }) => SCENARIOS[context])
  .cell("names", ({ scenario }) => ({
    gpu: lookupGpu(scenario.gpuId).name,
    memory: lookupGpu(scenario.gpuId).memoryLabel,
    model: lookupTransformer(scenario.modelId).name,
  }))
  .cell("psi", ({ context }) => paramsOf(context))
  // ---- Act I: calibration -------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ scenario, names, psi }) =>
      vstack([
        md`## Act I · Calibration: what does one training step hold?`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `We full-fine-tune ${names.model} (${
            formatNumber(psi / 1e9, 2)
          } billion parameters) on one ${names.gpu} (${names.memory} of memory): AdamW, bf16 mixed precision, FlashAttention, ${
            formatCount(scenario.seq)
          }-token sequences, ${scenario.act1MicroBatch} per micro-batch. It serves fine on this GPU, so we expect training to fit too. How much memory does one step need at its peak?`,
        }),
      ]),
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question:
          `At its peak, how much GPU memory does one training step of this fine-tune hold (micro-batch ${scenario.act1MicroBatch})?`,
        options: act1Options(context),
        answer: act1Answer(context),
        format: (b) => formatGB(b, 1),
        explain:
          "Core sums the model states at their dtypes (bf16 weights and gradients, fp32 master weights, two fp32 moments) and the activations backward needs: 34·s·b·h bytes per layer with selective recomputation, plus the fp32 logits.",
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("microBatch1", ({ scenario }) =>
        slider({
          label: "Micro-batch (sequences)",
          steps: MICRO_STEPS,
          value: scenario.act1MicroBatch,
          testid: "micro1",
        }))
      .input("seq1", ({ scenario }) =>
        slider({
          label: "Sequence length (tokens)",
          steps: SEQ_STEPS,
          value: scenario.seq,
          format: (v) => formatCount(v),
          testid: "seq1",
        }))
      .cell("stack1", ({ context, microBatch1, seq1 }) =>
        stackOf(context, { ...act1Design(context), microBatch: microBatch1 }, seq1))
      .cell("models1", ({ context, microBatch1, seq1 }) =>
        act1Models(context, microBatch1, seq1))
      .show("act1Metrics", ({ $microBatch1, $seq1, stack1, psi }) =>
        vstack([
          hstack([$microBatch1, $seq1]),
          metricRow([
            {
              label: "Model states",
              value: gb(stack1.states),
              caption: perParam(stack1.states, psi),
              testid: "states1",
            },
            {
              label: "Activations + logits",
              value: gb(stack1.activations),
              caption: `${formatPercent(stack1.activations / stack1.total, 0)} of the step`,
            },
            {
              label: "Peak per step",
              value: gb(stack1.total),
              caption: `${formatRatio(stack1.total / stack1.usable, 2)} the usable memory`,
              kind: stack1.fits ? "success" : "danger",
              testid: "peak1",
            },
            {
              label: "Usable on the GPU",
              value: gb(stack1.usable),
              caption: `${formatGiB(stack1.usable, 1)} the runtime sees`,
            },
          ]),
        ]))
      .show("act1Chart", ({ models1, stack1, names }) =>
        stackChart(models1.map((r) => ({ row: r.model, parts: r.parts })), stack1.usable, {
          gpu: names.gpu,
          testid: "act1-stack",
          headroom: true,
        }))
      .reveal(({ context, psi }) => {
        const d = act1Design(context), s = stackOf(context, d);
        const bf16 = lookupTransformer(SCENARIOS[context].modelId);
        return md`The failed run holds ${gb(s.total)}: ${gb(s.states)} of model states (${
          perParam(s.states, psi)
        }) and ${gb(s.activations)} of activations and logits, against ${gb(s.usable)} usable. ${
          s.states > s.usable
            ? "The states alone are over the line: no batch size fixes this run."
            : "The states fit; the activations push it over."
        } Inference needs ${gb(psi * 2)} for the ${bf16.name} weights in bf16.`;
      })
      .input("reflect1", () =>
        reflection(REFLECT1))
      .show("act1Reflection", ({ $reflect1, reflect1 }) =>
        vstack([$reflect1, reflectionFeedback(REFLECT1, reflect1)]))
      .show("act1Math", ({ context, psi, microBatch1, seq1, stack1 }) => {
        const m = lookupTransformer(SCENARIOS[context].modelId);
        return mathPeek(md`**Model states** per parameter $\Psi$, mixed-precision AdamW (ZeRO's
convention): bf16 weights $p = 2$, bf16 gradients $g = 2$, fp32 master weights $4$, two fp32
moments $4 + 4$:
$$M_\text{states} = \Psi\,(2 + 2 + 4 + 8) = 16\,\Psi = 16 \times ${
          formatNumber(psi / 1e9, 3)
        }\times 10^9 = ${formatNumber(stack1.states / 1e9, 1)}\ \text{GB}.$$
**Activations** kept for backward, per layer with selective recomputation (Korthikanti et al.
2022, Table 2), and the fp32 logits of the loss:
$$M_\text{act} = L \cdot 34\, s\, b\, h + 4\, s\, b\, V = ${m.layers} \cdot 34 \cdot ${seq1} \cdot ${microBatch1} \cdot ${m.hidden} + 4 \cdot ${seq1} \cdot ${microBatch1} \cdot ${
          formatCount(m.vocab)
        } = ${formatNumber(stack1.activations / 1e9, 1)}\ \text{GB}.$$
The states do not depend on the batch; the activations grow linearly in $s \cdot b$. Without
recomputation each layer also keeps its attention scores, $5\,a\,s^2 b$ bytes (quadratic in $s$).
The "4 × model size" rule counts $4 \times 2\Psi = 8\Psi$: it treats the master weights and
moments as bf16.`);
      })
      .record(({ act1, stack1, microBatch1, seq1 }) => ({
        hud: [["Peak (Act I)", gb(stack1.total)]],
        ledger: {
          act1_peak_gb: Math.round(act1.answer! / 1e8) / 10,
          act1_states_gb: Math.round(stack1.states / 1e8) / 10,
          act1_micro_batch: microBatch1,
          act1_seq: seq1,
        },
      })))
  // ---- Act II: design -----------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ scenario, names }) =>
      vstack([
        md`## Act II · Design: make it fit, keep the batch`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `The recipe needs an effective batch of ${scenario.effectiveBatch} sequences of ${
            formatCount(scenario.seq)
          } tokens per optimizer step, and we have one ${names.gpu}. We can change the precision and the optimizer, how much we recompute, the micro-batch, and accumulate gradients over micro-batches. What is the fastest setup that fits?`,
        }),
      ]),
    prediction: ({ context, scenario, names }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question:
          `Which plan trains at an effective batch of ${scenario.effectiveBatch} on the one ${names.gpu} in the least time per step?`,
        options: act2Options(context),
        explain:
          "Core checks each plan's memory stack against the usable memory, then times the ones that fit (FLOPs with recomputation at the fitted GEMM efficiency, memory-bound work at HBM bandwidth, the optimizer step).",
        key: context,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("setup", () =>
        radio<Setup>({
          label: "Precision and optimizer",
          options: {
            [SETUPS.mixed.label]: "mixed",
            [SETUPS.fp32.label]: "fp32",
            [SETUPS.adam8bit.label]: "adam8bit",
          },
          value: "mixed",
          testid: "setup",
        }))
      .input("recompute", () =>
        radio<Recompute>({
          label: "Activation recomputation",
          options: {
            [RECOMPUTE_LABEL.none]: "none",
            [RECOMPUTE_LABEL.selective]: "selective",
            [RECOMPUTE_LABEL.full]: "full",
          },
          value: "selective",
          testid: "recompute",
        }))
      .input("microBatch2", ({ context, scenario }) =>
        slider({
          label: "Micro-batch (sequences); accumulation keeps the effective batch",
          steps: microBatchSteps(context),
          value: scenario.act1MicroBatch,
          format: (v) => `${v} × ${accumulationOf(context, v)} accumulation steps`,
          testid: "micro2",
        }))
      .cell("design2", ({ setup, recompute, microBatch2 }) =>
        ({ setup, recompute, microBatch: microBatch2 }) as Design)
      .cell("stack2", ({ context, design2 }) =>
        stackOf(context, design2))
      .cell("step2", ({ context, design2 }) =>
        stepOf(context, design2))
      .cell("accum2", ({ context, microBatch2 }) => accumulationOf(context, microBatch2))
      .show("act2Controls", ({ $setup, $recompute, $microBatch2 }) =>
        vstack([hstack([$setup, $recompute]), $microBatch2]))
      .show("act2Metrics", ({ stack2, step2, accum2, design2, psi }) =>
        metricRow([
          {
            label: "Effective batch",
            value: formatCount(design2.microBatch * accum2),
            caption: `${design2.microBatch} per micro-batch × ${accum2}`,
          },
          {
            label: "Peak per step",
            value: gb(stack2.total),
            caption: `of ${gb(stack2.usable)} usable · states ${perParam(stack2.states, psi)}`,
            kind: stack2.fits ? "success" : "danger",
            testid: "peak2",
          },
          {
            label: "Step time",
            value: formatDuration(step2.stepTimeS, 2),
            caption: `${formatCount(step2.tokensPerS)} tokens/s`,
            testid: "step2",
          },
          {
            label: "Recomputation",
            value: `+${formatPercent(step2.recomputeOverhead, 1)}`,
            caption: "FLOPs over forward + backward",
          },
          {
            label: "MFU",
            value: formatPercent(step2.mfu, 0),
            caption: `of ${formatNumber(step2.peakFlopsPerS / 1e12, 1)} TFLOP/s (${
              SETUPS[design2.setup].compute
            })`,
          },
        ]))
      .show("act2Chart", ({ context, stack2, names }) => {
        const failed = stackOf(context, act1Design(context));
        return stackChart(
          [
            { row: "Act I run", parts: failed.parts },
            { row: "Your design", parts: stack2.parts },
          ],
          stack2.usable,
          { gpu: names.gpu, testid: "act2-stack" },
        );
      })
      .show("act2Verdict", ({ stack2, step2, names, design2, accum2 }) => {
        if (!stack2.fits) {
          const statesOver = stack2.states > stack2.usable;
          return failureBanner({
            title: `OOM: ${gb(stack2.total)} does not fit the ${names.gpu}'s ${gb(stack2.usable)}`,
            body: md`The step needs ${gb(stack2.oomBy)} more than the runtime can allocate (${
              formatRatio(stack2.total / stack2.usable, 2)
            }). ${
              statesOver
                ? `The model states alone are ${
                  gb(stack2.states)
                }, over the line before any activation: no micro-batch or recomputation setting can fix that. Shrink the optimizer state.`
                : `The states (${gb(stack2.states)}) fit; the activations and logits (${
                  gb(stack2.activations)
                }) do not. Lower the micro-batch (accumulation keeps the effective batch) or recompute more.`
            }`,
            testid: "oom-banner",
          });
        }
        return callout(
          "success",
          md`Fits: ${gb(stack2.total)} of ${gb(stack2.usable)} (${
            gb(stack2.headroom)
          } to spare) with ${designText(design2, accum2)}. One optimizer step takes ${
            formatDuration(step2.stepTimeS, 2)
          }, ${formatPercent(step2.breakdown.recompute / step2.stepTimeS, 0)} of it recomputation.`,
          { title: "Fits", testid: "fits-ok" },
        );
      })
      .cell("tradeoff", ({ context, design2 }) =>
        (["none", "selective", "full"] as const).map((r) => {
          const d = { ...design2, recompute: r };
          const s = stackOf(context, d), t = stepOf(context, d);
          return {
            recompute: r,
            peak: gb(s.total),
            fits: s.fits ? "fits" : "OOM",
            step: formatDuration(t.stepTimeS, 2),
            extra: `+${formatPercent(t.recomputeOverhead, 1)}`,
          };
        }))
      .show("act2Tradeoff", ({ tradeoff }) =>
        table(tradeoff, {
          columns: [
            { field: "recompute", title: "Recomputation" },
            { field: "peak", title: "Peak memory" },
            { field: "fits", title: "Fits?" },
            { field: "step", title: "Step time" },
            { field: "extra", title: "Extra FLOPs" },
          ],
          caption: "The same design at each recomputation policy: memory bought with compute.",
          testid: "tradeoff",
        }))
      .reveal(({ context }) => {
        const plans = act2Plans(context), best = act2Best(context);
        const lines = plans.map((p, i) => {
          const s = stackOf(context, p.design), t = stepOf(context, p.design);
          return `${i === best ? "**Best:** " : ""}${p.text}: ${gb(s.total)}, ${
            s.fits ? `fits, ${formatDuration(t.stepTimeS, 2)} per step` : "OOM"
          }.`;
        });
        return mdText(lines.join(" "));
      })
      .input("reflect2", () =>
        reflection(REFLECT2))
      .show("act2Reflection", ({ $reflect2, reflect2 }) =>
        vstack([$reflect2, reflectionFeedback(REFLECT2, reflect2)]))
      .show("act2Math", ({ context, design2, accum2, step2 }) => {
        const m = lookupTransformer(SCENARIOS[context].modelId);
        return mathPeek(md`**Recomputation** trades activation memory per layer for FLOPs
(Korthikanti et al. 2022; $s$ tokens, $b$ sequences, $h$ hidden, $a$ heads):

| policy | bytes kept per layer | extra FLOPs |
|---|---|---|
| none | $s b h\,(34 + 5 a s / h)$ | 0 |
| selective | $34\, s b h$ | the attention core, a few % |
| full | $2\, s b h$ | one more forward, $\approx 2/6 = 1/3$ |

For ${m.name}, $5as/h = ${
          formatNumber(5 * m.heads * SCENARIOS[context].seq / m.hidden, 0)
        }$ at $s = ${SCENARIOS[context].seq}$: without recomputation the attention scores outweigh
the rest of the layer.

**Gradient accumulation** runs $k$ micro-batches of $b$ before one optimizer step:
$$B_\text{eff} = b \cdot k = ${design2.microBatch} \cdot ${accum2}, \qquad
M_\text{act} \propto b, \qquad t_\text{step} = k\, t_\text{micro} + t_\text{opt} = ${accum2} \cdot ${
          formatNumber(step2.microBatchTimeS, 3)
        } + ${formatNumber(step2.breakdown.optimizer, 3)}\ \text{s}.$$
The FLOPs per token are the same for any $k$: accumulation buys memory with nothing but the wait
for the optimizer step. **8-bit AdamW** keeps the moments in 1 byte each: $2 + 2 + 4 + 2 = 10$
B/param instead of 16.`);
      })
      .record(({ stack2, step2, design2, accum2 }) => ({
        hud: [
          ["Design", `${SETUPS[design2.setup].short} · ${design2.recompute}`],
          ["Peak", gb(stack2.total)],
          ["Memory", stack2.fits ? "OK" : "OOM"],
          ["Step", formatDuration(step2.stepTimeS, 2)],
        ],
        ledger: {
          act2_result: Math.round(stack2.total / 1e8) / 10,
          act2_decision: designText(design2, accum2),
          constraint_hit: !stack2.fits,
          step_time_s: Math.round(step2.stepTimeS * 100) / 100,
          recompute_overhead: Math.round(step2.recomputeOverhead * 1000) / 1000,
        },
      })))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v1-08",
      context,
      acts,
      hud: [["Lab", "V1-08 · Training memory"], [
        "Context",
        context === "cloud" ? "CLOUD" : "24 GB GPU",
      ]],
    }));
