/**
 * Serving cost: $/GPU-hour in, $/hour, $/1M output tokens and the crossover of two plans out.
 *
 * - A plan serves `qps` with `r = ⌈qps / q_r⌉` replicas of `g` GPUs each, `q_r` the most load a
 *   replica takes within the latency target (replicas.ts): `$/h = fixed + r·g·price`.
 * - `$/1M tokens = $/h / (tokens/s · 3600) · 10⁶` with tokens/s = qps × output tokens.
 * - Crossover: both plans' $/h are step functions of qps that change only at multiples of their
 *   `q_r`, so comparing them just above every such breakpoint up to `qpsMax` finds every range
 *   where one is cheaper, exactly. The fluid crossover (replicas not rounded up) is
 *   `q* = (fixed_B − fixed_A) / (slope_A − slope_B)`, slope = g·price / q_r.
 *
 * Default prices are on-demand list prices, which move month to month: pass your own.
 *
 * @module
 */
import { asGpu } from "../registry.ts";
import type { GpuSpec } from "../types.ts";

/** A sourced on-demand price. */
export interface GpuPrice {
  usdPerGpuHour: number;
  source: string;
}

const MERCATUS =
  "mercatus-ai.com 'Cloud GPU pricing' (May 2026), specialty-cloud on-demand range, midpoint";

/** Default $/GPU-hour by GPU id (midpoints of the cited ranges). */
export const GPU_HOUR_PRICES: Readonly<Record<string, GpuPrice>> = {
  "h100-sxm": { usdPerGpuHour: 3.0, source: `${MERCATUS}: $2.50–3.50` },
  "h200": { usdPerGpuHour: 4.0, source: `${MERCATUS}: $3.50–4.50` },
  "a100-80gb": { usdPerGpuHour: 1.3, source: `${MERCATUS}: $1.10–1.50` },
};

/** No default price for a GPU. */
export class MissingPriceError extends Error {
  constructor(gpu: string) {
    super(
      `no default $/GPU-hour for "${gpu}" (defaults: ${
        Object.keys(GPU_HOUR_PRICES).join(", ")
      }); ` +
        "pass the price you pay (--usd-per-gpu-hour)",
    );
    this.name = "MissingPriceError";
  }
}

/** The default price of `gpu`, or throw {@link MissingPriceError}. */
export function gpuHourPrice(gpu: GpuSpec | string): GpuPrice {
  const g = asGpu(gpu);
  const p = GPU_HOUR_PRICES[g.id];
  if (!p) throw new MissingPriceError(g.id);
  return p;
}

/** $ per million tokens for `gpus` GPUs at `usdPerGpuHour` producing `tokensPerS`. */
export function usdPerMillionTokens(
  usdPerGpuHour: number,
  gpus: number,
  tokensPerS: number,
): number {
  return usdPerGpuHour * gpus / (tokensPerS * 3600) * 1e6;
}

/** A deployment plan. */
export interface CostPlan {
  name: string;
  usdPerGpuHour: number;
  gpusPerReplica: number;
  /** Most requests/s one replica serves within the target. */
  maxQpsPerReplica: number;
  /** Cost that does not scale with replicas, $/h (default 0). */
  fixedUsdPerHour?: number;
}

/** Cost of a plan at one load. */
export interface PlanCost {
  replicas: number;
  gpus: number;
  usdPerHour: number;
  /** Null at zero load. */
  usdPerMillionTokens: number | null;
}

/** Cost of `plan` serving `qps` requests/s of `outputTokens` tokens each. */
export function planCost(plan: CostPlan, qps: number, outputTokens: number): PlanCost {
  const replicas = qps > 0 ? Math.ceil(qps / plan.maxQpsPerReplica) : 0;
  const gpus = replicas * plan.gpusPerReplica;
  const usdPerHour = (plan.fixedUsdPerHour ?? 0) + gpus * plan.usdPerGpuHour;
  const tps = qps * outputTokens;
  return {
    replicas,
    gpus,
    usdPerHour,
    usdPerMillionTokens: tps > 0 ? usdPerHour / (tps * 3600) * 1e6 : null,
  };
}

/** A load range over which one plan is cheaper (or they tie). */
export interface CostSegment {
  fromQps: number;
  toQps: number;
  cheaper: "a" | "b" | "tie";
}

/** Result of {@link costCrossover}. */
export interface CostCrossover {
  segments: CostSegment[];
  /** Loads where the cheaper plan changes. */
  crossoversQps: number[];
  /** Crossover with fractional replicas (null when the lines do not cross at a positive load). */
  fluidCrossoverQps: number | null;
}

/** Where plans `a` and `b` swap places as the cheaper one, for loads in (0, qpsMax]. */
export function costCrossover(a: CostPlan, b: CostPlan, qpsMax: number): CostCrossover {
  const points = new Set<number>([qpsMax]);
  for (const p of [a, b]) {
    for (let k = 1; k * p.maxQpsPerReplica < qpsMax; k++) points.add(k * p.maxQpsPerReplica);
  }
  const edges = [0, ...[...points].sort((x, y) => x - y)];
  const segments: CostSegment[] = [];
  for (let i = 1; i < edges.length; i++) {
    // Cost is constant on (edges[i-1], edges[i]]: evaluate at the right end.
    const q = edges[i];
    const ca = planCost(a, q, 1).usdPerHour, cb = planCost(b, q, 1).usdPerHour;
    const cheaper = Math.abs(ca - cb) <= 1e-9 * Math.max(ca, cb) ? "tie" : ca < cb ? "a" : "b";
    const last = segments[segments.length - 1];
    if (last && last.cheaper === cheaper) last.toQps = q;
    else segments.push({ fromQps: edges[i - 1], toQps: q, cheaper });
  }
  const crossoversQps = segments.slice(1).map((s) => s.fromQps);
  const slope = (p: CostPlan) => p.gpusPerReplica * p.usdPerGpuHour / p.maxQpsPerReplica;
  const ds = slope(a) - slope(b);
  const q = ds !== 0 ? ((b.fixedUsdPerHour ?? 0) - (a.fixedUsdPerHour ?? 0)) / ds : NaN;
  return { segments, crossoversQps, fluidCrossoverQps: q > 0 ? q : null };
}
