/**
 * Replica count for a total request rate and a P99 latency target.
 *
 * Requests are spread at random over `r` identical replicas, so each sees Poisson traffic at
 * `qps / r` (thinning a Poisson stream keeps it Poisson; join-shortest-queue would do better,
 * so this is the conservative plan). P99 at a replica rises with its load (replica.ts), so the
 * plan is: find the largest per-replica load `λ*` whose P99 meets the target, by bisection on
 * [0, λ_max) with a fixed number of halvings, then `r = ⌈qps / λ*⌉`.
 *
 * Monotone by construction: `r` never falls as `qps` rises (a ceiling of qps over a constant),
 * and never rises as the target loosens (for every λ the test "P99(λ) ≤ target" can only turn
 * from false to true as the target grows, and bisection over the same interval keeps that
 * order). tests/core/fleet/replicas.test.ts checks both with fast-check.
 *
 * @module
 */
import { decodeStepTime, type Prepared } from "../engine.ts";
import {
  prefillWithCache,
  type ReplicaLatency,
  replicaLatency,
  type ReplicaLoad,
} from "./replica.ts";
import { defaultKvTokens } from "./replica.ts";

/** Which latency the target applies to. */
export type SloMetric = "e2e" | "ttft";

/** Options of {@link replicasFor}. */
export interface ReplicasInput extends Omit<ReplicaLoad, "qps"> {
  /** Total arrival rate, requests/s. */
  qps: number;
  /** P99 target, seconds. */
  sloP99S: number;
  /** Default "e2e". */
  metric?: SloMetric;
}

/** Result of {@link replicasFor}. */
export interface ReplicasResult {
  /** Replicas needed (Infinity when no count meets the target). */
  replicas: number;
  /** Largest per-replica load meeting the target, requests/s (0 if none). */
  maxQpsPerReplica: number;
  /** Load per replica with that many replicas. */
  qpsPerReplica: number;
  /** The replica at that load (null when infeasible). */
  atPlan: ReplicaLatency | null;
  /** Unloaded P99 of one request: the floor no replica count can beat. */
  floorP99S: number;
  feasible: boolean;
  /**
   * "capacity" when not one request fits in a replica's KV cache, "latency" when even an idle
   * replica misses the target, else "queueing".
   */
  bound: "capacity" | "latency" | "queueing";
}

/** Halvings of the load interval (2⁻⁴⁰ of λ_max: far below any meaningful rate). */
const HALVINGS = 40;

function p99(r: ReplicaLatency, metric: SloMetric): number {
  return metric === "ttft" ? r.ttft.p99S : r.e2e.p99S;
}

/** Replicas for `o.qps` at P99 ≤ `o.sloP99S` (method in the module doc). */
export function replicasFor(p: Prepared, o: ReplicasInput): ReplicasResult {
  const metric = o.metric ?? "e2e";
  const load: ReplicaLoad = { ...o, kvTokens: o.kvTokens ?? defaultKvTokens(p) };
  // No replica is stable above c / S(1): service only lengthens with load; prefills alone cap
  // the rate at 1 / t_pf.
  const c = Math.min(o.maxBatch ?? 256, Math.floor(load.kvTokens! / (o.prompt + o.output + 8)));
  const tpf = prefillWithCache(p, o.prompt, o.prefixHitRate ?? 0);
  const s1 = tpf + (o.output - 1) * decodeStepTime(p, 1, o.prompt).time;
  const hi0 = c >= 1 ? Math.min(c / s1, 1 / tpf) : 0;
  const floor = c >= 1
    ? p99(replicaLatency(p, { ...load, qps: hi0 * 2 ** -HALVINGS }), metric)
    : Infinity;
  let lo = 0, hi = hi0;
  for (let i = 0; i < HALVINGS && hi0 > 0; i++) {
    const m = 0.5 * (lo + hi);
    if (p99(replicaLatency(p, { ...load, qps: m }), metric) <= o.sloP99S) lo = m;
    else hi = m;
  }
  if (!(lo > 0)) {
    return {
      replicas: Infinity,
      maxQpsPerReplica: 0,
      qpsPerReplica: 0,
      atPlan: null,
      floorP99S: floor,
      feasible: false,
      bound: c >= 1 ? "latency" : "capacity",
    };
  }
  const replicas = Math.max(1, Math.ceil(o.qps / lo));
  const per = o.qps / replicas;
  return {
    replicas,
    maxQpsPerReplica: lo,
    qpsPerReplica: per,
    atPlan: replicaLatency(p, { ...load, qps: per }),
    floorP99S: floor,
    feasible: true,
    bound: "queueing",
  };
}
