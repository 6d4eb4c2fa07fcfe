/**
 * The Optimization Trap (lab v2-09, Volume II Lab 09: Performance Engineering).
 *
 * Act I (Calibration): an eager, unoptimized implementation — a chat reply decoded at batch 1 on
 * one H100, or a 32k-token document prefilled by a 70B model on eight — and four optimizations,
 * one per bound (FP8 for compute, FlashAttention for attention's memory traffic, CUDA graphs for
 * launch overhead, overlap for communication). Which one speeds the step up the most? The
 * breakdown of the step (compute and memory overlap; communication and overhead add) and each
 * rung's gain alone, with its Amdahl bound, answer it: diagnose before you optimize.
 *
 * Act II (Design Challenge): climb the ladder in an order of your choice to meet a step-time
 * target. The waterfall shows each rung's saving; gains vanish once their component stops binding,
 * and a rung that did nothing on the eager step pays once the bound has moved onto it. The
 * Amdahl stop rule says when nothing left can gain 5 %. Missing the target is the failure state,
 * undone by climbing the rungs the re-diagnosed step needs.
 *
 * Physics: core/fleet/ladder.ts (optimizationLadder, amdahl) and core/fleet/ladder_next.ts
 * (nextRungs), via labs/v2-09/scenario.ts.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
  dropdown,
  failureBanner,
  labHeader,
  labSummary,
  mathPeek,
  md,
  metricRow,
  reflection,
  type ReflectionConfig,
  reflectionFeedback,
  slider,
  stakeholder,
  table,
  vstack,
} from "../cells/mod.ts";
import {
  amdahl,
  type Breakdown,
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRatio,
  formatTflops,
  lookupGpu,
  lookupTransformer,
  plural,
  RUNG_NAMES,
  type RungId,
  RUNGS,
  STEP_OVERHEAD_S,
} from "../core/mod.ts";
import {
  act1Best,
  act1Options,
  ACT2_DEFAULT,
  act2Answer,
  act2Options,
  type Context,
  eagerStep,
  leftAfter,
  orderOf,
  planVerdict,
  type RungChoice,
  SCENARIOS,
  singleRungs,
} from "./v2-09/scenario.ts";
import { breakdownChart, SHORT, singlesChart, waterfallChart } from "./v2-09/charts.ts";

/** The stop rule's threshold: stop when no rung left can gain 5 % (core's default). */
const MIN_GAIN = 0.05;

/** A bound as words. */
const BOUND_WORDS: Record<Breakdown["bound"], string> = {
  compute: "compute-bound",
  bandwidth: "memory-bound",
  communication: "communication-bound",
  overhead: "launch-overhead-bound",
};

/** The share of the step its binding component takes. */
function bindingShare(b: Breakdown): number {
  const part = b.bound === "compute"
    ? b.computeS
    : b.bound === "bandwidth"
    ? b.memoryS
    : b.bound === "communication"
    ? b.commS
    : b.overheadS;
  return part / b.timeS;
}

const ratio = (x: number) => formatRatio(x, 2);
/** A target duration ("5 ms", "600 ms"). */
const targetText = (s: number) => formatDuration(s, 0);

/** Dropdown options of Act II's five steps. */
const RUNG_OPTIONS: Record<string, RungChoice> = {
  "— (stop here)": "none",
  ...Object.fromEntries(RUNGS.map((id) => [RUNG_NAMES[id], id])),
};

/** The GPU of both contexts, for the reflection's FP8 facts (core's registry). */
const H100 = lookupGpu(SCENARIOS.chat.gpuId);

const REFLECT1: ReflectionConfig<string> = {
  question:
    "FP8 halves the weight bytes and doubles the tensor-core peak. Why does it barely speed up the eager step?",
  options: {
    "The step is bound by something FP8 does not touch: kernel launches, or attention scores going through HBM":
      "bound",
    [`The ${H100.name} has no FP8 tensor cores, so FP8 runs at the BF16 rate`]: "nofp8",
    "FP8 loses accuracy, so the GPU recomputes in BF16": "recompute",
    "FP8 helps training, not inference": "training",
  },
  correct: "bound",
  feedback: {
    bound:
      "Yes. FP8 shortens only the kernels' own time, and only the part of it on the critical path. On the eager step that part is small: the rest is launch overhead, or score traffic FP8 leaves in 16-bit.",
    nofp8: `The ${H100.name} has FP8 tensor cores (${formatTflops(H100.peak.fp8!, 0)} dense, ${
      formatRatio(H100.peak.fp8! / H100.peak.bf16!, 0)
    } BF16). The kernels do get faster; the step does not, because they were not what it waited on.`,
    recompute:
      "Nothing is recomputed: FP8 GEMMs accumulate in higher precision in the same kernel. The gain is small because the kernels are a small share of this step.",
    training:
      "FP8 inference is routine (TensorRT-LLM's H100 figures are FP8). Here it is the step's bound, not the phase, that limits it.",
  },
  testid: "reflect1",
};

const REFLECT2: ReflectionConfig<string> = {
  question:
    "A rung that gained almost nothing on the eager step gained a lot later in the ladder. Why?",
  options: {
    "The rungs before it moved the bound onto the component it speeds up": "moved",
    "Optimizations compound, so later rungs multiply the earlier gains": "compound",
    "The GPU warms up and runs faster later": "warm",
    "Amdahl's law stops applying once the kernels are fused": "noamdahl",
  },
  correct: "moved",
  feedback: {
    moved:
      "Yes. Amdahl's share p is the share of the step as it is now. Removing the launch overhead (or the score traffic) makes the kernels the step, so the rung that speeds them up now has a large p.",
    compound:
      "If gains compounded, every rung would keep its gain from the eager step. They do not: each rung's gain depends on what still binds when it is climbed.",
    warm:
      "The model has no clock changes: the same kernels take the same time. What changed is the share of the step they are.",
    noamdahl:
      "Amdahl's law is arithmetic about shares of time; it applies at every rung. The share of each component is what moves.",
  },
  testid: "reflect2",
};

export default lab({
  id: "v2-09",
  title: "The Optimization Trap",
  subtitle: "The wrong optimization buys nothing. Diagnose the bound first.",
  minutes: 40,
  volume: "II",
  topics: ["performance engineering", "roofline", "Amdahl's law", "kernel fusion"],
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "Volume II · Lab 09 · Performance Engineering",
      title: "The Optimization Trap",
      subtitle:
        "Compute, memory, communication or launch overhead: which one a step waits on decides which optimization pays, and Amdahl's law says when to stop.",
      minutes: 40,
      badges: [
        { text: "S = 1 / ((1 − p) + p/s)", kind: "info" },
        { text: "New instrument: optimization waterfall", kind: "warn" },
        { text: "Act I 15 min · Act II 25 min", kind: "neutral" },
      ],
    }))
  .show("reading", () =>
    callout(
      "info",
      md`Read first: the Performance Engineering chapter's sections on the roofline, operator
fusion, FlashAttention, CUDA graphs and reduced precision. Every number here comes from syslab's
core: one step's time split into compute, memory, communication and launch overhead for the
registry's model and GPU, from an eager PyTorch implementation (its kernel-launch cost fitted to
PyTorch's gpt-fast measurement of eager Llama-2-7B decoding on an A100) up to a fused,
graph-replayed FP8 engine.`,
      { title: "Before you start" },
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Deployment context",
      options: {
        [`Chat · 1 × ${lookupGpu(SCENARIOS.chat.gpuId).name}`]: "chat",
        [`Long documents · ${SCENARIOS.longdoc.tp} × ${lookupGpu(SCENARIOS.longdoc.gpuId).name}`]:
          "longdoc",
      },
    }))
  .cell("scenario", ({ context }) => SCENARIOS[context])
  .cell("names", ({ scenario }) => ({
    gpu: lookupGpu(scenario.gpuId).name,
    model: lookupTransformer(scenario.modelId).name,
  }))
  .cell(
    "workUnit",
    ({ scenario }) =>
      scenario.phase === "decode"
        ? (n: number) => `batch ${formatCount(n)} · ${formatCount(scenario.fixed)}-token context`
        : (n: number) => `one ${formatCount(n)}-token prompt`,
  )
  // ---- Act I: calibration -------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context, scenario, names }) =>
      vstack([
        md`## Act I · Calibration: what is this step waiting on?`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: scenario.phase === "decode"
            ? `Our ${names.model} runs as a plain PyTorch port on one ${names.gpu}: one user, one token per step, at ${
              formatDuration(eagerStep(context).timeS, 1)
            } a token. I have one sprint for one optimization: FP8, FlashAttention, CUDA graphs or overlapping communication. Which one buys the most?`
            : `We prefill ${
              formatCount(scenario.workload)
            }-token contracts with ${names.model} on ${scenario.tp} ${names.gpu}s (tensor parallel), in plain PyTorch: the first token takes ${
              formatDuration(eagerStep(context).timeS, 1)
            }. I have one sprint for one optimization: FP8, FlashAttention, CUDA graphs or overlapping communication. Which one buys the most?`,
        }),
      ]),
    prediction: ({ context }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: "Applied alone to this eager step, which optimization speeds it up the most?",
        options: act1Options(context),
        explain:
          "core's ladder applies each optimization alone to the eager step and measures the new step time; the largest speed-up wins.",
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("workload", ({ scenario, workUnit }) =>
        slider({
          label: scenario.phase === "decode"
            ? "Sequences per decode step (batch)"
            : "Prompt length (tokens)",
          steps: scenario.workloadSteps,
          value: scenario.workload,
          format: workUnit,
          testid: "workload",
        }))
      .cell("eager1", ({ context, workload }) => eagerStep(context, workload))
      .cell("singles1", ({ context, workload }) => singleRungs(context, workload))
      .cell("best1", ({ singles1 }) => singles1.reduce((a, b) => b.speedup > a.speedup ? b : a))
      .show("act1Metrics", ({ $workload, eager1, best1, scenario, workload }) =>
        vstack([
          $workload,
          metricRow([
            {
              label: scenario.phase === "decode" ? "Eager step" : "Eager prefill (TTFT)",
              value: formatDuration(eager1.timeS, 1),
              caption: scenario.phase === "decode"
                ? `${formatNumber(workload / eager1.timeS, 0)} tokens/s in all`
                : `${formatNumber(workload / eager1.timeS, 0)} prompt tokens/s`,
              testid: "eager-step",
            },
            {
              label: "Binds",
              value: BOUND_WORDS[eager1.bound],
              caption: `${formatPercent(bindingShare(eager1), 0)} of the step`,
              kind: "warn",
              testid: "bound1",
            },
            {
              label: "Best rung alone",
              value: SHORT[best1.id],
              caption: `${ratio(best1.speedup)} (Amdahl bound ${ratio(best1.amdahlLimit)})`,
              kind: "success",
              testid: "best1",
            },
          ]),
        ]))
      .show("act1Breakdown", ({ eager1 }) => breakdownChart(eager1, "act1-breakdown"))
      .show("act1Singles", ({ singles1 }) => singlesChart(singles1, "act1-singles"))
      .show("act1Diagnosis", ({ eager1, singles1 }) => {
        const fp8 = singles1.find((r) => r.id === "fp8")!;
        const kernels = Math.max(eager1.computeS, eager1.memoryS);
        return callout(
          "info",
          md`The eager step is **${BOUND_WORDS[eager1.bound]}**. The kernels' own time (the larger
of compute ${formatDuration(eager1.computeS, 2)} and memory ${
            formatDuration(eager1.memoryS, 2)
          }) is ${
            formatPercent(kernels / eager1.timeS, 0)
          } of the step, so FP8, which at best halves it, can gain at most ${
            ratio(fp8.amdahlLimit)
          }; it gains ${
            ratio(fp8.speedup)
          } (the bound assumes FP8 halves all of it; attention scores and the
KV cache stay 16-bit). Move the slider: the shares, and with them what each rung can buy,
change with the workload.`,
          { title: "Diagnosis", testid: "act1-diagnosis" },
        );
      })
      .reveal(({ context }) => {
        const s = singleRungs(context);
        const best = s.find((r) => r.id === act1Best(context))!;
        const fp8 = s.find((r) => r.id === "fp8")!;
        return md`Alone on the eager step: ${
          s.map((r) => `${SHORT[r.id]} ${ratio(r.speedup)}`).join(", ")
        }. ${SHORT[best.id]} wins; the obvious FP8 buys ${ratio(fp8.speedup)}.`;
      })
      .input("reflect1", () => reflection(REFLECT1))
      .show("act1Reflection", ({ $reflect1, reflect1 }) =>
        vstack([$reflect1, reflectionFeedback(REFLECT1, reflect1)]))
      .show("act1Math", ({ eager1, singles1 }) => {
        const pK = Math.max(eager1.computeS, eager1.memoryS) / eager1.timeS;
        const pO = (eager1.overheadS - STEP_OVERHEAD_S) / eager1.timeS;
        const graphs = singles1.find((r) =>
          r.id === "cuda-graphs"
        )!;
        return mathPeek(md`A step's time is the larger of its compute and memory time (the kernels
overlap the two) plus what adds on top:
$$t = \max(t_\text{compute}, t_\text{memory}) + t_\text{comm} + t_\text{overhead}.$$
**Amdahl's law:** an optimization that speeds up a share $p$ of the step by $s$ gives at most
$$S = \frac{1}{(1-p) + p/s}.$$
FP8 ($s \le 2$) touches the kernels, $p = ${formatNumber(pK, 3)}$:
$S \le ${formatNumber(amdahl(pK, 2), 2)}$. CUDA graphs remove the launch gaps
($s \to \infty$), $p = ${formatNumber(pO, 3)}$: $S \le ${
          formatNumber(amdahl(pO, Infinity), 2)
        }$; the ladder measures ${
          formatNumber(graphs.speedup, 2)
        }, since graph replay still pays a small gap per layer. The bound is the diagnosis: the
largest $p$ you can shrink is where to start.`);
      })
      .record(({ context, workload, eager1 }) => ({
        hud: [
          ["Eager step", formatDuration(eager1.timeS, 1)],
          ["Bound", BOUND_WORDS[eager1.bound]],
          ["Best rung", SHORT[act1Best(context)]],
        ],
        ledger: {
          act1_best_rung: act1Best(context),
          act1_workload: workload,
        },
      })))
  // ---- Act II: design ---------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ context, scenario }) =>
      vstack([
        md`## Act II · Design: climb the ladder to the target`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: scenario.phase === "decode"
            ? `Product wants ${formatNumber(1 / scenario.targetS, 0)} tokens/s per user: a ${
              targetText(scenario.targetS)
            } step, down from ${
              formatDuration(eagerStep(context).timeS, 1)
            }. You may climb as many rungs as you like, in any order — each costs a sprint, so do not climb one that buys nothing.`
            : `Legal wants the first token within ${targetText(scenario.targetS)}, down from ${
              formatDuration(eagerStep(context).timeS, 1)
            }. You may climb as many rungs as you like, in any order — each costs a sprint, so do not climb one that buys nothing.`,
        }),
      ]),
    prediction: ({ context }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question:
          "Climb all five rungs. What speed-up over the eager step does the whole ladder give?",
        options: act2Options(context),
        answer: act2Answer(context),
        format: (x) => formatRatio(x, 1),
        explain:
          "core's ladder climbs the rungs one after another, each on the step the rungs before it left.",
        key: context,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("rung1", () =>
        dropdown<RungChoice>({
          label: "Rung 1",
          options: RUNG_OPTIONS,
          value: ACT2_DEFAULT[0],
          testid: "rung1",
        }))
      .input("rung2", () =>
        dropdown<RungChoice>({
          label: "Rung 2",
          options: RUNG_OPTIONS,
          value: ACT2_DEFAULT[1],
          testid: "rung2",
        }))
      .input("rung3", () =>
        dropdown<RungChoice>({
          label: "Rung 3",
          options: RUNG_OPTIONS,
          value: ACT2_DEFAULT[2],
          testid: "rung3",
        }))
      .input("rung4", () =>
        dropdown<RungChoice>({
          label: "Rung 4",
          options: RUNG_OPTIONS,
          value: ACT2_DEFAULT[3],
          testid: "rung4",
        }))
      .input("rung5", () =>
        dropdown<RungChoice>({
          label: "Rung 5",
          options: RUNG_OPTIONS,
          value: ACT2_DEFAULT[4],
          testid: "rung5",
        }))
      .cell("order", ({ rung1, rung2, rung3, rung4, rung5 }) =>
        orderOf([rung1, rung2, rung3, rung4, rung5]))
      .cell("plan", ({ context, order }) =>
        planVerdict(context, order))
      .show("act2Controls", ({ $rung1, $rung2, $rung3, $rung4, $rung5 }) =>
        vstack([$rung1, $rung2, $rung3, $rung4, $rung5]))
      .show("act2Metrics", ({ plan, scenario }) =>
        metricRow([
          {
            label: scenario.phase === "decode" ? "Step after your plan" : "TTFT after your plan",
            value: formatDuration(plan.final.timeS, 2),
            caption: `target ${targetText(scenario.targetS)}`,
            kind: plan.met ? "success" : "danger",
            testid: "step2",
          },
          {
            label: "Speed-up",
            value: ratio(plan.ladder.totalSpeedup),
            caption: `${plural(plan.ladder.rungs.length, "rung")} climbed`,
          },
          {
            label: "Binds now",
            value: BOUND_WORDS[plan.final.bound],
            caption: `${formatPercent(bindingShare(plan.final), 0)} of the step`,
          },
          {
            label: "Best rung left",
            value: plan.left.rungs.length ? ratio(plan.left.bestLimit) : "none",
            caption: plan.left.stop ? "stop rule: stop here" : "Amdahl bound: worth climbing",
            kind: plan.left.stop ? "success" : "neutral",
            testid: "left2",
          },
        ]))
      .show("act2Waterfall", ({ plan, scenario }) =>
        waterfallChart(plan.ladder, scenario.targetS, "act2-waterfall", MIN_GAIN))
      .show("act2Table", ({ plan, context, order }) => {
        const rows = plan.ladder.rungs.map((r, i) => ({
          "#": i + 1,
          Rung: SHORT[r.id],
          "Step after": formatDuration(r.after.timeS, 2),
          "Speed-up": ratio(r.speedup),
          "Amdahl bound": ratio(r.amdahlLimit),
          "Binds after": BOUND_WORDS[r.after.bound],
          Note: plan.idle.includes(i)
            ? (plan.ladder.rungs.findIndex((q) =>
                q.id === r.id
              ) < i
              ? "already climbed"
              : "changed nothing")
            : plan.pastStop.includes(i)
            ? "past the stop rule"
            : r.speedup < 1 + MIN_GAIN
            ? "under 5 %"
            : "",
        }));
        const left = leftAfter(context, order).rungs.map((r) =>
          `${SHORT[r.id]} ≤ ${ratio(r.amdahlLimit)}`
        ).join(", ");
        return vstack([
          rows.length
            ? table(rows, { caption: "The rungs you climbed", testid: "act2-rungs" })
            : md`No rung climbed yet: pick one in *Rung 1*.`,
          md`Rungs left and Amdahl's bound on each from here: ${left || "none"}.`,
        ]);
      })
      .show("act2Verdict", ({ plan, scenario }) => {
        const next = plan.left.rungs.reduce(
          (a, b) => (b.amdahlLimit > a.amdahlLimit ? b : a),
          { id: "fp8" as RungId, amdahlLimit: 0, speedup: 1 },
        );
        const wasted = plan.wasted;
        const wastedNote = wasted.length
          ? callout(
            "warn",
            md`${plural(wasted.length, "sprint")} bought less than ${formatPercent(MIN_GAIN, 0)}: ${
              wasted.map((i) =>
                SHORT[plan.ladder.rungs[i].id]
              ).join(", ")
            }. A rung pays only while its component binds: check its Amdahl bound in the table before climbing it.`,
            { title: "Wasted rungs", testid: "wasted" },
          )
          : "";
        if (!plan.met) {
          return vstack([
            failureBanner({
              title: `Target missed: ${formatDuration(plan.final.timeS, 2)} > ${
                targetText(scenario.targetS)
              }`,
              body: md`The step is ${formatRatio(plan.overTarget, 1)} the target and ${
                BOUND_WORDS[plan.final.bound]
              }. ${
                plan.left.rungs.length && !plan.left.stop
                  ? `The rung left with the largest Amdahl bound is ${
                    RUNG_NAMES[next.id]
                  } (at most ${ratio(next.amdahlLimit)}): climb it next.`
                  : "No rung left can gain 5 %: this step cannot reach the target with this ladder."
              }`,
              testid: "target-banner",
            }),
            wastedNote,
          ]);
        }
        return vstack([
          callout(
            "success",
            md`${formatDuration(plan.final.timeS, 2)} ≤ ${targetText(scenario.targetS)} with ${
              plural(plan.ladder.rungs.length, "rung")
            }: ${
              plan.ladder.rungs.map((r) => SHORT[r.id]).join(" → ")
            }.`,
            { title: "Target met", testid: "target-ok" },
          ),
          wastedNote,
        ]);
      })
      .reveal(({ context }) => {
        const all = planVerdict(context, RUNGS);
        return md`The whole ladder, in core's order, goes from ${
          formatDuration(all.ladder.baseline.timeS, 2)
        } to ${formatDuration(all.final.timeS, 2)}: ${
          ratio(all.ladder.totalSpeedup)
        }. Reorder the rungs: the total does not change, but which rung gets the credit does.`;
      })
      .input("reflect2", () => reflection(REFLECT2))
      .show(
        "act2Reflection",
        ({ $reflect2, reflect2 }) => vstack([$reflect2, reflectionFeedback(REFLECT2, reflect2)]),
      )
      .show("act2Math", ({ plan }) =>
        mathPeek(md`Each rung $i$ is measured on the step the rungs before it left, so the total is
the product of **those** gains, not of the gains each had alone:
$$S_\text{total} = \prod_i S_i = \frac{t_\text{eager}}{t_\text{after}} = ${
          formatNumber(plan.ladder.totalSpeedup, 2)
        }.$$
Before climbing rung $r$, Amdahl bounds it with its share of the current step:
$S_r \le 1 / ((1 - p_r) + p_r / s_r)$. **Stop rule:** stop when no rung left can gain 5 %,
$$\max_{r\ \text{left}} \frac{1}{(1 - p_r) + p_r / s_r} < 1.05 .$$
After your plan the best bound left is ${formatNumber(plan.left.bestLimit, 3)}: ${
          plan.left.stop ? "stop" : "keep climbing"
        }. The bound is cheap to compute before
anyone writes a kernel; that is its use.`))
      .record(({ plan, order }) => ({
        hud: [
          [
            "Plan",
            order.length
              ? order.map((id) => SHORT[id]).join(" → ")
              : "none",
          ],
          ["Step", formatDuration(plan.final.timeS, 2)],
          ["Target", plan.met ? "MET" : "VIOLATED"],
        ],
        ledger: {
          act2_result: Math.round(plan.ladder.totalSpeedup * 100) / 100,
          act2_decision: order.length ? order.join(" > ") : "none",
          constraint_hit: !plan.met,
          wasted_rungs: plan.wasted.length,
        },
      })))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v2-09",
      context,
      acts,
      hud: [["Lab", "V2-09 · Optimization trap"], [
        "Context",
        context === "chat" ? "CHAT" : "LONG DOCS",
      ]],
    }));
