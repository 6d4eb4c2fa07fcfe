/**
 * The KV-cache memory wall, as `kv-cache-tax` and `llm-serving` both sweep it: the cache of
 * `batch` sequences of `seqLen` tokens against two budgets from `core/memoryBudget` —
 * vLLM's (runtime-visible memory × 0.90 − weights − activation profile − non-torch) and the naive
 * "all memory after the weights". A point is OOM when its cache exceeds vLLM's budget, which is
 * exactly `batch > maxUsers(…)`, so the chart, its table and the exercises agree.
 */
import {
  type BudgetResult,
  formatCount,
  formatGB,
  formatGiB,
  GB,
  kvCache,
  memoryBudget,
  type Precision,
} from "../../core/mod.ts";
import { type Chart, chart, COLORS } from "../../cells/mod.ts";

/** Powers of two from `from` to `to` (slider steps and sweep grids). */
export function powersOfTwo(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v *= 2) out.push(v);
  return out;
}
/** Context lengths the sweeps use: 512 … 131,072 tokens. */
export const CONTEXTS = powersOfTwo(512, 131072);
/** Batch sizes the sweeps use: 1 … 256 users. */
export const BATCHES = powersOfTwo(1, 256);
/** "4,096 tokens". */
export const tokens = (v: number): string => `${formatCount(v)} tokens`;
/** "8 users", "1 user". */
export const users = (v: number): string => `${formatCount(v)} user${v === 1 ? "" : "s"}`;

/** What the wall is computed for. */
export interface WallConfig {
  model: string;
  gpu: string;
  precision: Precision;
  kvPrecision: Precision;
}

/** The two KV budgets of a configuration. */
export interface WallBudgets {
  vllm: BudgetResult;
  all: BudgetResult;
}

/** vLLM's KV budget and the "all memory after weights" budget (bytes). */
export function wallBudgets(c: WallConfig): WallBudgets {
  return {
    vllm: memoryBudget({ ...c, reserve: "vllm" }),
    all: memoryBudget({ ...c, reserve: "none" }),
  };
}

/** Status of one sweep point. */
export type WallStatus = "fits" | "over vLLM's budget" | "over all memory";

/** One sweep point. */
export interface WallRow {
  [key: string]: number | string;
  batch: number;
  seqLen: number;
  kvBytes: number;
  kvGB: number;
  status: WallStatus;
}

/** Status of a cache of `kvBytes` against the budgets. */
export function wallStatus(kvBytes: number, b: WallBudgets): WallStatus {
  if (kvBytes <= b.vllm.kvBudgetBytes) return "fits";
  return kvBytes <= b.all.kvBudgetBytes ? "over vLLM's budget" : "over all memory";
}

/** The cache of each (batch, seqLen) point and its status. */
export function wallRows(
  c: WallConfig,
  b: WallBudgets,
  points: readonly { batch: number; seqLen: number }[],
): WallRow[] {
  return points.map(({ batch, seqLen }) => {
    const kvBytes = kvCache({ model: c.model, seqLen, batch, kvPrecision: c.kvPrecision })
      .totalBytes;
    return { batch, seqLen, kvBytes, kvGB: kvBytes / GB, status: wallStatus(kvBytes, b) };
  });
}

const STATUS_DOMAIN: WallStatus[] = ["fits", "over vLLM's budget", "over all memory"];
const STATUS_RANGE = [COLORS.GreenLine, COLORS.OrangeLine, COLORS.RedLine];

/** Options of {@link wallChart}. */
export interface WallChartOptions {
  /** Which field is swept on the x axis. */
  x: "batch" | "seqLen";
  /** The point the sliders select (drawn as a diamond). */
  marker: WallRow;
  description: string;
  testid?: string;
}

/**
 * KV-cache against the two budgets: the swept points coloured by status, the budgets as dashed
 * rules, the selected point as a diamond; log₂ x axis. "Show as table" lists every point.
 */
export function wallChart(rows: readonly WallRow[], b: WallBudgets, o: WallChartOptions): Chart {
  const title = o.x === "batch" ? "Concurrent users (batch)" : "Context length (tokens)";
  const x = {
    field: o.x,
    type: "quantitative" as const,
    title,
    scale: { type: "log" as const, base: 2 },
    axis: { labelExpr: "format(datum.value, ',')" },
  };
  const y = { field: "kvGB", type: "quantitative" as const, title: "KV-cache (GB = 10⁹ B)" };
  const vllm = {
    gb: b.vllm.kvBudgetBytes / GB,
    text: `vLLM KV budget ${formatGB(b.vllm.kvBudgetBytes)}`,
  };
  const all = {
    gb: b.all.kvBudgetBytes / GB,
    text: `all memory after weights ${formatGB(b.all.kvBudgetBytes)}`,
  };
  // vLLM's budget is always the lower rule (it also reserves headroom and activations): its label
  // goes below it and the other above, so the two never overlap however close the rules are.
  const label = (name: string, below: boolean) => ({
    data: { name },
    mark: {
      type: "text" as const,
      align: "left" as const,
      baseline: below ? "top" as const : "bottom" as const,
      dy: below ? 4 : -4,
      color: COLORS.TextSec,
    },
    encoding: {
      x: { value: 4 },
      y: { field: "gb", type: "quantitative" as const },
      text: { field: "text" },
    },
  });
  return chart({
    width: 560,
    height: 260,
    layer: [
      {
        data: { name: "table" },
        mark: { type: "line", color: COLORS.TextMuted },
        encoding: { x, y },
      },
      {
        data: { name: "table" },
        mark: { type: "point", filled: true, size: 70, tooltip: true },
        encoding: {
          x,
          y,
          color: {
            field: "status",
            type: "nominal",
            scale: { domain: STATUS_DOMAIN, range: STATUS_RANGE },
            legend: { title: null, orient: "bottom" },
          },
        },
      },
      {
        data: { name: "limits" },
        mark: { type: "rule", strokeDash: [6, 4], color: COLORS.TextSec },
        encoding: { y: { field: "gb", type: "quantitative" } },
      },
      label("limitAll", false),
      label("limitVllm", true),
      {
        data: { name: "marker" },
        mark: { type: "point", shape: "diamond", size: 220, filled: true, color: COLORS.Cloud },
        encoding: { x, y },
      },
    ],
  }, {
    data: {
      table: rows,
      limits: [vllm, all],
      limitAll: [all],
      limitVllm: [vllm],
      marker: [o.marker],
    },
    description: o.description,
    table: {
      dataset: "table",
      columns: [
        { field: "batch", title: "Batch", format: (v) => formatCount(v as number) },
        { field: "seqLen", title: "Context (tokens)", format: (v) => formatCount(v as number) },
        { field: "kvBytes", title: "KV-cache (GB)", format: (v) => formatGB(v as number) },
        { field: "kvBytes", title: "KV-cache (GiB)", format: (v) => formatGiB(v as number) },
        { field: "status", title: "Status" },
      ],
    },
    testid: o.testid,
  });
}
