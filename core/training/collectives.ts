/**
 * Collectives on an α–β model fitted to measured bus bandwidths (nccl-tests convention, NVIDIA
 * nccl-tests `doc/PERFORMANCE.md`): `busbw = algbw · F`, algbw = S/t, with F = 2(n − 1)/n for
 * all-reduce, (n − 1)/n for all-gather, reduce-scatter and all-to-all, 1 for broadcast. A link
 * running at its bottleneck rate B then gives `t = α + F·S/B` for every algorithm that is
 * bandwidth-optimal (ring), so B is fitted as a bus bandwidth.
 *
 * Algorithms, n ranks, g per node, k = n/g nodes (reference/training.md §1.6):
 * - ring (one node): `t = min over NCCL protocols (LL, LL128 where fitted, Simple) of
 *   α_p·c + F·S/B_p`; latency scales with the 2(n − 1) ring steps relative to the 8-GPU fit,
 *   c = ½ for all-gather / reduce-scatter / all-to-all (half the steps of an all-reduce).
 * - tree (NCCL's: one tree per channel, a chain through the g GPUs of each node, a double binary
 *   tree across the k nodes; Sanders, Speck & Träff 2009 "Two-tree algorithms for full bandwidth
 *   broadcast, reduction and scan"; NCCL 2.4 release notes / blog "Massively scale your deep
 *   learning training with NCCL 2.4"). All-reduce = reduce up + broadcast down, pipelined:
 *   `t = 2(g − 1)·h + 2⌈log₂ k⌉·h_level + max(2S/B_intra, m·2S/(g·r))`, with h the intra-node hop
 *   (LL α / 2(fit ranks − 1)), h_level the inter-node level latency (fitted, collective-fits.ts), r the per-GPU NIC rate. The channels'
 *   trees use every NIC of a node (g·r), and the busiest node (interior in one tree, leaf in the
 *   other, each tree carrying S/2) sends and receives S per pass: m = 1, or ½ at k = 2 (one link
 *   per node). So the inter-node bandwidth term is k/(k − 1) of the ring's 2(k − 1)/k·S/(g·r):
 *   slightly below the ring ("ring linear latency and tree log latency with reduced BW", NCCL
 *   maintainer via S18), equal at 2 nodes. Broadcast is one pass (half of each term). Inside one
 *   node (k = 1) it is the chain alone, `2(g − 1)·h + 2S/B`: available on request, never picked by
 *   "auto" (NCCL runs ring or NVLS inside an NVLink node, J2). mlsysim's `2·log₂N·S/β` is the
 *   non-pipelined tree and overstates it log₂N-fold.
 * - nvls (NVLink SHARP, in-switch reduction, all-reduce only, n ≥ minRanks): each GPU sends and
 *   receives S once, `t = α + S/B_nvls`, so busbw = 2(n − 1)/n · B_nvls can exceed the wire rate
 *   (480 GB/s on 450 GB/s NVLink4, S18).
 * - multi-node ring (NCCL's rings through every node): the inter-node edge carries every rank's
 *   traffic, so the rate per GPU r gives busbw = r·(n − 1)/(k − 1) (S18's derivation) and
 *   `t = α_inter + max(F·S/B_intra, F·S·(k − 1)/((n − 1)·r))`.
 * - hierarchical (textbook, mlsysim's fixed form): intra-node reduce-scatter, inter-node ring
 *   all-reduce of S/g, intra-node all-gather, run one after another (no pipelining):
 *   `2(g − 1)/g·S/B_intra + 2(k − 1)/k·(S/g)/r + latencies`.
 * - all-to-all across nodes: each rank sends (n − g)/n of its buffer through its NIC,
 *   `t = α + max((g − 1)/n·S/B_intra, (n − g)/n·S/r)`.
 * Fully connected point-to-point nodes (MI300X Infinity Fabric) have B = (n − 1)·link rate.
 *
 * @module
 */

/** A collective operation. */
export type CollectiveOp =
  | "all-reduce"
  | "all-gather"
  | "reduce-scatter"
  | "all-to-all"
  | "broadcast";
/** Every collective operation. */
export const COLLECTIVE_OPS: readonly CollectiveOp[] = [
  "all-reduce",
  "all-gather",
  "reduce-scatter",
  "all-to-all",
  "broadcast",
];
/**
 * An algorithm; "auto" picks the fastest available (as NCCL's tuner does), except the tree
 * inside one node (NCCL does not run it there).
 */
export type CollectiveAlgorithm = "ring" | "tree" | "nvls" | "hierarchical" | "auto";
/** Every explicit algorithm. */
export const COLLECTIVE_ALGORITHMS: readonly CollectiveAlgorithm[] = [
  "ring",
  "tree",
  "nvls",
  "hierarchical",
  "auto",
];

/** One protocol's line `t = α + F·S/busBw`, fitted at `ranks` GPUs. */
export interface ProtocolLine {
  alpha: number;
  busBw: number;
}

/** A fitted scale-up domain (one node) and, optionally, its scale-out network. */
export interface CollectiveFit {
  /** GPUs in the node the intra-node lines were measured on. */
  ranks: number;
  /** Low-latency protocol (small messages). */
  ll: ProtocolLine;
  /** LL128 protocol (mid-size messages on NVLink), where rows measure it. */
  ll128?: ProtocolLine;
  /** Simple protocol (large messages, the asymptotic bus bandwidth). */
  simple: ProtocolLine;
  /** In-switch reduction (NVLS): α, per-GPU algorithm bandwidth, smallest n NCCL enables it. */
  nvls?: { alpha: number; algBw: number; minRanks: number };
  /** Point-to-point full mesh: the bus bandwidths are per link, times (n − 1). */
  fullMesh?: boolean;
  /** Scale-out: effective per-GPU inter-node rate r (bytes/s) and the collective's α. */
  inter?: {
    perGpuBw: number;
    alpha: number;
    hopLatency: number;
    /** Latency of one inter-node level of the tree, per pass (default hopLatency). */
    treeLevelLatency?: number;
  };
  /** Where each number comes from. */
  source: string;
}

/** Input of {@link collectiveTime}. */
export interface CollectiveInput {
  op: CollectiveOp;
  /** S: the full buffer (all-reduce input; all-gather output; reduce-scatter input). */
  bytes: number;
  ranks: number;
  /** GPUs per node taking part (default min(ranks, fit.ranks)). */
  ranksPerNode?: number;
  fit: CollectiveFit;
  algorithm?: CollectiveAlgorithm;
}

/** Result of {@link collectiveTime}. */
export interface CollectiveResult {
  timeS: number;
  /** The algorithm that produced timeS. */
  algorithm: Exclude<CollectiveAlgorithm, "auto">;
  /** S / t. */
  algBw: number;
  /** algBw · F (nccl-tests convention). */
  busBw: number;
  nodes: number;
}

/** nccl-tests bus-bandwidth factor F of `op` at n ranks. */
export function busBwFactor(op: CollectiveOp, n: number): number {
  if (n <= 1) return 0;
  if (op === "all-reduce") return 2 * (n - 1) / n;
  if (op === "broadcast") return 1;
  return (n - 1) / n;
}

function latencyScale(op: CollectiveOp): number {
  return op === "all-reduce" ? 1 : 0.5;
}

function intraBw(line: ProtocolLine, fit: CollectiveFit, n: number): number {
  return fit.fullMesh ? line.busBw * (n - 1) : line.busBw;
}

function ringSingle(op: CollectiveOp, S: number, n: number, fit: CollectiveFit): number {
  const F = busBwFactor(op, n), steps = (n - 1) / (fit.ranks - 1), c = latencyScale(op);
  return Math.min(
    ...[fit.ll, fit.ll128, fit.simple].filter((p) => p !== undefined)
      .map((p) => p.alpha * c * steps + F * S / intraBw(p, fit, n)),
  );
}

function hopLatency(fit: CollectiveFit): number {
  return fit.ll.alpha / (2 * (fit.ranks - 1));
}

function treeTime(
  op: CollectiveOp,
  S: number,
  g: number,
  k: number,
  fit: CollectiveFit,
): number {
  // All-reduce = reduce up + broadcast down (two passes); broadcast is one pass.
  const passes = op === "all-reduce" ? 2 : 1;
  const interHop = k > 1 ? fit.inter!.treeLevelLatency ?? fit.inter!.hopLatency : 0;
  const latency = passes * ((g - 1) * hopLatency(fit) + Math.ceil(Math.log2(k)) * interHop);
  const intra = g > 1 ? passes * S / intraBw(fit.simple, fit, g) : 0;
  // Busiest node of the double binary tree: an interior node (two children) in one tree, a
  // leaf in the other, each tree carrying S/2: S per pass; at k = 2 each node has one link, S/2.
  const inter = k > 1 ? passes * S * (k === 2 ? 0.5 : 1) / (g * fit.inter!.perGpuBw) : 0;
  return latency + Math.max(intra, inter);
}

/** Time of one collective (formulas in the module doc). Zero for one rank or zero bytes. */
export function collectiveTime(input: CollectiveInput): CollectiveResult {
  const { op, fit } = input, n = input.ranks, S = input.bytes;
  const g = Math.max(1, Math.min(input.ranksPerNode ?? Math.min(n, fit.ranks), n));
  const k = Math.ceil(n / g);
  const wanted = input.algorithm ?? "auto";
  const F = busBwFactor(op, n);
  if (n <= 1 || S <= 0) {
    return {
      timeS: 0,
      algorithm: wanted === "auto" ? "ring" : wanted,
      algBw: Infinity,
      busBw: Infinity,
      nodes: k,
    };
  }
  // `auto: false`: available on request, never picked by "auto" (NCCL's tuner does not).
  const cands: { algorithm: Exclude<CollectiveAlgorithm, "auto">; t: number; auto?: false }[] = [];
  if (k === 1) {
    cands.push({ algorithm: "ring", t: ringSingle(op, S, n, fit) });
    if (op === "all-reduce" || op === "broadcast") {
      cands.push({ algorithm: "tree", t: treeTime(op, S, n, 1, fit), auto: false });
    }
    if (op === "all-reduce" && fit.nvls && (wanted === "nvls" || n >= fit.nvls.minRanks)) {
      cands.push({ algorithm: "nvls", t: fit.nvls.alpha + S / fit.nvls.algBw });
    }
  } else {
    if (!fit.inter) {
      throw new RangeError(`the collective fit has no scale-out network: ${fit.source}`);
    }
    const r = fit.inter.perGpuBw, c = latencyScale(op);
    const intra = g > 1 ? F * S / intraBw(fit.simple, fit, g) : 0;
    if (op === "all-to-all") {
      const t = fit.inter.alpha * c +
        Math.max((g - 1) / n * S / intraBw(fit.simple, fit, g), (n - g) / n * S / r);
      cands.push({ algorithm: "ring", t });
    } else {
      const inter = F * S * (k - 1) / ((n - 1) * r);
      cands.push({ algorithm: "ring", t: fit.inter.alpha * c + Math.max(intra, inter) });
      if (op === "all-reduce") {
        const gIntra = g > 1
          ? ringSingle("reduce-scatter", S, g, fit) + ringSingle("all-gather", S, g, fit)
          : 0;
        const hier = gIntra + fit.inter.alpha + 2 * (k - 1) / k * (S / g) / r;
        cands.push({ algorithm: "hierarchical", t: hier });
        cands.push({ algorithm: "tree", t: treeTime(op, S, g, k, fit) });
      }
    }
  }
  const pick = wanted === "auto"
    ? cands.filter((c) => c.auto !== false).reduce((a, b) => (b.t < a.t ? b : a))
    : cands.find((c) => c.algorithm === wanted);
  if (!pick) {
    throw new RangeError(
      `algorithm "${wanted}" is not available for ${op} on ${n} ranks over ${k} node(s); ` +
        `available: ${cands.map((c) => c.algorithm).join(", ")}`,
    );
  }
  const algBw = S / pick.t;
  return { timeS: pick.t, algorithm: pick.algorithm, algBw, busBw: algBw * F, nodes: k };
}

/**
 * Least-squares fit of `t = α + c·S` minimising the relative error Σ(1 − t̂/t)² (weights 1/t²),
 * used to derive every collective constant from measured rows. Returns α and the slope c.
 */
export function fitAlphaBeta(points: readonly { bytes: number; timeS: number }[]): {
  alpha: number;
  slope: number;
} {
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const p of points) {
    const w = 1 / (p.timeS * p.timeS);
    sw += w;
    sx += w * p.bytes;
    sy += w * p.timeS;
    sxx += w * p.bytes * p.bytes;
    sxy += w * p.bytes * p.timeS;
  }
  const det = sw * sxx - sx * sx;
  const slope = (sw * sxy - sx * sy) / det;
  const alpha = (sy - slope * sx) / sw;
  return { alpha: Math.max(0, alpha), slope };
}
