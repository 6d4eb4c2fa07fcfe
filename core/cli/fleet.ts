/**
 * `deno task sim tail …` and `deno task sim replicas …`: the fleet solvers from the shell.
 * {@link runFleet} returns null for other commands, so core/cli/sim.ts dispatches with one line.
 *
 * @module
 */
import { coldStart } from "../fleet/coldstart.ts";
import { KvCapacityError } from "../fleet/des.ts";
import { UnknownIdError } from "../registry.ts";
import { gpuHourPrice, planCost } from "../fleet/cost.ts";
import type { Histogram, LatencySummary } from "../fleet/stats.ts";
import type { Percentiles } from "../fleet/replica.ts";
import { formatMs, formatNumber } from "../format.ts";
import {
  checkedReplicas,
  checkedTail,
  ReplicasInputSchema,
  TailInputSchema,
} from "../schema/fleet.ts";
import { checkDeployment, checkIds, CliError, parseWith } from "./args.ts";
import { jsonOut } from "./json.ts";
import { runSubcommand } from "./subcommands.ts";
import { InfeasibleError } from "./serve-online.ts";

/** The fleet sub-commands. */
export const FLEET_COMMANDS = ["tail", "replicas"] as const;
type FleetCommand = typeof FLEET_COMMANDS[number];

/** The table formatter the caller lends (sim.ts owns it). */
export interface CliFormat {
  table(headers: string[], rows: string[][]): string;
}

const COMMON = "--model M --gpu G [--tp N] [--precision P] [--kv-precision P]\n" +
  "  [--prompt 512] [--output 128] [--output-cv 0] [--max-batch 256] [--kv-tokens T]\n" +
  "  [--prefix-hit 0]";

/** Help text of each fleet command (also listed in sim.ts's main help). */
export const FLEET_HELP: Record<FleetCommand, string> = {
  tail: `deno task sim tail ${COMMON} --qps Q\n` +
    "  [--requests 100000] [--seed 1] [--chunked] [--max-batched-tokens T] [--bins 20] [--json]\n" +
    "  One replica under Poisson load: simulated (seeded discrete-event) and analytical (M/G/c)\n" +
    "  TTFT and end-to-end P50/P95/P99, TPOT, queueing delay, a latency histogram.",
  replicas: `deno task sim replicas ${COMMON} --qps Q --slo-p99-ms S\n` +
    "  [--metric e2e|ttft] [--usd-per-gpu-hour X] [--json]\n" +
    "  Replicas (and GPUs, $/h, $/1M tokens, cold start) to serve Q requests/s within a P99 target.",
};

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  model: { type: "string" },
  gpu: { type: "string" },
  tp: { type: "string" },
  precision: { type: "string" },
  "kv-precision": { type: "string" },
  prompt: { type: "string" },
  output: { type: "string" },
  "output-cv": { type: "string" },
  "max-batch": { type: "string" },
  "kv-tokens": { type: "string" },
  "prefix-hit": { type: "string" },
  qps: { type: "string" },
  requests: { type: "string" },
  seed: { type: "string" },
  chunked: { type: "boolean" },
  "max-batched-tokens": { type: "string" },
  bins: { type: "string" },
  "slo-p99-ms": { type: "string" },
  metric: { type: "string" },
  "usd-per-gpu-hour": { type: "string" },
} as const;

/** Input field → flag, for zod messages. */
const FLAGS: Record<string, string> = {
  outputCv: "--output-cv",
  maxBatch: "--max-batch",
  kvTokens: "--kv-tokens",
  prefixHitRate: "--prefix-hit",
  qps: "--qps",
  requests: "--requests",
  seed: "--seed",
  chunkedPrefill: "--chunked",
  maxBatchedTokens: "--max-batched-tokens",
  bins: "--bins",
  sloP99Ms: "--slo-p99-ms",
  metric: "--metric",
  usdPerGpuHour: "--usd-per-gpu-hour",
};

function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

type Values = Record<string, string | boolean | undefined>;

function common(v: Values) {
  return {
    model: v.model,
    gpu: v.gpu,
    tp: num(v.tp as string | undefined),
    precision: v.precision,
    kvPrecision: v["kv-precision"],
    prompt: num(v.prompt as string | undefined),
    output: num(v.output as string | undefined),
    outputCv: num(v["output-cv"] as string | undefined),
    maxBatch: num(v["max-batch"] as string | undefined),
    kvTokens: num(v["kv-tokens"] as string | undefined),
    prefixHitRate: num(v["prefix-hit"] as string | undefined),
    qps: num(v.qps as string | undefined),
  };
}

const ms = (s: number) => s * 1e3;

/** Solver errors the user can fix (a CNN id, a prompt larger than the KV cache) → CliError. */
function solve<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownIdError) {
      throw new CliError(`${e.message} (tail and replicas need a transformer model)`);
    }
    if (e instanceof KvCapacityError) throw new CliError(e.message);
    throw e;
  }
}

function summaryMs(s: LatencySummary | Percentiles) {
  return { mean: ms(s.meanS), p50: ms(s.p50S), p95: ms(s.p95S), p99: ms(s.p99S) };
}

function bars(h: Histogram, width = 40): string {
  const top = Math.max(1, ...h.counts);
  return h.counts.map((c, i) =>
    `${formatMs(h.edgesS[i]).padStart(10)} – ${formatMs(h.edgesS[i + 1]).padEnd(10)} ` +
    `${"#".repeat(Math.round(c / top * width)).padEnd(width)} ${c}`
  ).join("\n") + (h.overflow ? `\n${"beyond".padStart(23)} ${h.overflow}` : "");
}

function tail(v: Values, f: CliFormat, json: boolean): string {
  const input = parseWith(TailInputSchema, {
    ...common(v),
    requests: num(v.requests as string | undefined),
    seed: num(v.seed as string | undefined),
    chunkedPrefill: v.chunked,
    maxBatchedTokens: num(v["max-batched-tokens"] as string | undefined),
    bins: num(v.bins as string | undefined),
  }, FLAGS);
  checkIds(input.model, input.gpu);
  checkDeployment(input.model, input.gpu, input.tp, input.precision);
  const { simulation: s, analytic: a } = solve(() => checkedTail(input));
  // A queue that grows without bound is the command's failure state: numbers printed, exit 2.
  const unstable = s.saturated || !a.stable;
  const out = {
    model: input.model,
    gpu: input.gpu,
    qps: input.qps,
    requests: s.requests,
    seed: input.seed,
    ttft_ms: summaryMs(s.ttft),
    e2e_ms: summaryMs(s.e2e),
    tpot_ms: summaryMs(s.tpot),
    queue_ms: summaryMs(s.queue),
    mean_batch: s.meanBatch,
    busy_fraction: s.busyFraction,
    throughput_tokens_per_s: s.throughputTokensPerS,
    saturated: s.saturated,
    backlog_at_last_arrival: s.backlogAtLastArrival,
    kv_tokens: s.kvTokens,
    analytic: {
      ttft_ms: summaryMs(a.ttft),
      e2e_ms: summaryMs(a.e2e),
      itl_ms: ms(a.itlS),
      utilization: a.utilization,
      slots: a.slots,
      concurrency: a.concurrency,
      stable: a.stable,
      bound: a.bound,
    },
    e2e_histogram: { edges_ms: s.e2eHistogram.edgesS.map(ms), counts: s.e2eHistogram.counts },
    ttft_histogram: { edges_ms: s.ttftHistogram.edgesS.map(ms), counts: s.ttftHistogram.counts },
  };
  const text = json ? jsonOut(out, unstable) : tailText();
  if (unstable) {
    throw new InfeasibleError(
      `queue unstable at ${input.qps} req/s: ${s.backlogAtLastArrival} requests still waiting ` +
        `when the last arrived (analytical utilisation ${
          formatNumber(a.utilization * 100, 0)
        } %); ` +
        "lower --qps, add replicas (sim replicas), or raise --max-batch",
      text,
    );
  }
  return text;

  function tailText(): string {
    const row = (name: string, sim: LatencySummary, an: Percentiles) => [
      name,
      ...[sim.meanS, sim.p50S, sim.p95S, sim.p99S].map(formatMs),
      ...[an.meanS, an.p50S, an.p99S].map(formatMs),
    ];
    return [
      `${input.model} on ${input.gpu} ×${input.tp}, ${input.qps} req/s, ${s.requests} requests ` +
      `(seed ${input.seed})${s.saturated ? " — SATURATED: the queue grows without bound" : ""}`,
      f.table(
        ["latency", "sim mean", "P50", "P95", "P99", "M/G/c mean", "P50", "P99"],
        [row("TTFT", s.ttft, a.ttft), row("end-to-end", s.e2e, a.e2e)],
      ),
      `TPOT mean ${formatMs(s.tpot.meanS)} (analytic ITL ${formatMs(a.itlS)}), queue mean ` +
      `${formatMs(s.queue.meanS)}, mean batch ${formatNumber(s.meanBatch, 1)}, ` +
      `utilisation ${formatNumber(a.utilization * 100, 1)} % of ${a.slots} slots`,
      "",
      "end-to-end latency histogram",
      bars(s.e2eHistogram),
    ].join("\n");
  }
}

function replicas(v: Values, f: CliFormat, json: boolean): string {
  const input = parseWith(ReplicasInputSchema, {
    ...common(v),
    sloP99Ms: num(v["slo-p99-ms"] as string | undefined),
    metric: v.metric,
    usdPerGpuHour: num(v["usd-per-gpu-hour"] as string | undefined),
  }, FLAGS);
  checkIds(input.model, input.gpu);
  checkDeployment(input.model, input.gpu, input.tp, input.precision);
  const { plan, prepared } = solve(() => checkedReplicas(input));
  let price: { usdPerGpuHour: number; source: string } | null = null;
  if (input.usdPerGpuHour !== undefined) {
    price = { usdPerGpuHour: input.usdPerGpuHour, source: "--usd-per-gpu-hour" };
  } else {
    try {
      price = gpuHourPrice(prepared.gpu);
    } catch {
      price = null;
    }
  }
  const cost = plan.feasible && price
    ? planCost(
      {
        name: "plan",
        usdPerGpuHour: price.usdPerGpuHour,
        gpusPerReplica: input.tp,
        maxQpsPerReplica: plan.maxQpsPerReplica,
      },
      input.qps,
      input.output,
    )
    : null;
  const cold = coldStart({ model: input.model, tp: input.tp, precision: prepared.precision });
  const p99 = plan.atPlan
    ? (input.metric === "ttft" ? plan.atPlan.ttft : plan.atPlan.e2e).p99S
    : null;
  const out = {
    model: input.model,
    gpu: input.gpu,
    tp: input.tp,
    qps: input.qps,
    slo_p99_ms: input.sloP99Ms,
    metric: input.metric,
    feasible: plan.feasible,
    bound: plan.bound,
    replicas: plan.feasible ? plan.replicas : null,
    gpus: plan.feasible ? plan.replicas * input.tp : null,
    qps_per_replica: plan.qpsPerReplica,
    max_qps_per_replica: plan.maxQpsPerReplica,
    p99_ms: p99 === null ? null : ms(p99),
    floor_p99_ms: ms(plan.floorP99S),
    utilization: plan.atPlan?.utilization ?? null,
    usd_per_gpu_hour: price?.usdPerGpuHour ?? null,
    price_source: price?.source ?? null,
    usd_per_hour: cost?.usdPerHour ?? null,
    usd_per_million_tokens: cost?.usdPerMillionTokens ?? null,
    cold_start_s: cold.totalS,
    cold_start_bound: cold.bound,
  };
  if (!plan.feasible) {
    const reason = plan.bound === "capacity"
      ? `${input.model} on ${input.gpu} ×${input.tp} leaves no KV cache for one ` +
        `${input.prompt + input.output}-token request (capacity-bound): use more GPUs (--tp), ` +
        "a GPU with more memory, or lower precision (--precision fp8)"
      : `no replica count meets P99 ${input.metric} ≤ ${input.sloP99Ms} ms: even an idle ` +
        `replica's P99 is ${formatMs(plan.floorP99S)} (latency-bound); loosen the target, ` +
        "shorten the output, or use a faster GPU / more tensor parallelism";
    throw new InfeasibleError(reason, json ? jsonOut(out, true) : reason);
  }
  if (json) return jsonOut(out);
  return f.table(["quantity", "value"], [
    ["replicas", `${plan.replicas} × ${input.tp} GPU = ${plan.replicas * input.tp} GPUs`],
    ["load per replica", `${formatNumber(plan.qpsPerReplica, 2)} req/s`],
    ["max load per replica", `${formatNumber(plan.maxQpsPerReplica, 2)} req/s`],
    [`P99 ${input.metric} at plan`, `${formatMs(p99!)} (target ${input.sloP99Ms} ms)`],
    ["P99 floor (idle replica)", formatMs(plan.floorP99S)],
    [
      "cost",
      cost ? `$${formatNumber(cost.usdPerHour, 2)}/h` : "no default price: --usd-per-gpu-hour",
    ],
    [
      "$/1M output tokens",
      cost?.usdPerMillionTokens ? `$${formatNumber(cost.usdPerMillionTokens, 3)}` : "—",
    ],
    ["cold start (weights load)", `${formatNumber(cold.totalS, 1)} s (${cold.bound}-bound)`],
  ]);
}

/** Run a fleet command, or return null when `argv` is not one. Throws CliError on bad usage. */
export function runFleet(argv: readonly string[], f: CliFormat): string | null {
  return runSubcommand(
    argv,
    FLEET_COMMANDS,
    FLEET_HELP,
    OPTIONS,
    (cmd, v, json) => cmd === "tail" ? tail(v as Values, f, json) : replicas(v as Values, f, json),
  );
}
