/**
 * The "reliability" section of `deno task sim train … --storage-gbps X`: job MTBF, the chance
 * of a failure over the run, the checkpoint's size and write time, Young's and Daly's intervals,
 * the goodput-optimal interval and the goodput at the chosen one. Inputs go through the
 * zod-checked entry point core/schema/reliability.ts; every number comes from
 * core/training/reliability.ts, checkpoint.ts and failures.ts (the wall-clock time to train is
 * the step-level time ÷ goodput, the definition of goodput).
 *
 * @module
 */
import { formatDuration, formatGB, formatNumber, formatPercent } from "../format.ts";
import { checkedReliability, ReliabilityInputSchema } from "../schema/reliability.ts";
import { FAILURE_ROWS, LLAMA3_FAILURES_PER_GPU_HOUR } from "../training/failures.ts";
import { checkpointBytes } from "../training/checkpoint.ts";
import type { Convention, StateDtypes } from "../training/states.ts";
import { CliError, parseWith } from "./args.ts";
import type { CliFormat } from "./train.ts";

type Values = Record<string, string | boolean | undefined>;

/** The flags of this section (merged into train's parseArgs options). */
export const RELIABILITY_OPTIONS = {
  "storage-gbps": { type: "string" },
  "restart-min": { type: "string" },
  "failures-per-gpu-hour": { type: "string" },
  "failure-row": { type: "string" },
  "interval-min": { type: "string" },
  async: { type: "boolean" },
} as const;

/** Schema field → flag, for zod messages. */
export const RELIABILITY_FLAGS: Record<string, string> = {
  storageBytesPerS: "--storage-gbps",
  restartSeconds: "--restart-min",
  failuresPerGpuHour: "--failures-per-gpu-hour",
  failureRow: "--failure-row",
  intervalSeconds: "--interval-min",
  gpus: "--gpus",
  jobSeconds: "--tokens",
  params: "--model",
  convention: "--convention",
};

/** The schema's default restart time, minutes (read from the schema, not restated). */
const DEFAULT_RESTART_MIN =
  ReliabilityInputSchema.parse({ gpus: 1, params: 1, storageBytesPerS: 1 }).restartSeconds / 60;

/** Help lines of the section (appended to `sim train --help`). */
export const RELIABILITY_HELP = [
  "  --storage-gbps X                    reliability section: X = aggregate checkpoint storage",
  "                                      write bandwidth, GB/s. Job MTBF, P(≥ 1 failure) over the",
  "                                      time to train (with --tokens; else 24 h), checkpoint size",
  "                                      and write time, Young/Daly/optimal intervals, goodput,",
  "                                      time to train ÷ goodput",
  `  [--restart-min R]                   restart after a failure (default ${DEFAULT_RESTART_MIN} min)`,
  "  [--failures-per-gpu-hour λ | --failure-row ID]   failure rate (default Llama 3's " +
  `${LLAMA3_FAILURES_PER_GPU_HOUR.toExponential(3)}`,
  `                                      /GPU-h; rows: ${FAILURE_ROWS.map((r) => r.id).join(" ")})`,
  "  [--interval-min τ] [--async]        checkpoint interval (default the goodput optimum);",
  "                                      asynchronous checkpoints (default synchronous)",
  "  [--gpus N]                          GPUs in the job (default tp·pp·dp)",
].join("\n");

const DAY = 86400, HOUR = 3600, MIN = 60;

/** Seconds as days / h / min / s, whichever reads best. */
function span(s: number): string {
  if (s >= 2 * DAY) return `${formatNumber(s / DAY, 1)} days`;
  if (s >= HOUR) return `${formatNumber(s / HOUR, 2)} h`;
  if (s >= MIN) return `${formatNumber(s / MIN, 1)} min`;
  return formatDuration(s);
}

const mins = (v: string | boolean | undefined) =>
  typeof v === "string" ? Number(v) * MIN : undefined;
const ms = (s: number) => s * 1e3;
const num = (v: string | boolean | undefined) => typeof v === "string" ? Number(v) : undefined;

/** Reliability flags given without --storage-gbps: an error naming them. */
export function checkReliabilityFlags(v: Values): void {
  if (v["storage-gbps"] !== undefined) return;
  const stray = [...Object.keys(RELIABILITY_OPTIONS), "gpus"].filter((k) => v[k] !== undefined);
  if (stray.length > 0) {
    throw new CliError(
      `${stray.map((k) => "--" + k).join(", ")} set the reliability section; ` +
        "add --storage-gbps X (aggregate checkpoint storage bandwidth, GB/s)",
    );
  }
}

/** What train knows that the section needs. */
export interface ReliabilityContext {
  /** tp·pp·dp of the layout. */
  layoutGpus: number;
  /** Parameters the checkpoint holds (all of them; a LoRA run's adapters only). */
  params: number;
  /** The state convention (a name, or explicit dtypes from a library caller). */
  convention: Convention | StateDtypes;
  /** Step-level time to train, s (with --tokens). */
  trainSeconds?: number;
}

/**
 * The section as JSON (snake_case, durations in ms like the rest of train's JSON) and as a
 * table; null without --storage-gbps.
 */
export function reliabilitySection(
  v: Values,
  ctx: ReliabilityContext,
  f: CliFormat,
): { json: Record<string, unknown>; text: string } | null {
  checkReliabilityFlags(v);
  if (v["storage-gbps"] === undefined) return null;
  if (v["failures-per-gpu-hour"] !== undefined && v["failure-row"] !== undefined) {
    throw new CliError("--failures-per-gpu-hour and --failure-row both set λ; pass one");
  }
  const gbps = num(v["storage-gbps"])!;
  const window = ctx.trainSeconds ?? DAY;
  const input = parseWith(ReliabilityInputSchema, {
    gpus: num(v.gpus) ?? ctx.layoutGpus,
    failuresPerGpuHour: num(v["failures-per-gpu-hour"]),
    failureRow: v["failure-row"],
    jobSeconds: window,
    ...(typeof ctx.convention === "string"
      ? { params: ctx.params, convention: ctx.convention }
      : { checkpointBytes: checkpointBytes(ctx.params, ctx.convention) }),
    storageBytesPerS: gbps * 1e9,
    mode: v.async ? "async" : "sync",
    intervalSeconds: mins(v["interval-min"]),
    restartSeconds: mins(v["restart-min"]),
  }, RELIABILITY_FLAGS);
  let c: ReturnType<typeof checkedReliability>;
  try {
    c = checkedReliability(input);
  } catch (e) {
    // failureRow's unknown id lists the known ones.
    if (e instanceof Error && /failure-rate row/.test(e.message)) {
      throw new CliError(`invalid --failure-row: ${e.message}`);
    }
    throw e;
  }
  const r = c.report;
  const lambdaSource = input.failuresPerGpuHour !== undefined
    ? "--failures-per-gpu-hour"
    : input.failureRow ?? FAILURE_ROWS[0].id;
  const wall = (g: number) => ctx.trainSeconds === undefined ? null : ms(ctx.trainSeconds / g);
  const json = {
    gpus: r.gpus,
    gpus_source: v.gpus !== undefined ? "--gpus" : "layout tp·pp·dp",
    failures_per_gpu_hour: r.failuresPerGpuHour,
    failure_rate_source: lambdaSource,
    mtbf_ms: ms(r.mtbf),
    window_ms: ms(window),
    window_source: ctx.trainSeconds !== undefined ? "time_to_train" : "24 h",
    failure_probability: r.failureProbability!,
    expected_failures: r.expectedFailures!,
    checkpoint_params: ctx.params,
    checkpoint_bytes: c.checkpointBytes,
    storage_bytes_per_s: c.write.effectiveBytesPerS,
    write_ms: ms(c.write.seconds),
    mode: input.mode,
    stall_ms: ms(r.cost.stall),
    restart_ms: ms(input.restartSeconds),
    restart_cost_ms: ms(r.cost.restart),
    young_interval_ms: ms(r.young),
    daly_interval_ms: ms(r.daly),
    optimum_interval_ms: ms(r.optimum.interval),
    optimum_goodput: r.optimum.goodput,
    interval_ms: ms(input.intervalSeconds ?? r.optimum.interval),
    interval_source: input.intervalSeconds !== undefined ? "--interval-min" : "optimum",
    goodput: r.goodput,
    waste_first_order: r.waste,
    write_exceeds_interval: r.writeExceedsInterval,
    wall_time_to_train_ms: wall(r.goodput),
    wall_time_to_train_at_optimum_ms: wall(r.optimum.goodput),
  };
  const tau = input.intervalSeconds ?? r.optimum.interval;
  const rows: string[][] = [
    ["GPUs in the job", `${formatNumber(r.gpus, 0)} (${json.gpus_source})`],
    [
      "failure rate λ",
      `${r.failuresPerGpuHour.toExponential(3)} per GPU-hour (${lambdaSource})`,
    ],
    ["job MTBF  1/(N·λ)", span(r.mtbf)],
    [
      `P(≥ 1 failure) over ${ctx.trainSeconds !== undefined ? "time to train" : "24 h"}`,
      `${formatPercent(r.failureProbability!, 1)} (${
        formatNumber(r.expectedFailures!, 1)
      } expected over ${span(window)})`,
    ],
    [
      "checkpoint size",
      `${formatGB(c.checkpointBytes)} (${formatNumber(ctx.params / 1e9, 2)} B params)`,
    ],
    ["write time", `${span(c.write.seconds)} at ${formatNumber(gbps, 1)} GB/s`],
    [
      `stall / restart (${input.mode})`,
      `${span(r.cost.stall)} per checkpoint / ${span(r.cost.restart)} per failure`,
    ],
    ["Young's interval  √(2δM)", span(r.young)],
    ["Daly's interval", span(r.daly)],
    ["optimal interval", span(r.optimum.interval)],
    [
      `goodput at τ = ${span(tau)}${json.interval_source === "optimum" ? " (optimum)" : ""}`,
      formatPercent(r.goodput, 2),
    ],
    ["goodput at the optimum", formatPercent(r.optimum.goodput, 2)],
  ];
  if (ctx.trainSeconds !== undefined) {
    rows.push(["time to train ÷ goodput", span(ctx.trainSeconds / r.goodput)]);
  }
  const notes = [
    "(independent exponential failures; P(≥ 1 failure) is over the failure-free time)",
  ];
  if (r.writeExceedsInterval) {
    notes.unshift(
      `warning: a checkpoint takes ${span(c.write.seconds)} to write, longer than the ` +
        `${span(tau)} interval it protects`,
    );
  }
  const text = [f.table(["reliability", "value"], rows), ...notes].join("\n");
  return { json, text };
}
