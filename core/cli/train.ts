/**
 * `deno task sim train …` (training memory stack, step time, time to train) and
 * `deno task sim collective …` (one collective on a cluster's fitted α–β lines) from the shell.
 * {@link runTraining} returns null for other commands, so core/cli/sim.ts dispatches with one
 * line. Inputs go through core/schema/training.ts; every number comes from core/training/.
 *
 * @module
 */
import {
  formatBandwidth,
  formatDuration,
  formatGiB,
  formatNumber,
  formatPercent,
  formatTflops,
  formatTokensPerS,
} from "../format.ts";
import { lookupGpu, lookupModel, UnknownIdError } from "../registry.ts";
import {
  CollectiveInputSchema,
  TimeToTrainFromStepInputSchema,
  TimeToTrainInputSchema,
  TrainingMemoryInputSchema,
  TrainStepInputSchema,
} from "../schema/training.ts";
import { trainingMemory, type TrainingMemoryInput } from "../training/budget.ts";
import { fitOf, lookupCluster } from "../training/clusters.ts";
import {
  type CollectiveAlgorithm,
  type CollectiveInput,
  collectiveTime,
} from "../training/collectives.ts";
import { CONVENTION_NAMES } from "../training/states.ts";
import { ParallelConfigError, trainStep, type TrainStepInput } from "../training/step.ts";
import { timeToTrain, timeToTrainFromStep } from "../training/time-to-train.ts";
import { CliError, parseWith } from "./args.ts";
import { jsonOut } from "./json.ts";
import { runSubcommand } from "./subcommands.ts";
import { InfeasibleError } from "./serve-online.ts";
import {
  checkReliabilityFlags,
  RELIABILITY_FLAGS,
  RELIABILITY_HELP,
  RELIABILITY_OPTIONS,
  reliabilitySection,
} from "./train-reliability.ts";

/** The training sub-commands. */
export const TRAINING_COMMANDS = ["train", "collective"] as const;
type TrainingCommand = typeof TRAINING_COMMANDS[number];

/** The table formatter the caller lends (sim.ts owns it). */
export interface CliFormat {
  table(headers: string[], rows: string[][]): string;
}

const GiB = 2 ** 30;

/** Help text of each training command (also listed in sim.ts's main help). */
export const TRAINING_HELP: Record<TrainingCommand, string> = {
  train: "deno task sim train --model M (--gpu G | --cluster C) --seq S [options] [--json]\n" +
    "  Per-GPU training memory stack (weights, gradients, optimizer, master, activations,\n" +
    "  reserve) vs capacity; with --cluster also the step time, MFU/HFU and its breakdown; with\n" +
    "  --tokens D also the time, GPU-hours (and $) to train D tokens.\n" +
    "  --tp 1 --pp 1 --dp 1 --vpp 1 --sp   layout (TP within a node; SP = sequence parallel)\n" +
    "  --zero 0|1|2|3 [--shard-group N]    ZeRO/FSDP stage over dp (or N ranks: HYBRID_SHARD)\n" +
    "  --recompute none|selective|full     activation recomputation (default none; none keeps\n" +
    "                                      the s² attention scores: with FlashAttention use selective)\n" +
    "  --micro-batch 1 [--global-batch B | --grad-accum K]   B = micro-batch·dp·K (default K = pp)\n" +
    `  --convention ${CONVENTION_NAMES.join("|")}\n` +
    "                                      bytes/param convention (default megatron-bf16-18)\n" +
    "  --lora-rank R [--lora-targets qv|attention|all-linear] [--lora-base-bytes 0.5]\n" +
    "  --reserve-gib X                     framework/allocator reserve (an input, default 0)\n" +
    "  --capacity-gib X                    capacity override (default the GPU's runtime memory)\n" +
    "  --tokens D [--mfu F | --hfu F] [--usd-per-gpu-hour X]   time to train; without --mfu/--hfu\n" +
    "                                      it uses the predicted step (needs --cluster)\n" +
    "  --overlap-dp F --overlap-tp F --causal   step-time options (see core/training/step.ts)\n" +
    RELIABILITY_HELP + "\n" +
    "  Out of memory prints the stack and exits 2.",
  collective: "deno task sim collective --op OP --bytes S --gpus N --cluster C\n" +
    "  [--algorithm auto|ring|tree|nvls|hierarchical] [--gpus-per-node G] [--json]\n" +
    "  OP: all-reduce all-gather reduce-scatter all-to-all broadcast. S: bytes, or with a unit\n" +
    "  (128MiB, 1GiB, 4GB). Time, algbw and nccl-tests busbw (busbw = algbw × 2(n−1)/n for\n" +
    "  all-reduce, (n−1)/n for the others) on the cluster's fitted α–β lines; the table lists\n" +
    "  every available algorithm and marks the fastest (NCCL's tuner: auto).",
};

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  model: { type: "string" },
  gpu: { type: "string" },
  cluster: { type: "string" },
  tp: { type: "string" },
  pp: { type: "string" },
  dp: { type: "string" },
  vpp: { type: "string" },
  sp: { type: "boolean" },
  zero: { type: "string" },
  "shard-group": { type: "string" },
  recompute: { type: "string" },
  "micro-batch": { type: "string" },
  "global-batch": { type: "string" },
  "grad-accum": { type: "string" },
  seq: { type: "string" },
  tokens: { type: "string" },
  convention: { type: "string" },
  "lora-rank": { type: "string" },
  "lora-targets": { type: "string" },
  "lora-base-bytes": { type: "string" },
  "reserve-gib": { type: "string" },
  "capacity-gib": { type: "string" },
  mfu: { type: "string" },
  hfu: { type: "string" },
  "usd-per-gpu-hour": { type: "string" },
  "overlap-dp": { type: "string" },
  "overlap-tp": { type: "string" },
  causal: { type: "boolean" },
  op: { type: "string" },
  algorithm: { type: "string" },
  bytes: { type: "string" },
  gpus: { type: "string" },
  "gpus-per-node": { type: "string" },
  ...RELIABILITY_OPTIONS,
} as const;

/** Input field → flag, for zod messages. */
const FLAGS: Record<string, string> = {
  model: "--model",
  gpu: "--gpu",
  cluster: "--cluster",
  tp: "--tp",
  pp: "--pp",
  dp: "--dp",
  vpp: "--vpp",
  sp: "--sp",
  zeroStage: "--zero",
  shardGroup: "--shard-group",
  recompute: "--recompute",
  microBatch: "--micro-batch",
  globalBatch: "--global-batch",
  gradAccum: "--grad-accum",
  seq: "--seq",
  tokens: "--tokens",
  convention: "--convention",
  "lora.rank": "--lora-rank",
  "lora.targets": "--lora-targets",
  "lora.frozenBytesPerParam": "--lora-base-bytes",
  reserveBytes: "--reserve-gib",
  capacityBytes: "--capacity-gib",
  mfu: "--mfu",
  hfu: "--hfu",
  pricePerGpuHour: "--usd-per-gpu-hour",
  "overlap.dp": "--overlap-dp",
  "overlap.tp": "--overlap-tp",
  causal: "--causal",
  op: "--op",
  algorithm: "--algorithm",
  bytes: "--bytes",
  ranks: "--gpus",
  ranksPerNode: "--gpus-per-node",
  gpus: "--gpus",
  ...RELIABILITY_FLAGS,
};

type Values = Record<string, string | boolean | undefined>;

function num(v: string | boolean | undefined): number | undefined {
  return typeof v === "string" ? Number(v) : undefined;
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** "128MiB" / "1GiB" / "4e9" → bytes; NaN when unparseable (the schema then names --bytes). */
export function parseByteSize(s: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * UNITS[(m[2] ?? "").toLowerCase()];
}

/** Solver errors the user can fix → CliError (exit 2). */
function solve<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownIdError || e instanceof ParallelConfigError) {
      throw new CliError(e.message);
    }
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
}

const ms = (s: number) => s * 1e3;

function memoryArgs(v: Values) {
  const rank = num(v["lora-rank"]);
  const gib = (x: string | boolean | undefined) => {
    const n = num(x);
    return n === undefined ? undefined : n * GiB;
  };
  return {
    model: v.model,
    gpu: v.gpu,
    cluster: v.cluster,
    tp: num(v.tp),
    pp: num(v.pp),
    dp: num(v.dp),
    vpp: num(v.vpp),
    sp: v.sp,
    zeroStage: num(v.zero),
    shardGroup: num(v["shard-group"]),
    recompute: v.recompute,
    microBatch: num(v["micro-batch"]),
    globalBatch: num(v["global-batch"]),
    gradAccum: num(v["grad-accum"]),
    seq: num(v.seq),
    convention: v.convention,
    lora: rank === undefined && v["lora-targets"] === undefined ? undefined : {
      rank,
      ...(v["lora-targets"] !== undefined ? { targets: v["lora-targets"] } : {}),
      ...(v["lora-base-bytes"] !== undefined
        ? { frozenBytesPerParam: num(v["lora-base-bytes"]) }
        : {}),
    },
    reserveBytes: gib(v["reserve-gib"]),
    capacityBytes: gib(v["capacity-gib"]),
  };
}

function train(v: Values, f: CliFormat, json: boolean): string {
  const mem = parseWith(TrainingMemoryInputSchema, memoryArgs(v), FLAGS);
  checkReliabilityFlags(v);
  const spec = solve(() => lookupModel(mem.model));
  if (spec.kind !== "transformer") {
    throw new CliError(
      `"${mem.model}" is a CNN (${spec.name}); sim train takes transformer models`,
    );
  }
  if (v.tokens === undefined && (v.mfu !== undefined || v.hfu !== undefined)) {
    throw new CliError("--mfu / --hfu set the utilisation for --tokens; add --tokens D");
  }
  if (v["global-batch"] !== undefined && v["grad-accum"] !== undefined) {
    throw new CliError(
      "--global-batch and --grad-accum both set the microbatches per step; pass one",
    );
  }
  if (mem.gpu !== undefined && mem.cluster !== undefined) {
    const g = solve(() => lookupGpu(mem.gpu!)).id, c = solve(() => lookupCluster(mem.cluster!));
    if (g !== c.gpu) {
      throw new CliError(
        `--gpu ${g} is not ${c.id}'s GPU (${c.gpu}); pass one of --gpu / --cluster`,
      );
    }
  }
  const memory = solve(() => trainingMemory(mem as TrainingMemoryInput));
  const globalBatch = mem.globalBatch ?? mem.microBatch * mem.dp * memory.microbatches;
  let step: ReturnType<typeof trainStep> | null = null;
  let stepInput: TrainStepInput | null = null;
  if (mem.cluster !== undefined) {
    const overlap = v["overlap-dp"] !== undefined || v["overlap-tp"] !== undefined
      ? { dp: num(v["overlap-dp"]), tp: num(v["overlap-tp"]) }
      : undefined;
    const s = parseWith(TrainStepInputSchema, {
      ...mem,
      globalBatch,
      recompute: mem.recompute,
      overlap: overlap && Object.fromEntries(
        Object.entries(overlap).filter(([, x]) => x !== undefined),
      ),
      causal: v.causal,
    }, FLAGS);
    stepInput = s as TrainStepInput;
    step = solve(() => trainStep(stepInput!));
  }
  let ttt: ReturnType<typeof timeToTrain> | null = null;
  if (v.tokens !== undefined) {
    const tokens = num(v.tokens);
    const price = num(v["usd-per-gpu-hour"]);
    if (v.mfu !== undefined || v.hfu !== undefined || !stepInput) {
      if (v.mfu === undefined && v.hfu === undefined) {
        throw new CliError(
          "--tokens needs --mfu F (or --hfu F), or a --cluster to predict the step time",
        );
      }
      const t = parseWith(TimeToTrainInputSchema, {
        model: mem.model,
        tokens,
        seq: mem.seq,
        gpus: mem.tp * mem.pp * mem.dp,
        gpu: memory.gpu,
        mfu: num(v.mfu),
        hfu: num(v.hfu),
        recompute: mem.recompute,
        causal: v.causal,
        pricePerGpuHour: price,
      }, FLAGS);
      ttt = solve(() => timeToTrain(t));
    } else {
      const t = parseWith(TimeToTrainFromStepInputSchema.omit({ step: true }), {
        tokens,
        pricePerGpuHour: price,
      }, FLAGS);
      ttt = solve(() => timeToTrainFromStep({ step: stepInput!, ...t }));
    }
  }
  const rel = reliabilitySection(v, {
    layoutGpus: mem.tp * mem.pp * mem.dp,
    // A checkpoint holds the trainable parameters' states (a LoRA run's adapters only).
    params: memory.trainableParamsPerGpu * mem.tp * mem.pp,
    convention: (mem as TrainingMemoryInput).convention ?? "megatron-bf16-18",
    trainSeconds: ttt?.seconds,
  }, f);
  const p = memory.parts;
  const out = {
    model: mem.model,
    gpu: memory.gpu,
    cluster: mem.cluster ?? null,
    layout: {
      tp: mem.tp,
      pp: mem.pp,
      dp: mem.dp,
      vpp: mem.vpp,
      sp: mem.sp,
      zero_stage: mem.zeroStage,
      shard_group: mem.shardGroup ?? mem.dp,
      recompute: mem.recompute,
      micro_batch: mem.microBatch,
      global_batch: globalBatch,
      microbatches: memory.microbatches,
      seq: mem.seq,
      convention: mem.convention,
    },
    memory: {
      weights_bytes: p.weights,
      gradients_bytes: p.gradients,
      optimizer_bytes: p.optimizer,
      master_bytes: p.master,
      activations_bytes: p.activations,
      reserve_bytes: p.reserve,
      total_bytes: memory.total,
      capacity_bytes: memory.capacity,
      headroom_bytes: memory.headroom,
      oom_by_bytes: memory.oomBy,
      fits: memory.fits,
      gather_buffer_bytes: memory.gatherBuffer,
      params_per_gpu: memory.paramsPerGpu,
      trainable_params_per_gpu: memory.trainableParamsPerGpu,
      in_flight_microbatches: memory.inFlightMicrobatches,
      capacity_source: memory.capacitySource,
    },
    step: step && {
      step_time_ms: ms(step.stepTimeS),
      gpus: step.gpus,
      tokens_per_s: step.tokensPerS,
      model_flops_per_gpu_s: step.modelFlopsPerGpuS,
      mfu: step.mfu,
      hfu: step.hfu,
      bound: step.bound,
      breakdown_ms: Object.fromEntries(
        Object.entries(step.breakdown).map((
          [k, x],
        ) => [k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()), ms(x)]),
      ),
    },
    time_to_train: ttt && {
      tokens: ttt.tokensPerS * ttt.seconds,
      time_ms: ms(ttt.seconds),
      days: ttt.days,
      gpus: ttt.gpus,
      gpu_hours: ttt.gpuHours,
      usd: ttt.costUSD ?? null,
      flops: ttt.flops,
      hardware_flops: ttt.hardwareFlops,
      six_nd_flops: ttt.sixNDFlops,
      attention_share: ttt.attentionShare,
      mfu: ttt.mfu,
      hfu: ttt.hfu,
      steps: ttt.steps ?? null,
    },
    reliability: rel && rel.json,
  };
  const text = json ? jsonOut(out) : trainText();
  if (!memory.fits) {
    throw new InfeasibleError(
      `out of memory on ${memory.gpu}: ${formatGiB(memory.total)} needed, ` +
        `${formatGiB(memory.capacity)} available (short by ${formatGiB(memory.oomBy)}); ` +
        "try --zero 3 with more --dp, --recompute selective|full, a smaller --micro-batch, " +
        "more --tp / --pp, or --lora-rank",
      text,
    );
  }
  return text;

  function trainText(): string {
    const share = (x: number) => formatPercent(x / memory.capacity, 1);
    const lines = [
      `${mem.model} on ${memory.gpu}: tp ${mem.tp} × pp ${mem.pp} × dp ${mem.dp}` +
      `${mem.vpp > 1 ? ` (vpp ${mem.vpp})` : ""}${mem.sp ? " + SP" : ""}, ZeRO-${mem.zeroStage}, ` +
      `recompute ${mem.recompute}, micro-batch ${mem.microBatch} × ${memory.microbatches} ` +
      `(global ${globalBatch}), seq ${mem.seq}`,
      f.table(["memory per GPU", "GiB", "of capacity"], [
        ["weights", formatGiB(p.weights), share(p.weights)],
        ["gradients", formatGiB(p.gradients), share(p.gradients)],
        ["optimizer states", formatGiB(p.optimizer), share(p.optimizer)],
        ["master weights", formatGiB(p.master), share(p.master)],
        ["activations", formatGiB(p.activations), share(p.activations)],
        ["reserve", formatGiB(p.reserve), share(p.reserve)],
        ["total", formatGiB(memory.total), share(memory.total)],
        ["capacity", formatGiB(memory.capacity), ""],
        memory.fits
          ? ["headroom", formatGiB(memory.headroom), share(memory.headroom)]
          : ["OOM by", formatGiB(memory.oomBy), share(memory.oomBy)],
      ]),
    ];
    if (step) {
      const b = step.breakdown;
      lines.push(
        "",
        f.table(["step on " + mem.cluster, "value"], [
          ["step time", formatDuration(step.stepTimeS)],
          ["GPUs", String(step.gpus)],
          ["throughput", formatTokensPerS(step.tokensPerS)],
          ["model FLOP/s per GPU", formatTflops(step.modelFlopsPerGpuS)],
          ["MFU / HFU", `${formatPercent(step.mfu)} / ${formatPercent(step.hfu)}`],
          ...(Object.keys(b) as (keyof typeof b)[]).map((k) => [
            `  ${k}${k === step!.bound ? " (largest)" : ""}`,
            formatDuration(b[k]),
          ]),
        ]),
      );
    }
    if (ttt) {
      lines.push(
        "",
        f.table(["time to train", "value"], [
          ["tokens", formatNumber(ttt.tokensPerS * ttt.seconds / 1e9, 1) + " B"],
          ["time", `${formatNumber(ttt.days, 1)} days`],
          ["GPU-hours", formatNumber(ttt.gpuHours, 0)],
          ["cost", ttt.costUSD === undefined ? "—" : `$${formatNumber(ttt.costUSD, 0)}`],
          ["model FLOPs (6N + attention)", ttt.flops.toExponential(3)],
          ["6ND", ttt.sixNDFlops.toExponential(3)],
          ["MFU / HFU", `${formatPercent(ttt.mfu)} / ${formatPercent(ttt.hfu)}`],
        ]),
        "(step-level throughput: failures, restarts and checkpoint stalls are not included)",
      );
    }
    if (rel) lines.push("", rel.text);
    return lines.join("\n");
  }
}

function collective(v: Values, f: CliFormat, json: boolean): string {
  const stray = Object.keys(RELIABILITY_OPTIONS).filter((k) => v[k] !== undefined);
  if (stray.length > 0) {
    throw new CliError(`${stray.map((k) => "--" + k).join(", ")}: sim train options only`);
  }
  const raw = v.bytes;
  const a = parseWith(CollectiveInputSchema, {
    op: v.op,
    algorithm: v.algorithm,
    bytes: typeof raw === "string" ? parseByteSize(raw) : undefined,
    ranks: num(v.gpus),
    ranksPerNode: num(v["gpus-per-node"]),
    cluster: v.cluster,
  }, FLAGS);
  const cl = solve(() => lookupCluster(a.cluster));
  const fit = fitOf(cl);
  const base: CollectiveInput = {
    op: a.op as CollectiveInput["op"],
    bytes: a.bytes,
    ranks: a.ranks,
    ranksPerNode: a.ranksPerNode ?? Math.min(a.ranks, cl.gpusPerNode),
    fit,
  };
  if (base.ranksPerNode! > cl.gpusPerNode) {
    throw new CliError(
      `--gpus-per-node ${base.ranksPerNode} exceeds ${cl.id}'s ${cl.gpusPerNode} GPUs per node`,
    );
  }
  const pick = solve(() =>
    collectiveTime({ ...base, algorithm: a.algorithm as CollectiveAlgorithm })
  );
  const all = (["ring", "tree", "nvls", "hierarchical"] as const).flatMap((alg) => {
    try {
      return [collectiveTime({ ...base, algorithm: alg })];
    } catch {
      return [];
    }
  }).filter((r, i, xs) => xs.findIndex((x) => x.algorithm === r.algorithm) === i);
  const row = (r: typeof pick) => ({
    algorithm: r.algorithm,
    time_ms: ms(r.timeS),
    algbw_bytes_per_s: r.algBw,
    busbw_bytes_per_s: r.busBw,
  });
  const out = {
    op: a.op,
    cluster: cl.id,
    bytes: a.bytes,
    gpus: a.ranks,
    gpus_per_node: base.ranksPerNode,
    nodes: pick.nodes,
    requested_algorithm: a.algorithm,
    ...row(pick),
    algorithms: all.map(row),
    fit_source: fit.source,
  };
  if (json) return jsonOut(out);
  return [
    `${a.op} of ${formatGiB(a.bytes, 3)} over ${a.ranks} GPUs (${pick.nodes} × ` +
    `${base.ranksPerNode} on ${cl.id})`,
    f.table(
      ["algorithm", "time", "algbw", "busbw", ""],
      all.map((r) => [
        r.algorithm,
        formatDuration(r.timeS),
        formatBandwidth(r.algBw),
        formatBandwidth(r.busBw),
        r.algorithm === pick.algorithm ? (a.algorithm === "auto" ? "← fastest" : "← chosen") : "",
      ]),
    ),
    `fit: ${fit.source}`,
  ].join("\n");
}

/** Run a training command, or return null when `argv` is not one. Throws CliError on bad usage. */
export function runTraining(argv: readonly string[], f: CliFormat): string | null {
  return runSubcommand(
    argv,
    TRAINING_COMMANDS,
    TRAINING_HELP,
    OPTIONS,
    (cmd, v, json) =>
      cmd === "train" ? train(v as Values, f, json) : collective(v as Values, f, json),
  );
}
