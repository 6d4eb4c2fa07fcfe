/**
 * The scenario and the physics of lab v2-06 (Collective Communication), all from core/training:
 * data-parallel training of Llama-3.1-8B on AWS p6-b200 nodes (8 × B200, NVLink5 + NVSwitch,
 * 8 × 400 Gb/s EFA v4 per node — the system of the measured rows J5/J6), either inside one node
 * or across four. `collectiveTime` (α–β lines fitted to those rows) times the all-reduce,
 * `collectiveCrossovers` finds where algorithms swap places, `bucketedAllReduce` lays DDP's
 * gradient buckets against the backward pass, whose length comes from `trainStep`.
 *
 * Kept next to the lab so its test grades with the same functions.
 *
 * @module
 */
import {
  backwardShare,
  bucketedAllReduce,
  type BucketedAllReduceResult,
  busBwFactor,
  type CollectiveAlgorithm,
  collectiveCrossovers,
  type CollectiveFit,
  collectiveTime,
  fitOf,
  lookupCluster,
  lookupFabric,
  trainStep,
  type TrainStepResult,
} from "../../core/training/mod.ts";
import { bytesPerElement, lookupTransformer, paramCounts, type Precision } from "../../core/mod.ts";
import { BUSBW_ROWS } from "../../core/data/nccl-rows.ts";
import type { OptionModel } from "../../cells/mod.ts";

/** The two deployment contexts: one node, or four nodes over the network. */
export type Context = "node" | "cluster";
/** An explicit algorithm of collectiveTime. */
export type Algorithm = Exclude<CollectiveAlgorithm, "auto">;

/** A context's fixed scenario. */
export interface Scenario {
  /** GPUs taking part (all in one data-parallel group). */
  gpus: number;
  /** Algorithms drawn and offered in this context (NVLS needs one NVSwitch domain). */
  algorithms: readonly Algorithm[];
  /** Act I's GPU-count slider (its values). */
  gpuSteps: readonly number[];
  persona: string;
  role: string;
}

/** The cluster node type (core/data/clusters.ts) and the model (core/data/models.ts). */
export const CLUSTER_ID = "p6-b200";
export const MODEL_ID = "llama-3.1-8b";
/**
 * Gradient dtype on the wire by default: PyTorch DDP under autocast keeps fp32 parameters, so its
 * gradients (and buckets) are fp32; Megatron reduces its fp32 main grads the same way.
 */
export const DEFAULT_WIRE: Precision = "fp32";
/** Sequence length and recomputation of the training job (a Llama-3.1 pre-training shape). */
export const SEQ = 4096;
export const RECOMPUTE = "selective" as const;
/** PyTorch DDP's default `bucket_cap_mb` (25 MB, torch.nn.parallel.DistributedDataParallel). */
export const DEFAULT_BUCKET_BYTES = 25e6;
/**
 * Act II's budget: exposed communication at most 10 % of the step's compute, i.e. a data-parallel
 * scaling efficiency of at least ≈ 91 % (a scenario choice, the team's target).
 */
export const EXPOSED_BUDGET_SHARE = 0.1;

export const SCENARIOS: Readonly<Record<Context, Scenario>> = {
  node: {
    gpus: 8,
    // NCCL runs no tree inside one NVLink node: ring (LL) up to 1 MiB, NVLS from 2 MiB (row J2).
    algorithms: ["ring", "nvls"],
    gpuSteps: [2, 3, 4, 5, 6, 7, 8],
    persona: "Mei, ML engineer",
    role: "Fine-tuning on one 8-GPU node",
  },
  cluster: {
    gpus: 32,
    algorithms: ["ring", "tree", "hierarchical"],
    gpuSteps: [16, 32, 64, 128, 256, 512],
    persona: "Tomás, training-infra lead",
    role: "Pre-training across four nodes",
  },
};

/** Display names of the algorithms. */
export const ALGORITHM_NAMES: Readonly<Record<Algorithm, string>> = {
  ring: "Ring",
  tree: "Tree",
  nvls: "In-switch (NVLS)",
  hierarchical: "Hierarchical",
};

/** The cluster spec, its collective fit and its two fabrics. */
export const CLUSTER = lookupCluster(CLUSTER_ID);
export const FIT: CollectiveFit = fitOf(CLUSTER);
export const NVLINK = lookupFabric(CLUSTER.intra);
export const NIC = lookupFabric(CLUSTER.inter);
export const MODEL = lookupTransformer(MODEL_ID);
/** Parameters (all trainable) of the model. */
export const PARAMS = paramCounts(MODEL).total;

/** Gradient bytes all-reduced per step at a wire dtype. */
export function gradBytes(wire: Precision = DEFAULT_WIRE): number {
  return PARAMS * bytesPerElement(wire);
}

/** GPUs per node taking part at `gpus` GPUs. */
export function perNode(gpus: number): number {
  return Math.min(gpus, CLUSTER.gpusPerNode);
}

/** An all-reduce of `bytes` on `gpus` GPUs with one algorithm (core's collectiveTime). */
export function allReduceWith(bytes: number, gpus: number, algorithm: CollectiveAlgorithm) {
  return collectiveTime({
    op: "all-reduce",
    bytes,
    ranks: gpus,
    ranksPerNode: perNode(gpus),
    fit: FIT,
    algorithm,
  });
}

/** The algorithms that can run at `gpus` in a context (NVLS only where NCCL enables it). */
export function algorithmsAt(context: Context, gpus: number): Algorithm[] {
  return SCENARIOS[context].algorithms.filter((a) =>
    a !== "nvls" ||
    (FIT.nvls !== undefined && gpus >= FIT.nvls.minRanks && gpus <= CLUSTER.gpusPerNode)
  );
}

/** Act II's algorithm choice: one algorithm, or the fastest available (NCCL's tuner). */
export type AlgorithmChoice = Algorithm | "fastest";

/** The fastest of the context's algorithms for `bytes` on `gpus` (what NCCL's tuner picks). */
export function fastestAlgorithm(context: Context, bytes: number, gpus: number): Algorithm {
  const algs = algorithmsAt(context, gpus);
  let best = algs[0], t = Infinity;
  for (const a of algs) {
    const x = allReduceWith(bytes, gpus, a).timeS;
    if (x < t) [best, t] = [a, x];
  }
  return best;
}

/** An all-reduce with `choice` ("fastest": the context's fastest algorithm at that size). */
export function allReduce(
  context: Context,
  bytes: number,
  gpus: number,
  choice: AlgorithmChoice = "fastest",
) {
  const a = choice === "fastest" ? fastestAlgorithm(context, bytes, gpus) : choice;
  return allReduceWith(bytes, gpus, a);
}

/**
 * The anatomy of a ring all-reduce of `bytes` on `gpus`: a reduce-scatter (each GPU ends with the
 * sum of one 1/n shard) then an all-gather (every GPU collects every shard), each moving
 * (n − 1)/n · S per GPU — core's collectiveTime for each op, on the ring.
 */
export function ringAnatomy(bytes: number, gpus: number) {
  const one = (op: "reduce-scatter" | "all-gather" | "all-reduce") =>
    collectiveTime({
      op,
      bytes,
      ranks: gpus,
      ranksPerNode: perNode(gpus),
      fit: FIT,
      algorithm: "ring",
    });
  const rs = one("reduce-scatter"), ag = one("all-gather"), ar = one("all-reduce");
  return {
    reduceScatterS: rs.timeS,
    allGatherS: ag.timeS,
    allReduceS: ar.timeS,
    /** Bytes each GPU sends in one phase: (n − 1)/n · S. */
    perPhaseBytes: busBwFactor("reduce-scatter", gpus) * bytes,
  };
}

// ---- Act I -------------------------------------------------------------------------------------

/** Act I's physics: one all-reduce of the fp32 gradients on the context's GPUs (fastest algorithm). */
export function act1Result(context: Context) {
  return allReduce(context, gradBytes(), SCENARIOS[context].gpus);
}

/** Act I's answer in seconds. */
export function act1Answer(context: Context): number {
  return act1Result(context).timeS;
}

/** Act I's four mental models, each applied with core's numbers (link rates from the registry). */
export function act1Options(context: Context): OptionModel[] {
  const S = gradBytes(), n = SCENARIOS[context].gpus;
  const F = busBwFactor("all-reduce", n);
  const answer = act1Answer(context);
  if (context === "node") {
    return [
      {
        text: "Bytes ÷ the NVLink rate: S ÷ B_link",
        predicted: S / NVLINK.bytesPerS,
        why:
          "An all-reduce is a reduce-scatter and an all-gather: every byte leaves and enters each GPU about twice, 2(n − 1)/n · S.",
      },
      {
        text: "Every GPU sends its whole buffer to each other GPU: (n − 1) · S ÷ B_link",
        predicted: (n - 1) * S / NVLINK.bytesPerS,
        why:
          "That is the naive exchange. A ring (or the switch) splits the buffer into n chunks, so each GPU moves 2(n − 1)/n · S, not (n − 1) · S.",
      },
      {
        text:
          "Recursive doubling: log₂ n rounds, each exchanging the whole buffer: log₂ n · S ÷ B_link",
        predicted: Math.log2(n) * S / NVLINK.bytesPerS,
        why:
          "Recursive doubling has few rounds (good for small messages) but moves S per round; for large buffers the bandwidth-optimal algorithms move only ≈ 2S.",
      },
      {
        text:
          "The switch does the adding: each GPU sends S once and gets the sum once, at the switch's reduction rate: α + S ÷ B_NVLS",
        predicted: answer,
        why:
          "NVLink SHARP reduces inside the NVSwitch: each GPU sends its buffer once and receives the sum once, at the fitted rate of the measured rows.",
      },
    ];
  }
  return [
    {
      text: "Bytes ÷ the slowest link, the GPU's NIC: S ÷ B_NIC",
      predicted: S / NIC.bytesPerS,
      why:
        "This forgets the factor 2 of an all-reduce, and that only the ring's node-crossing edges use the NICs — every GPU's NIC at once, each carrying a share.",
    },
    {
      text: "The textbook ring through the NICs: 2(n − 1)/n · S ÷ B_NIC",
      predicted: F * S / NIC.bytesPerS,
      why:
        "Right for a ring with one GPU per node. With 8 GPUs per node most ring edges are NVLink; only k of the n edges cross the network, and NCCL runs one ring per NIC.",
    },
    {
      text: "As fast as inside one node: 2(n − 1)/n · S ÷ B_NVLink",
      predicted: F * S / NVLINK.bytesPerS,
      why:
        "The NVLink edges are fast, but every byte still crosses each node boundary: the NICs bind.",
    },
    {
      text:
        "Only the hops between nodes use a NIC: per GPU 2(k − 1)/n · S crosses it at the rate a NIC achieves, plus α",
      predicted: answer,
      why:
        "NCCL's rings pass through all k nodes; with one ring per NIC each GPU's NIC carries 2(k − 1)/n · S, at the 76 % of line rate measured on EFA (J6).",
    },
  ];
}

/** Message sizes the Act I chart is drawn at (bytes): 32 KiB … 64 GiB, 4 per octave. */
export const CHART_SIZES: readonly number[] = Array.from(
  { length: 4 * 21 + 1 },
  (_, i) => 32 * 1024 * 2 ** (i / 4),
);

/** One row of the Act I chart. */
export type CurveRow = {
  algorithm: string;
  mib: number;
  ms: number;
  busGBs: number;
};

/** Time of every algorithm of the context at `gpus` over the chart's sizes. */
export function curveRows(context: Context, gpus: number): CurveRow[] {
  const rows: CurveRow[] = [];
  for (const a of algorithmsAt(context, gpus)) {
    for (const S of CHART_SIZES) {
      const r = allReduceWith(S, gpus, a);
      rows.push({
        algorithm: ALGORITHM_NAMES[a],
        mib: S / 2 ** 20,
        ms: r.timeS * 1e3,
        busGBs: r.busBw / 1e9,
      });
    }
  }
  return rows;
}

/** A crossover for display. */
export type CrossRow = {
  mib: number;
  ms: number;
  text: string;
};

/**
 * Where the fastest algorithm changes at `gpus` (core's crossover solver on every pair, kept
 * only where the pair is the fastest there, i.e. on the lower envelope).
 */
export function envelopeCrossovers(context: Context, gpus: number): CrossRow[] {
  const algs = algorithmsAt(context, gpus);
  const lo = CHART_SIZES[0], hi = CHART_SIZES[CHART_SIZES.length - 1];
  const out: CrossRow[] = [];
  for (let i = 0; i < algs.length; i++) {
    for (let j = i + 1; j < algs.length; j++) {
      const xs = collectiveCrossovers({
        op: "all-reduce",
        ranks: gpus,
        ranksPerNode: perNode(gpus),
        fit: FIT,
        a: algs[i],
        b: algs[j],
        minBytes: lo,
        maxBytes: hi,
      });
      for (const x of xs) {
        const best = allReduce(context, x.bytes, gpus).timeS;
        if (x.timeS <= best * (1 + 1e-6)) {
          out.push({
            mib: x.bytes / 2 ** 20,
            ms: x.timeS * 1e3,
            text: `${ALGORITHM_NAMES[x.below]} → ${ALGORITHM_NAMES[x.above]}`,
          });
        }
      }
    }
  }
  return out.sort((a, b) => a.mib - b.mib);
}

/** A measured row for display: the same all-reduce's time from its bus bandwidth. */
export type MeasuredRow = {
  mib: number;
  ms: number;
  row: string;
};

/**
 * The measured rows (J5/J6) of this system at exactly `gpus` GPUs, as times (t = F·S / busbw,
 * the nccl-tests convention): one node of 8 B200, or the 4-node EFA run at 32.
 */
export function measuredRows(context: Context, gpus: number): MeasuredRow[] {
  const system = context === "node" ? "b200-nvlink5" : "b200-efa4";
  const F = busBwFactor("all-reduce", gpus);
  return BUSBW_ROWS.filter((r) =>
    r.system === system && r.ranks === gpus &&
    (context === "node" ? r.nodes === 1 : r.nodes === 4) &&
    // J6's 32 KiB row across nodes (0.01 GB/s, 6 ms) is a warm-up outlier, kept out of the dots.
    r.busBw > 0.05e9
  ).map((r) => ({
    mib: r.bytes / 2 ** 20,
    ms: F * r.bytes / r.busBw * 1e3,
    row: `${r.row}${r.algorithm ? ` (${r.algorithm === "nvls" ? "NVLS" : "ring"})` : ""}`,
  }));
}

// ---- Act II ------------------------------------------------------------------------------------

/** Act II's knobs. */
export interface Act2Setup {
  bucketBytes: number;
  algorithm: AlgorithmChoice;
  wire: Precision;
  overlap: boolean;
  /** Sequences per GPU per step (the per-GPU batch). */
  microBatch: number;
}

/** Act II's starting point: DDP's defaults. */
export const DEFAULT_SETUP: Act2Setup = {
  bucketBytes: DEFAULT_BUCKET_BYTES,
  algorithm: "fastest",
  wire: DEFAULT_WIRE,
  overlap: true,
  microBatch: 1,
};

/** The compute of one step at `microBatch` sequences per GPU (core's trainStep, DP only). */
export function stepCompute(context: Context, microBatch: number): {
  step: TrainStepResult;
  computeS: number;
  backwardS: number;
} {
  const gpus = SCENARIOS[context].gpus;
  const step = trainStep({
    model: MODEL_ID,
    cluster: CLUSTER_ID,
    tp: 1,
    pp: 1,
    dp: gpus,
    seq: SEQ,
    microBatch,
    globalBatch: microBatch * gpus,
    recompute: RECOMPUTE,
  });
  const computeS = step.breakdown.gemm + step.breakdown.elementwise;
  return { step, computeS, backwardS: computeS * backwardShare(RECOMPUTE) };
}

/** Everything Act II shows for a setup. */
export interface Act2Result {
  comm: BucketedAllReduceResult;
  computeS: number;
  backwardS: number;
  optimizerS: number;
  /** compute + exposed + optimizer. */
  stepS: number;
  budgetS: number;
  /** Exposed communication over the budget: the failure state. */
  over: boolean;
  /** One all-reduce of all gradients at once (the unbucketed reference). */
  wholeS: number;
  /** compute ÷ (compute + exposed). */
  efficiency: number;
}

/** Act II's physics for a setup. */
export function act2Result(context: Context, s: Act2Setup): Act2Result {
  const gpus = SCENARIOS[context].gpus;
  const { step, computeS, backwardS } = stepCompute(context, s.microBatch);
  const G = gradBytes(s.wire);
  const algorithm = s.algorithm === "fastest"
    ? fastestAlgorithm(context, Math.min(s.bucketBytes, G), gpus)
    : s.algorithm;
  const comm = bucketedAllReduce({
    gradBytes: G,
    bucketBytes: s.bucketBytes,
    backwardS,
    ranks: gpus,
    ranksPerNode: perNode(gpus),
    fit: FIT,
    algorithm,
    overlap: s.overlap,
  });
  const budgetS = EXPOSED_BUDGET_SHARE * computeS;
  const optimizerS = step.breakdown.optimizer;
  return {
    comm,
    computeS,
    backwardS,
    optimizerS,
    stepS: computeS + comm.exposedS + optimizerS,
    budgetS,
    over: comm.exposedS > budgetS,
    wholeS: allReduce(context, G, gpus, s.algorithm).timeS,
    efficiency: computeS / (computeS + comm.exposedS),
  };
}

/** Act II's question: the exposed share of one whole all-reduce, with DDP's defaults. */
export function act2Share(context: Context): number {
  const r = act2Result(context, DEFAULT_SETUP);
  return r.comm.exposedS / r.wholeS;
}

/** The bands of Act II's four options (shares of one whole all-reduce left exposed). */
export const ACT2_BANDS = [0.05, 0.5, 1] as const;

/** Act II's four outcomes; the correct one is the band core's exposed share falls in. */
export function act2Options(context: Context): OptionModel[] {
  const x = act2Share(context);
  const [a, b, c] = ACT2_BANDS;
  return [
    {
      text: `Overlap hides it: backward outlasts the all-reduce, so less than ${
        a * 100
      } % of it is left`,
      correct: x < a,
      why:
        "True when the buckets' total time (bandwidth plus one latency per bucket) fits inside the backward pass; only the last bucket's transfer sticks out.",
    },
    {
      text: `Overlap hides most of it; the last buckets stick out (${a * 100}–${b * 100} %)`,
      correct: x >= a && x < b,
      why: "The tail after backward is the last bucket(s) plus any queue the stream built up.",
    },
    {
      text: `Overlap hides little: the communication is longer than backward (${b * 100}–${
        c * 100
      } %)`,
      correct: x >= b && x < c,
      why:
        "When the stream is busy longer than backward, the excess is exposed whatever the buckets.",
    },
    {
      text: "Worse than no bucketing at all: more than one whole all-reduce stays exposed",
      correct: x >= c,
      why:
        "Every bucket pays the collective's latency α. Hundreds of small buckets on a high-latency network add up to more than the bandwidth they hide.",
    },
  ];
}

/** Exposed communication against bucket size for the current setup (the Act II curve). */
export function bucketCurve(context: Context, s: Act2Setup, sizes: readonly number[]) {
  return sizes.map((b) => {
    const r = act2Result(context, { ...s, bucketBytes: b });
    return { mb: b / 1e6, exposedMs: r.comm.exposedS * 1e3, commMs: r.comm.commS * 1e3 };
  });
}
