/**
 * The Parallelism Puzzle (lab v2-05, Volume II Lab 5: Distributed Training).
 *
 * Act I (Calibration): a TP × PP × DP layout that runs well at full batch starts its batch
 * ramp-up with few microbatches per pipeline. Predict its MFU from four mental models (linear
 * scaling, a bubble divided by p, the 1F1B bubble (p − 1)/m, the bubble subtracted from busy time);
 * then move the microbatches and the interleaving and watch the bubble (p − 1)/(v·m) set the MFU.
 *
 * Act II (Design Challenge): pick TP, PP (DP follows from the GPU count), the microbatch, the ZeRO
 * stage and recomputation so the job fits in each GPU's memory and trains fastest. Every legal
 * layout is a point on the frontier (memory per GPU against MFU). Failure states, each undone by
 * moving a control back: TP beyond a node, a layout that does not divide the GPUs, a batch that
 * does not split into microbatches, and OOM.
 *
 * Physics: core/training (trainStep, trainingMemory, bubbleRatio), via labs/v2-05/.
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
  formatGiB,
  formatNumber,
  formatPercent,
  formatRatio,
  formatTflops,
  plural,
} from "../core/mod.ts";
import type { Recompute, ZeroStage } from "../core/training/mod.ts";
import {
  act1Answer,
  act1At,
  act1Batch,
  act1Beliefs,
  act1Curve,
  act1Full,
  act1Options,
  act1RampM,
  act2Best,
  act2Candidates,
  act2Options,
  type Context,
  evaluate,
  fabricsOf,
  frontier,
  frontierBest,
  type Layout,
  layoutName,
  measuredAnchors,
  partsOf,
  SCENARIOS,
  validPp,
} from "./v2-05/scenario.ts";
import { act1Chart, frontierChart, memoryChart } from "./v2-05/charts.ts";

/** Act II's controls: TP 16 is offered so the node boundary can be met. */
const TP_OPTIONS = { "1": 1, "2": 2, "4": 4, "8": 8, "16 (two nodes)": 16 };
const MB_OPTIONS = { "1": 1, "2": 2, "4": 4, "8": 8 };
const ZERO_OPTIONS: Record<string, ZeroStage> = {
  "0 · none": 0,
  "1 · optimizer": 1,
  "2 · + gradients": 2,
  "3 · + weights": 3,
};
const RECOMPUTE_OPTIONS: Record<string, Recompute> = {
  "None": "none",
  "Selective": "selective",
  "Full": "full",
};

const pct = (x: number) => formatPercent(x, 1);
const STEP_PARTS = {
  gemm: "GEMMs",
  elementwise: "elementwise",
  tpComm: "TP all-reduces",
  bubble: "pipeline bubble",
  p2p: "point-to-point",
  dpComm: "DP collective",
  optimizer: "optimizer",
} as const;

/** "GEMMs 61 %, bubble 29 %, …": where a step's time goes, largest first. */
function stepShares(b: Record<keyof typeof STEP_PARTS, number>, total: number): string {
  return (Object.keys(STEP_PARTS) as (keyof typeof STEP_PARTS)[])
    .filter((k) => b[k] / total >= 0.005)
    .sort((x, y) => b[y] - b[x])
    .map((k) => `${STEP_PARTS[k]} ${formatPercent(b[k] / total, 0)}`)
    .join(", ");
}

const REFLECT1: ReflectionConfig<string> = {
  question: "Interleaving (v model chunks per GPU) shrinks the bubble. What does it cost?",
  options: {
    "Nothing: it only reorders the same work": "free",
    "v times more point-to-point transfers, and more activations in flight on the first stage":
      "p2p",
    "v times more GEMM FLOPs": "flops",
    "A larger global batch": "batch",
  },
  correct: "p2p",
  feedback: {
    free:
      "The work is the same, but each microbatch now crosses every GPU v times: the pipeline's sends and receives grow v-fold.",
    p2p:
      "Yes. The fill-and-drain time falls to (p − 1)/v microbatch-times, but each microbatch hops between GPUs v times as often, and the first stage keeps (1 + (p − 1)/(p·v)) times more activations (Korthikanti §4.2.3).",
    flops:
      "The FLOPs do not change: each GPU still runs L/p layers per microbatch, split into v chunks.",
    batch:
      "The batch is whatever you choose; interleaving needs m to be a multiple of p, not a larger m.",
  },
  testid: "reflect1",
};

const REFLECT2: ReflectionConfig<string> = {
  question: "Why does tensor parallelism stay inside one node?",
  options: {
    "Each layer does four all-reduces of its activations on the critical path, and NVLink is an order of magnitude faster than the network":
      "nvlink",
    "Tensor parallelism needs the GPUs to share one memory": "memory",
    "The model's heads cannot be split further": "heads",
    "Pipeline parallelism is always faster, so TP is never needed across nodes": "pp",
  },
  correct: "nvlink",
  feedback: {
    nvlink:
      "Yes. TP sends b·s·h activations per all-reduce, four (six with full recompute) per layer per microbatch, and nothing can run until each finishes. PP sends one b·s·h/t message per stage boundary, DP one gradient collective per step that can overlap: those go across the network.",
    memory: "Each GPU keeps its own shard of every matrix; nothing is shared but the messages.",
    heads:
      "96 heads split 16 ways, and 64 heads too; the limit is the link, not the arithmetic of heads.",
    pp:
      "PP has its own cost, the bubble; the best layouts above use both, with TP on the fast links.",
  },
  testid: "reflect2",
};

export default lab({
  id: "v2-05",
  title: "The Parallelism Puzzle",
  subtitle: "Data, tensor and pipeline parallelism: what fits, and what runs fast.",
  minutes: 40,
  volume: "II",
  topics: ["distributed training", "parallelism", "memory", "MFU"],
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "Volume II · Lab 5 · Distributed Training",
      title: "The Parallelism Puzzle",
      subtitle:
        "Weights, gradients, optimizer states and activations must fit in each GPU; the pipeline bubble, tensor-parallel all-reduces and the gradient collective decide how fast the job runs. Design the 3-D layout.",
      minutes: 40,
      badges: [
        { text: "bubble = (p − 1)/(v·m)", kind: "info" },
        { text: "N = TP × PP × DP", kind: "info" },
        { text: "Act I 15 min · Act II 25 min", kind: "neutral" },
      ],
    }))
  .show("reading", () =>
    callout(
      "info",
      md`Read first: the Distributed Training chapter's sections on data, tensor and pipeline
parallelism, ZeRO and activation recomputation. Every number here comes from syslab's training
core: a step-time model fitted to Megatron-LM's measured A100 runs (Narayanan et al. 2021 Table 1,
Korthikanti et al. 2022 Table 5; median error ≈ 4 %), the per-GPU memory stack (ZeRO's and
Korthikanti's formulas) and collectives fitted to measured NCCL bandwidths. The H100 context
uses the same fitted GEMM and elementwise efficiencies: an extrapolation, since every fitted row
ran on A100s.`,
      { title: "Before you start" },
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Deployment context",
      options: {
        [`GPT-3 175B · ${SCENARIOS.selene.gpus} A100`]: "selene",
        [`GPT 39B · ${SCENARIOS.h100.gpus} H100`]: "h100",
      },
    }))
  .cell("scenario", ({ context }) => SCENARIOS[context])
  .cell("names", ({ context }) => {
    const { model, cluster, gpu, params } = partsOf(context);
    return {
      model: model.name,
      cluster: cluster.name,
      gpu: gpu.name,
      params,
      nodes: SCENARIOS[context].gpus / cluster.gpusPerNode,
      perNode: cluster.gpusPerNode,
      capacity: gpu.runtimeMemoryBytes,
    };
  })
  // ---- Act I: calibration -------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context, scenario, names }) => {
      const a = scenario.act1;
      const full = act1Full(context);
      return vstack([
        md`## Act I · Calibration: the pipeline bubble`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `${names.model} runs on ${
            formatCount(scenario.gpus)
          } ${names.gpu}s as TP ${a.tp} × PP ${a.pp} × DP ${
            formatCount(full.dp)
          }: at the full global batch of ${
            formatCount(scenario.globalBatch)
          } sequences it reaches ${
            pct(full.step.mfu)
          } MFU. Training starts with a batch ramp-up: the first steps use ${
            formatCount(a.rampBatch)
          } sequences, ${act1RampM(context)} microbatches per pipeline. What MFU do we get then?`,
        }),
      ]);
    },
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: `At a global batch of ${formatCount(scenario.act1.rampBatch)} (m = ${
          act1RampM(context)
        } microbatches per pipeline of ${scenario.act1.pp} stages), what MFU does the job reach?`,
        options: act1Options(context),
        answer: act1Answer(context),
        format: pct,
        explain:
          "core's step model runs the same layout at this batch: m microbatches plus p − 1 of fill and drain, the point-to-point hops, and the gradient collective and optimizer step that every step pays once.",
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("microbatches", ({ context, scenario }) =>
        slider({
          label: "Microbatches per pipeline (m)",
          steps: [...scenario.mSteps],
          value: act1RampM(context),
          format: (v) => `${v} · global batch ${formatCount(act1Batch(context, v))}`,
          testid: "microbatches",
        }))
      .input("vpp", ({ context, scenario }) =>
        slider({
          label: "Interleaved chunks per GPU (v)",
          steps: [...scenario.vppSteps],
          value: 1,
          format: (v) =>
            `${v} · ${
              plural(partsOf(context).model.layers / (scenario.act1.pp * v), "layer")
            } per chunk`,
          testid: "vpp",
        }))
      .cell("run1", ({ context, microbatches, vpp }) => act1At(context, microbatches, vpp))
      .cell("curve1", ({ context, vpp }) => act1Curve(context, vpp))
      .show("act1Metrics", ({ $microbatches, $vpp, run1, scenario, vpp }) => {
        const s = run1.step;
        return vstack([
          hstack([$microbatches, $vpp]),
          metricRow([
            {
              label: "MFU",
              value: pct(s.mfu),
              caption: "model FLOPs ÷ (step · GPUs · peak)",
              kind: "warn",
              testid: "mfu1",
            },
            {
              label: "Bubble",
              value: formatPercent(s.breakdown.bubble / s.stepTimeS, 1),
              caption: `of the step: (p − 1)/v = ${
                formatNumber((scenario.act1.pp - 1) / vpp, (scenario.act1.pp - 1) % vpp ? 2 : 0)
              } microbatch-times`,
              testid: "bubble1",
            },
            {
              label: "Step time",
              value: formatDuration(s.stepTimeS, 2),
              caption: `${formatCount(s.tokensPerStep)} tokens`,
            },
            {
              label: "Memory per GPU",
              value: formatGiB(run1.memory.total, 1),
              caption: `of ${formatGiB(run1.memory.capacity, 1)}`,
            },
          ]),
        ]);
      })
      .show("act1Chart", ({ curve1, run1, microbatches }) =>
        act1Chart(curve1, { m: microbatches, mfu: run1.step.mfu }, "act1-chart"))
      .show("act1Where", ({ run1 }) =>
        callout(
          "info",
          md`Where the step goes: ${stepShares(run1.step.breakdown, run1.step.stepTimeS)}. The
largest part binds: **${STEP_PARTS[run1.step.bound]}**.`,
          { title: "The step, part by part", testid: "act1-where" },
        ))
      .reveal(({ context }) => {
        const m = act1RampM(context);
        const b = act1Beliefs(context, m);
        const r = act1At(context, m).step;
        return md`core gives ${pct(r.mfu)} at m = ${m}; the bubble alone, (p − 1)/m, takes the
full-batch ${pct(b.linear)} to ${pct(b.bubble)}. The remaining ${
          formatRatio(b.bubble / r.mfu, 2)
        } is the gradient collective and the optimizer step, paid once per step and now spread
over ${m} microbatches instead of ${act1Full(context).step.microbatches}.`;
      })
      .input("reflect1", () =>
        reflection(REFLECT1))
      .show("act1Reflection", ({ $reflect1, reflect1 }) =>
        vstack([$reflect1, reflectionFeedback(REFLECT1, reflect1)]))
      .show("act1Math", ({ scenario, microbatches, vpp, run1 }) => {
        const p = scenario.act1.pp;
        return mathPeek(md`With $p$ stages, $m$ microbatches per step and $v$ interleaved chunks
per GPU, the 1F1B schedule takes $m + (p-1)/v$ microbatch-times, of which $m$ do work
(Narayanan et al. 2021, §2.2):
$$\frac{t_\text{bubble}}{t_\text{ideal}} = \frac{p-1}{v\,m} = \frac{${
          p - 1
        }}{${vpp} \cdot ${microbatches}} = ${formatNumber((p - 1) / (vpp * microbatches), 3)} .$$
As a share of the whole step that is $x/(1+x)$; core's step adds the point-to-point hops
($2v$ per microbatch), the gradient collective and the optimizer, and gives
$$\text{MFU} = \frac{\text{model FLOPs per step}}{t_\text{step}\cdot N \cdot \text{peak}} = ${
          formatNumber(run1.step.mfu * 100, 1)
        }\,\% .$$
The course's version of this lab writes the bubble as $(p-1)/(p\,m)$: that divides the idle time
by $p$ a second time and understates it ${p}-fold.`);
      })
      .record(({ act1, run1, microbatches, vpp }) => ({
        hud: [["MFU (Act I)", pct(run1.step.mfu)]],
        ledger: {
          act1_mfu: Math.round(act1.answer! * 1000) / 1000,
          act1_microbatches: microbatches,
          act1_vpp: vpp,
        },
      })))
  // ---- Act II: design ---------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ scenario, names }) =>
      vstack([
        md`## Act II · Design: the 3-D layout`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `We have ${formatCount(scenario.gpus)} ${names.gpu}s, ${
            formatCount(names.nodes)
          } nodes of ${names.perNode}, and a global batch of ${
            formatCount(scenario.globalBatch)
          } sequences of ${
            formatCount(scenario.seq)
          } tokens. Choose tensor, pipeline and data parallelism (TP × PP × DP = ${
            formatCount(scenario.gpus)
          }), the microbatch, the ZeRO stage and recomputation: it must fit in ${
            formatGiB(names.capacity, 1)
          } per GPU and train as fast as it can.`,
        }),
      ]),
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question: `Which layout of ${
          formatCount(scenario.gpus)
        } GPUs fits in memory and reaches the highest MFU? (All four: microbatch 1, distributed optimizer, sequence parallelism with selective recomputation.)`,
        options: act2Options(context),
        explain:
          "core evaluates each layout's memory stack (an OOM layout cannot win) and its step time; the fitting layout with the highest MFU is the answer.",
        key: context,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("tp", () =>
        radio<number>({
          label: "Tensor parallel (TP)",
          options: TP_OPTIONS,
          value: 8,
          inline: true,
          testid: "tp",
        }))
      .input("pp", ({ scenario }) =>
        slider({
          label: "Pipeline stages (PP)",
          steps: [...scenario.ppSteps],
          value: 1,
          testid: "pp",
        }))
      .input("microBatch", () =>
        radio<number>({
          label: "Microbatch (sequences)",
          options: MB_OPTIONS,
          value: 1,
          inline: true,
          testid: "mb",
        }))
      .input("zeroStage", () =>
        radio<ZeroStage>({
          label: "ZeRO stage (sharded over DP)",
          options: ZERO_OPTIONS,
          value: 1,
          inline: true,
          testid: "zero",
        }))
      .input("recompute", () =>
        radio<Recompute>({
          label: "Activation recomputation",
          options: RECOMPUTE_OPTIONS,
          value: "selective",
          inline: true,
          testid: "recompute",
        }))
      .cell("layout2", ({ tp, pp, microBatch, zeroStage, recompute }): Layout => ({
        tp,
        pp,
        microBatch,
        zeroStage,
        recompute,
      }))
      .cell("eval2", ({ context, layout2 }) => evaluate(context, layout2))
      .show("act2Controls", ({ $tp, $pp, $microBatch, $zeroStage, $recompute }) =>
        vstack([hstack([$tp, $pp]), hstack([$microBatch, $recompute]), $zeroStage]))
      .show("act2Metrics", ({ eval2, layout2, names }) => {
        if (!eval2.ok) {
          return metricRow([
            {
              label: "Layout",
              value: layoutName(layout2, eval2.dp),
              caption: "cannot run",
              kind: "danger",
              testid: "layout2",
            },
          ]);
        }
        const s = eval2.step, m = eval2.memory;
        return metricRow([
          {
            label: "Layout",
            value: layoutName(layout2, eval2.dp),
            caption: `m = ${s.microbatches} microbatches per pipeline`,
            testid: "layout2",
          },
          {
            label: "Memory per GPU",
            value: formatGiB(m.total, 1),
            caption: `of ${formatGiB(names.capacity, 1)}`,
            kind: m.fits ? "success" : "danger",
            testid: "mem2",
          },
          {
            label: "MFU",
            value: pct(s.mfu),
            caption: `${formatTflops(s.modelFlopsPerGpuS, 0)} per GPU${
              layout2.zeroStage === 3 ? " · upper bound" : ""
            }`,
            kind: m.fits ? "neutral" : "danger",
            testid: "mfu2",
          },
          {
            label: "Step time",
            value: formatDuration(s.stepTimeS, 2),
            caption: `bound: ${STEP_PARTS[s.bound]}`,
          },
        ]);
      })
      .show("act2Memory", ({ eval2 }) =>
        eval2.ok
          ? memoryChart(eval2.memory, "act2-memory")
          : callout("neutral", "No memory stack: this layout cannot run (see below).", {
            testid: "act2-memory-none",
          }))
      .show("act2Verdict", ({ context, eval2, layout2, names }) => {
        if (!eval2.ok) {
          const p = eval2.problem;
          if (p.kind === "node") {
            const f = fabricsOf(context);
            return failureBanner({
              title: `TP ${layout2.tp} crosses the node boundary`,
              body: md`A node holds ${names.perNode} GPUs on ${f.intra.name}; beyond it each GPU
reaches the others over ${f.inter.name} at ${formatRatio(f.intra.bytesPerS / f.perGpuInter, 0)}
less bandwidth, and every layer's four all-reduces would wait on it. Megatron-LM (and this
core) keep TP within a node: set TP to ${names.perNode} or less.`,
              testid: "failure-banner",
            });
          }
          if (p.kind === "divide") {
            return failureBanner({
              title: `The layout does not divide ${formatCount(SCENARIOS[context].gpus)} GPUs`,
              body: md`${p.message}: DP would be ${
                formatNumber(eval2.dp, 2)
              }. With TP ${layout2.tp},
PP can be ${validPp(context, layout2.tp).join(", ")}.`,
              testid: "failure-banner",
            });
          }
          return failureBanner({
            title: "The batch does not split into microbatches",
            body: md`${p.message}. Lower the microbatch, or change PP so DP divides the batch.`,
            testid: "failure-banner",
          });
        }
        const m = eval2.memory;
        if (!m.fits) {
          return failureBanner({
            title: `OOM: ${formatGiB(m.total, 1)} per GPU > ${formatGiB(m.capacity, 1)}`,
            body: md`Over by ${formatGiB(m.oomBy, 1)} (${
              formatRatio(m.total / m.capacity, 2)
            } the capacity). Weights ${formatGiB(m.parts.weights, 1)}, gradients ${
              formatGiB(m.parts.gradients, 1)
            }, fp32 master ${formatGiB(m.parts.master, 1)}, moments ${
              formatGiB(m.parts.optimizer, 1)
            }, activations ${
              formatGiB(m.parts.activations, 1)
            }. More TP or PP splits all of it; a higher ZeRO stage splits the states over DP;
recomputation and a smaller microbatch shrink the activations.`,
            testid: "oom-banner",
          });
        }
        return callout(
          "success",
          md`Fits with ${formatGiB(m.headroom, 1)} to spare, at ${pct(eval2.step.mfu)} MFU (${
            formatCount(eval2.step.tokensPerS)
          } tokens/s). Where the step goes: ${
            stepShares(eval2.step.breakdown, eval2.step.stepTimeS)
          }.`,
          { title: "Runs", testid: "fits-ok" },
        );
      })
      .show("act2Zero3", ({ context, layout2 }) => {
        if (layout2.zeroStage !== 3) {
          return "";
        }
        const a = measuredAnchors();
        const z = a.find((r) =>
            r.row === "B2"
          )!,
          p = a.find((r) =>
            r.row === "B8"
          )!;
        return callout(
          "warn",
          md`core's ZeRO-3 step time is an upper bound. On 768 A100s at global batch 1536,
Narayanan et al. measured ZeRO-3 without model parallelism at ${formatNumber(z.measuredTflops, 0)}
TFLOP/s per GPU (row ${z.row}; core predicts ${formatNumber(z.coreTflops, 0)}) and PTD-P
${p.label} at ${formatNumber(p.measuredTflops, 0)} (row ${p.row}; core ${
            formatNumber(p.coreTflops, 0)
          }). The per-bucket latency behind that collapse is not in the model${
            context === "h100" ? "; no H100 ZeRO-3 rows were available to check it" : ""
          }.`,
          { title: "ZeRO-3: measured slower than modelled", testid: "zero3-caveat" },
        );
      })
      .cell("frontier2", ({ context }) => frontier(context))
      .show("act2Frontier", ({ frontier2, eval2, names }) =>
        frontierChart(
          frontier2,
          names.capacity,
          eval2.ok ? { memGiB: eval2.memory.total / 2 ** 30, mfu: eval2.step.mfu } : null,
          "act2-frontier",
        ))
      .reveal(({ context }) => {
        const cands = act2Candidates(context);
        const best = act2Best(context);
        const top = frontierBest(context);
        return vstack([
          table(
            cands.map((c, i) => ({
              layout: c.text.split(":")[0] + (i === best ? " ✓" : ""),
              memory: c.eval.ok ? formatGiB(c.eval.memory.total, 1) : "—",
              fits: c.eval.ok ? (c.eval.memory.fits ? "fits" : "OOM") : "cannot run",
              mfu: !c.eval.ok
                ? "—"
                : c.eval.memory.fits
                ? pct(c.eval.step.mfu)
                : `(${pct(c.eval.step.mfu)} if it fit)`,
            })),
            {
              columns: [
                { field: "layout", title: "Candidate" },
                { field: "memory", title: "Memory per GPU" },
                { field: "fits", title: "Fits?" },
                { field: "mfu", title: "MFU" },
              ],
            },
          ),
          md`Over the whole design space the best layout that fits is ${top.layout}, at ${
            pct(top.mfu)
          } MFU${top.zero === "ZeRO-3" ? " (ZeRO-3: an upper bound, see the caveat)" : ""}.`,
        ]);
      })
      .input("reflect2", () => reflection(REFLECT2))
      .show("act2Reflection", ({ $reflect2, reflect2 }) =>
        vstack([$reflect2, reflectionFeedback(REFLECT2, reflect2)]))
      .show("act2Math", ({ eval2, layout2, names }) => {
        const dp = eval2.dp;
        const m = eval2.ok ? eval2.memory : null;
        return mathPeek(md`The layout multiplies to the GPU count, and the batch splits into
microbatches:
$$N = t \cdot p \cdot d = ${layout2.tp} \cdot ${layout2.pp} \cdot ${
          formatNumber(dp, Number.isInteger(dp) ? 0 : 2)
        }, \qquad m = \frac{B}{b\,d} .$$
Each GPU holds $\Psi = P/(t\,p) = ${
          formatNumber(names.params / (layout2.tp * layout2.pp) / 1e9, 2)
        }$ B parameters at 18 bytes each (bf16 weights 2, fp32 gradients 4, fp32 master 4, Adam
moments 8; Megatron's convention), ZeRO stage $z$ dividing the optimizer ($z \ge 1$), gradients
($z \ge 2$) and weights ($z = 3$) by $d$. Activations (Korthikanti et al. 2022, Eq. 5): the first
1F1B stage keeps $\min(p, m)$ microbatches of $L/p$ layers, about $L$ layers' worth, so **more
stages do not shrink it**; TP with sequence parallelism divides it by $t$, and per layer it is
$34\,sbh/t$ (selective), $2\,sbh/t$ (full) or $sbh\,(34 + 5as/h)/t$ (none).${
          m ? ` Here: ${formatGiB(m.total, 1)} of ${formatGiB(m.capacity, 1)}.` : ""
        } The course's version divides activations by PP as well, which 1F1B does not do, and
uses one fixed 50 GB figure for every model.`);
      })
      .record(({ eval2, layout2, scenario }) => {
        const ok = eval2.ok;
        const fits = ok && eval2.memory.fits;
        const name = `${
          layoutName(layout2, eval2.dp)
        }, b ${layout2.microBatch}, ZeRO-${layout2.zeroStage}, ${layout2.recompute} recompute`;
        return {
          hud: [
            ["Layout", layoutName(layout2, eval2.dp)],
            ["Memory", ok ? formatGiB(eval2.memory.total, 1) : "—"],
            ["Fit", !ok ? "FAILED" : fits ? "OK" : "OOM"],
            ["MFU", fits ? pct(eval2.step.mfu) : "—"],
          ],
          ledger: {
            act2_result: fits ? Math.round(eval2.step.mfu * 1000) / 1000 : null,
            act2_decision: `${name} on ${formatCount(scenario.gpus)} GPUs`,
            constraint_hit: !fits,
            memory_gib: ok ? Math.round(eval2.memory.total / 2 ** 30 * 10) / 10 : null,
          },
        };
      }))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v2-05",
      context,
      acts,
      hud: [["Lab", "V2-05 · Parallelism"], [
        "Context",
        context === "selene" ? "A100 · 175B" : "H100 · 39B",
      ]],
    }));
