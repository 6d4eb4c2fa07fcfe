/**
 * When Failure Is Routine (lab v2-07, Volume II Lab 07: Fault Tolerance).
 *
 * Act I (Calibration): a job of N GPUs stops at the first of N independent failures, so its
 * MTBF is M = 1/(N·λ), with λ fitted on Llama 3's 419 interruptions in 54 days on 16,384 H100.
 * Predict the chance that a stretch of the run sees at least one interruption, from four mental
 * models (linear T/M, MTBF as a half-life, failures per server, the exponential); then move N and
 * T and watch M fall as 1/N against the measured fleets (Llama 3, BLOOM, OPT).
 *
 * Act II (Design Challenge): pick the checkpoint interval — and the storage bandwidth, async
 * checkpointing and restart time — that keeps goodput above Llama 3's 90 %. Goodput against
 * the interval (Daly's exact exponential model, its first-order form, and the no-rework model of
 * mlsysim) with Young's and Daly's intervals marked; the failure state is goodput under the
 * floor or a checkpoint that takes longer to write than the interval it protects.
 *
 * What the course's version gets wrong, fixed here: it takes a per-GPU MTBF of 200 h (Llama 3
 * measured ≈ 50,700 GPU-hours per interruption, 250× more) and divides it by 16,384 to get
 * "44 minutes" (200 h ÷ 16,384 is 44 s); it sizes a 1T-parameter checkpoint at 2 TB (14 B/param
 * gives 14 TB; Megatron measured 13.8 TB); it uses one C for both the checkpoint write and the
 * restart; and its async stall is a typed-in 2 %. mlsysim's goodput drops the rework term τ/2M.
 *
 * Physics: core/training (failures.ts, checkpoint.ts, reliability.ts), via labs/v2-07/.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
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
  switchInput,
  vstack,
} from "../cells/mod.ts";
import {
  formatBandwidth,
  formatBytes,
  formatCount,
  formatNumber,
  formatPercent,
  formatSpan,
  lookupModel,
} from "../core/mod.ts";
import { failureProbability, wasteFirstOrder } from "../core/training/reliability.ts";
import { FAILURE_ROWS } from "../core/training/failures.ts";
import {
  act1Answer,
  act1Options,
  act2Answer,
  act2Options,
  ckptBytes,
  type Context,
  defaultStorage,
  GOODPUT_FLOOR,
  goodputRows,
  LAMBDA,
  marksOf,
  mtbf,
  mtbfOf,
  params,
  reportOf,
  RESTART_MIN,
  SCENARIOS,
  writeSeconds,
} from "./v2-07/scenario.ts";
import { goodputChart, mtbfChart, mtbfRows, pFailChart, pFailRows } from "./v2-07/charts.ts";

const HOUR = 3600;
/** Act I's fleet-size slider (GPUs). */
const GPU_STEPS = [8, 64, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];
/** Act I's run-length slider (hours). */
const HOUR_STEPS = [1, 2, 4, 8, 12, 24, 48, 72, 168, 336, 720];
/** Act II's checkpoint interval slider (minutes). */
const INTERVAL_STEPS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480];
/** Act II's storage write bandwidth slider (GB/s); both contexts' measured defaults included. */
const STORAGE_STEPS = [1, 2, 5, 10, 20, 57.5, 100, 200, 500, 1000, 2000, 5000, 7000];
/** Act II's restart-time slider (minutes). */
const RESTART_STEPS = [1, 2, 5, 10, 15, 20, 30, 45, 60];

const K1 = FAILURE_ROWS[0];
const floorText = formatPercent(GOODPUT_FLOOR, 0);

const REFLECT1: ReflectionConfig<string> = {
  question:
    "The same model moves from 1,024 to 16,384 GPUs on the same storage. What happens to the best checkpoint interval?",
  options: {
    "It stays the same: each GPU is as reliable as before": "same",
    "It shrinks 4×: M falls 16×, and τ ∝ √M": "sqrt",
    "It shrinks 16×, in step with the MTBF": "linear",
    "It grows: more GPUs write the checkpoint in parallel": "grows",
  },
  correct: "sqrt",
  feedback: {
    same:
      "Each GPU is, but the job stops at the first of 16× more GPUs: its MTBF falls 16×, and the interval with it (as the square root).",
    sqrt:
      "Yes. M = 1/(Nλ) falls 16×; τ = √(2δM) falls √16 = 4×, and the waste at the optimum, ≈ √(2δ/M) + R/M, grows: the price of scale.",
    linear:
      "τ balances a cost that falls as 1/τ (δ/τ) against one that grows as τ (τ/2M): the optimum goes as √M, not M.",
    grows:
      "Only if the storage scales with the GPUs; with a fixed store δ stays the same while M shrinks, so τ shrinks.",
  },
  testid: "reflect1",
};

const REFLECT2: ReflectionConfig<string> = {
  question:
    "Asynchronous checkpoints hide the write behind training. What limits goodput once they do?",
  options: {
    "Nothing: with no stall, goodput reaches 100 %": "nothing",
    "Restarts and the lost work: every failure costs R plus the work since the last durable checkpoint":
      "restart",
    "The host-memory copy, which is now the whole checkpoint cost": "snapshot",
    "Storage capacity: more checkpoints fill the disks": "capacity",
  },
  correct: "restart",
  feedback: {
    nothing:
      "Failures still happen every M: each costs a restart and the work since the last checkpoint that finished writing.",
    restart:
      "Yes. The waste becomes ≈ (τ/2 + W + R)/M: the interval can shrink only to the write time W, and the restart R (detect, reschedule, reload, warm up) is untouched — which is why Llama 3's team automated recovery.",
    snapshot:
      "The copy of each GPU's shard to host memory takes milliseconds here (a few hundred MB over PCIe at ≈ 55 GB/s).",
    capacity: "Old checkpoints are deleted or tiered; capacity is a cost, not a goodput limit.",
  },
  testid: "reflect2",
};

export default lab({
  id: "v2-07",
  title: "When Failure Is Routine",
  subtitle: "At 16,384 GPUs something breaks every few hours. Checkpoint so it does not matter.",
  minutes: 40,
  volume: "II",
  topics: ["fault tolerance", "checkpointing", "goodput"],
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "Volume II · Lab 07 · Fault Tolerance",
      title: "When Failure Is Routine",
      subtitle:
        "Job MTBF, the chance of an interruption, and the checkpoint interval that keeps a large training run's goodput high: Young, Daly and the exact goodput, on Llama 3's measured failure rate.",
      minutes: 40,
      badges: [
        { text: "P = 1 − e^(−T/M)", kind: "info" },
        { text: "τ = √(2δM)", kind: "info" },
        { text: "Act I 15 min · Act II 25 min", kind: "neutral" },
      ],
    }))
  .show("reading", () =>
    callout(
      "info",
      md`Read first: the Fault Tolerance chapter's sections on failure rates at scale, checkpointing
and the Young–Daly interval. Every number here comes from syslab's core: a failure rate per
GPU-hour fitted on Llama 3's interruption log, checkpoint sizes from the model's parameter count and
its optimizer state, storage write rates measured on real training runs, and Daly's model of
goodput.`,
      { title: "Before you start" },
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Deployment context",
      options: {
        [`Research run · ${formatCount(SCENARIOS.research.gpus)} GPUs`]: "research",
        [`Frontier run · ${formatCount(SCENARIOS.frontier.gpus)} GPUs`]: "frontier",
      },
    }))
  .cell("scenario", ({ context }) => SCENARIOS[context])
  .cell("modelName", ({ scenario }) => lookupModel(scenario.modelId).name)
  // ---- Act I: calibration -------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ scenario, modelName }) =>
      vstack([
        md`## Act I · Calibration: how often does a big job break?`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `We train ${modelName} on ${
            formatCount(scenario.gpus)
          } H100s. Meta's Llama 3 log counts ${
            formatCount(K1.events)
          } unexpected interruptions in ${formatCount(K1.hours / 24)} days on ${
            formatCount(K1.gpus)
          } of the same GPUs, so a single GPU goes about ${
            formatCount(Math.round(1 / LAMBDA))
          } GPU-hours between failures. How likely is ${scenario.windowLabel} to be interrupted at least once?`,
        }),
      ]),
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: `Across ${scenario.windowLabel} (${formatCount(scenario.windowHours)} h) on ${
          formatCount(scenario.gpus)
        } GPUs, what is the chance of at least one interruption?`,
        options: act1Options(context),
        answer: act1Answer(context),
        format: (p) => formatPercent(p, 1),
        explain:
          "Each GPU fails independently at λ per GPU-hour, so the job's first failure comes at rate N·λ: P = 1 − e^(−N·λ·T).",
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("gpus", ({ scenario }) =>
        slider({
          label: "GPUs in the job (N)",
          steps: GPU_STEPS,
          value: scenario.gpus,
          format: (v) => formatCount(v),
          testid: "gpus",
        }))
      .input("hours", ({ scenario }) =>
        slider({
          label: "Run length T",
          steps: HOUR_STEPS,
          value: scenario.windowHours,
          format: (v) => formatSpan(v * HOUR, 0),
          testid: "hours",
        }))
      .cell("m1", ({ gpus }) => mtbfOf(gpus))
      .cell("p1", ({ hours, m1 }) => failureProbability(hours * HOUR, m1))
      .show("act1Metrics", ({ $gpus, $hours, gpus, hours, m1, p1 }) =>
        vstack([
          $gpus,
          $hours,
          metricRow([
            {
              label: "Job MTBF",
              value: formatSpan(m1, 1),
              caption: `M = 1 / (N·λ), N = ${formatCount(gpus)}`,
              testid: "mtbf1",
            },
            {
              label: "Expected interruptions",
              value: formatNumber(hours * HOUR / m1, 2),
              caption: `T / M over ${formatSpan(hours * HOUR, 0)}`,
            },
            {
              label: "P(at least one)",
              value: formatPercent(p1, 1),
              caption: "1 − e^(−T/M)",
              kind: "warn",
              testid: "pfail1",
            },
            {
              label: "Runs with none",
              value: formatPercent(1 - p1, 1),
              caption: "e^(−T/M)",
            },
          ]),
        ]))
      .show("act1PChart", ({ m1, hours, p1 }) =>
        pFailChart(pFailRows(m1), { hours, p: p1 }, "act1-pchart"))
      .show("act1MtbfChart", ({ gpus, m1 }) =>
        mtbfChart(mtbfRows(), { gpus, hours: m1 / HOUR }, "act1-mtbfchart"))
      .reveal(({ context }) => {
        const s = SCENARIOS[context];
        const m = mtbf(context);
        return md`${formatCount(s.gpus)} GPUs at λ = ${
          formatNumber(LAMBDA * 1e5, 2)
        } × 10⁻⁵ per GPU-hour fail on average every ${formatSpan(m, 1)}; over ${
          formatCount(s.windowHours)
        } h that is ${formatNumber(s.windowHours * HOUR / m, 2)} expected interruptions and a ${
          formatPercent(act1Answer(context), 1)
        } chance of at least one. Fleets differ: BLOOM's A100s failed about as often per GPU as Llama 3's, OPT's restarts came 3.4× more often.`;
      })
      .input("reflect1", () =>
        reflection(REFLECT1))
      .show("act1Reflection", ({ $reflect1, reflect1 }) =>
        vstack([$reflect1, reflectionFeedback(REFLECT1, reflect1)]))
      .show("act1Math", ({ gpus, hours, m1, p1 }) =>
        mathPeek(md`Llama 3's log gives the rate per GPU-hour (row K1):
$$\lambda = \frac{${formatCount(K1.events)}}{${formatCount(K1.gpus)} \times ${
          formatCount(K1.hours)
        }\,\text{h}} = ${formatNumber(LAMBDA * 1e5, 3)} \times 10^{-5}\ \text{per GPU-hour}.$$
The job stops at the first failure of any of its $N$ GPUs, so failures arrive at $N\lambda$:
$$M = \frac{1}{N\lambda} = \frac{1}{${formatCount(gpus)} \times ${
          formatNumber(LAMBDA * 1e5, 3)
        } \times 10^{-5}} = ${
          formatNumber(m1 / HOUR, 2)
        }\ \text{h}, \qquad P(\text{at least one by } T) = 1 - e^{-T/M} = ${
          formatNumber(p1 * 100, 1)
        }\,\%\ \ (T = ${formatCount(hours)}\ \text{h}).$$
$T/M$ is the *expected number* of failures; it equals the probability only while it is small. At
$T = M$ the exponential gives $1 - 1/e = 63\,\%$.`))
      .record(({ act1, m1, gpus, hours }) => ({
        hud: [["Job MTBF", formatSpan(m1, 1)], ["P(≥ 1 failure)", formatPercent(act1.answer!, 1)]],
        ledger: {
          act1_p_fail: Math.round(act1.answer! * 1000) / 1000,
          act1_mtbf_h: Math.round(m1 / HOUR * 100) / 100,
          act1_gpus: gpus,
          act1_hours: hours,
        },
      })))
  // ---- Act II: design ---------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ context, scenario, modelName }) =>
      vstack([
        md`## Act II · Design: how often to checkpoint?`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `A restartable checkpoint of ${modelName} is ${
            formatBytes(ckptBytes(context), { unit: "auto", digits: 2 })
          } — bf16 weights, fp32 master weights and both Adam moments, 14 bytes per parameter. Our storage writes ${
            formatBandwidth(defaultStorage(context), 1)
          }, and training stalls while it writes. After a failure a restart takes about ${RESTART_MIN} minutes. We need at least ${floorText} goodput. How often do we checkpoint?`,
        }),
      ]),
    prediction: ({ context }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question:
          "With synchronous checkpoints to this storage, which checkpoint interval gives the highest goodput?",
        options: act2Options(context),
        answer: act2Answer(context),
        format: (s) => formatSpan(s, 1),
        explain:
          "The exact goodput τ / (M·e^(R/M)·(e^((τ+δ)/M) − 1)) (Daly 2006) is maximised numerically; Young's √(2δM) and Daly's higher-order interval sit on that maximum.",
        key: context,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("intervalMin", () =>
        slider({
          label: "Checkpoint interval τ",
          steps: INTERVAL_STEPS,
          value: 60,
          format: (v) => formatSpan(v * 60, 0),
          testid: "interval",
        }))
      .input("storageGBs", ({ context }) =>
        slider({
          label: "Storage write bandwidth (aggregate)",
          steps: STORAGE_STEPS,
          value: defaultStorage(context) / 1e9,
          format: (v) => formatBandwidth(v * 1e9, 1),
          testid: "storage",
        }))
      .input("asyncMode", () =>
        switchInput({
          label: "Asynchronous checkpoints (copy to host, write in background)",
          testid: "async",
        }))
      .input("restartMin", () =>
        slider({
          label: "Restart time R",
          steps: RESTART_STEPS,
          value: RESTART_MIN,
          format: (v) => formatSpan(v * 60, 0),
          testid: "restart",
        }))
      .cell("choice", ({ intervalMin, storageGBs, asyncMode, restartMin }) => ({
        intervalMin,
        storage: storageGBs * 1e9,
        async: asyncMode,
        restartMin,
      }))
      .cell("rep", ({ context, choice }) => reportOf(context, choice))
      .cell("write2", ({ context, choice }) => writeSeconds(context, choice.storage))
      .cell("rows2", ({ context, choice }) => goodputRows(context, choice))
      .cell("fails2", ({ rep }) => ({
        floor: rep.goodput < GOODPUT_FLOOR,
        write: rep.writeExceedsInterval,
      }))
      .show("act2Controls", ({ $intervalMin, $storageGBs, $asyncMode, $restartMin }) =>
        vstack([$intervalMin, $storageGBs, $asyncMode, $restartMin]))
      .show("act2Metrics", ({ context, rep, write2, choice }) =>
        metricRow([
          {
            label: "Checkpoint",
            value: formatBytes(ckptBytes(context)),
            caption: `${choice.async ? "written in the background in" : "written in"} ${
              formatSpan(write2, 1)
            } at ${formatBandwidth(choice.storage, 1)}`,
            testid: "write2",
          },
          {
            label: "Stall per checkpoint",
            value: formatSpan(rep.cost.stall, 1),
            caption: choice.async
              ? "host copy + any wait for the last write"
              : "δ: the whole write",
          },
          { label: "Job MTBF", value: formatSpan(rep.mtbf, 1), caption: "M = 1/(N·λ)" },
          {
            label: "Waste",
            value: formatPercent(1 - rep.goodput, 1),
            caption: `first order: δ/τ ${formatPercent(rep.waste.checkpoint, 1)} + τ/2M ${
              formatPercent(rep.waste.rework, 1)
            } + R/M ${formatPercent(rep.waste.restart, 1)}`,
          },
          {
            label: "Goodput",
            value: formatPercent(rep.goodput, 1),
            caption: `floor ${floorText} · best ${formatPercent(rep.optimum.goodput, 1)}`,
            kind: rep.goodput < GOODPUT_FLOOR ? "danger" : "success",
            testid: "goodput2",
          },
        ]))
      .show("act2Chart", ({ context, rep, rows2, choice }) => {
        const m = marksOf(rep);
        const mark = (label: string, s: number) => ({
          label,
          minutes: s / 60,
          goodput: reportOf(context, { ...choice, intervalMin: s / 60 }).goodput,
        });
        return goodputChart(
          rows2,
          [mark("Young", m.young), mark("Daly", m.daly), {
            label: "Optimum",
            minutes: rep.optimum.interval / 60,
            goodput: rep.optimum.goodput,
          }],
          { minutes: choice.intervalMin, goodput: rep.goodput },
          "act2-chart",
        );
      })
      .show("act2Verdict", ({ rep, fails2, write2, choice }) => {
        if (fails2.write) {
          return failureBanner({
            title: `The checkpoint takes longer to write (${
              formatSpan(write2, 1)
            }) than the interval (${formatSpan(choice.intervalMin * 60, 0)})`,
            body: md`${
              choice.async
                ? "The next checkpoint would start before the last one is durable, so training waits for it"
                : "Training would spend more time writing than computing"
            }: goodput ${formatPercent(rep.goodput, 1)}. Lengthen the interval past ${
              formatSpan(write2, 0)
            } or raise the storage bandwidth.`,
            testid: "write-banner",
          });
        }
        if (fails2.floor) {
          const long = choice.intervalMin * 60 > rep.optimum.interval;
          return failureBanner({
            title: `Goodput ${formatPercent(rep.goodput, 1)} is below the ${floorText} floor`,
            body: md`${
              long
                ? `Each failure throws away half an interval of work on average (${
                  formatPercent(rep.waste.rework, 1)
                } of the run): checkpoint more often.`
                : `Checkpoints and restarts cost ${
                  formatPercent(rep.waste.checkpoint + rep.waste.restart, 1)
                } of the run: checkpoint less often, write faster, go asynchronous, or restart faster.`
            } The best interval for this design reaches ${formatPercent(rep.optimum.goodput, 1)}${
              rep.optimum.goodput < GOODPUT_FLOOR
                ? " — still under the floor, so change the storage, async or restart too"
                : ""
            }.`,
          });
        }
        return callout(
          "success",
          md`Goodput ${formatPercent(rep.goodput, 1)} ≥ ${floorText}: the run loses ${
            formatPercent(1 - rep.goodput, 1)
          } of its wall time to checkpoints, lost work and restarts.`,
          { title: "Above the floor", testid: "goodput-ok" },
        );
      })
      .reveal(({ context }) => {
        const r = reportOf(context, {
          intervalMin: act2Answer(context) / 60,
          storage: defaultStorage(context),
          async: false,
          restartMin: RESTART_MIN,
        });
        const w = wasteFirstOrder(r.optimum.interval, r.cost, r.mtbf);
        return md`Writing ${formatSpan(r.cost.stall, 1)} per checkpoint against an MTBF of ${
          formatSpan(r.mtbf, 1)
        }, the best interval is ${formatSpan(r.optimum.interval, 1)} (Young ${
          formatSpan(r.young, 1)
        }, Daly ${formatSpan(r.daly, 1)}) for ${
          formatPercent(r.optimum.goodput, 1)
        } goodput. At that interval the checkpoint tax and the lost work are equal (${
          formatPercent(w.checkpoint, 2)
        } and ${formatPercent(w.rework, 2)}); the restarts cost ${formatPercent(w.restart, 2)}.`;
      })
      .input("reflect2", () => reflection(REFLECT2))
      .show("act2Reflection", ({ $reflect2, reflect2 }) =>
        vstack([$reflect2, reflectionFeedback(REFLECT2, reflect2)]))
      .show("act2Math", ({ rep, context }) =>
        mathPeek(md`Per unit of wall time a run with interval $\tau$, checkpoint stall $\delta$,
restart $R$ and MTBF $M$ loses, to first order,
$$\text{waste} \approx \frac{\delta}{\tau} + \frac{\tau/2 + R}{M}.$$
Setting the derivative to zero, $-\delta/\tau^2 + 1/(2M) = 0$, gives **Young's interval**
$$\tau^* = \sqrt{2\delta M} = \sqrt{2 \times ${formatNumber(rep.cost.stall, 1)}\,\text{s} \times ${
          formatNumber(rep.mtbf, 0)
        }\,\text{s}} = \text{${formatSpan(rep.young, 1)}}.$$
Daly (2006) solves the exact exponential model, in which failures also strike checkpoints and
restarts,
$$G = \frac{\tau}{M e^{R/M}\left(e^{(\tau+\delta)/M} - 1\right)},$$
and approximates its maximum by $\tau = \sqrt{2\delta M}\,[1 + \tfrac13\sqrt{\delta/2M} + \tfrac19\,\delta/2M] - \delta = \text{${
          formatSpan(rep.daly, 1)
        }}$. The checkpoint holds ${formatCount(params(context) / 1e9)} B parameters × 14 bytes; its
write time is size ÷ storage bandwidth. With $M = 1/(N\lambda)$, $\tau^* \propto 1/\sqrt{N}$ and the
waste at the optimum, $\approx\sqrt{2\delta/M} + R/M$, grows with the fleet.`))
      .record(({ rep, choice, fails2 }) => {
        const hit = fails2.floor || fails2.write;
        return {
          hud: [
            ["Interval", formatSpan(choice.intervalMin * 60, 0)],
            ["Goodput", formatPercent(rep.goodput, 1)],
            ["Floor", hit ? "VIOLATED" : "MET"],
          ],
          ledger: {
            act2_result: Math.round(rep.goodput * 1000) / 1000,
            act2_decision: `every ${formatSpan(choice.intervalMin * 60, 0)}, ${
              choice.async ? "async" : "sync"
            }, ${formatBandwidth(choice.storage, 1)}, restart ${
              formatSpan(choice.restartMin * 60, 0)
            }`,
            constraint_hit: hit,
            interval_min: choice.intervalMin,
            storage_gbs: choice.storage / 1e9,
            async_checkpoint: choice.async,
          },
        };
      }))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v2-07",
      context,
      acts,
      hud: [["Lab", "V2-07 · Fault tolerance"], [
        "Context",
        context === "research" ? "RESEARCH" : "FRONTIER",
      ]],
    }));
