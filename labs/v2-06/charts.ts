/**
 * The instruments of lab v2-06: all-reduce time against message size per algorithm (with the
 * measured rows and the crossovers), exposed communication against bucket size, and the step's
 * timeline (backward pass and the communication stream). Each keeps its spec's structure fixed
 * and moves only the data, so the live view updates in place.
 *
 * @module
 */
import { chart, COLORS } from "../../cells/mod.ts";
import { formatBytes, formatDuration, formatGB, formatNumber } from "../../core/mod.ts";
import type { BucketedAllReduceResult } from "../../core/training/mod.ts";
import { ALGORITHM_NAMES, type CrossRow, type CurveRow, type MeasuredRow } from "./scenario.ts";

type Spec = Parameters<typeof chart>[0];

/** One colour per algorithm, the same in every context. */
const ALG_COLOR: Record<string, string> = {
  [ALGORITHM_NAMES.ring]: COLORS.BlueLine,
  [ALGORITHM_NAMES.tree]: COLORS.OrangeLine,
  [ALGORITHM_NAMES.nvls]: COLORS.GreenLine,
  [ALGORITHM_NAMES.hierarchical]: COLORS.RedLine,
};

/** MiB as a short size ("32 KiB", "16 GiB"). */
const size = (mib: number) => formatBytes(mib * 2 ** 20, { unit: "auto-iec", digits: 1 });

/** All-reduce time against message size: one line per algorithm, measured dots, crossovers, S. */
export function algorithmChart(
  rows: CurveRow[],
  crossings: CrossRow[],
  measured: MeasuredRow[],
  grad: { mib: number; ms: number; label: string; bytes: number },
  o: { gpus: number; algorithms: readonly string[]; testid: string },
): ReturnType<typeof chart> {
  const x = {
    field: "mib",
    type: "quantitative",
    title: "Message size (MiB, log)",
    scale: { type: "log" },
  };
  const y = {
    field: "ms",
    type: "quantitative",
    title: "All-reduce time (ms, log)",
    scale: { type: "log" },
  };
  const spec = {
    width: "container",
    height: 280,
    layer: [
      {
        data: { name: "curves" },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: {
            field: "algorithm",
            type: "nominal",
            title: null,
            scale: { domain: o.algorithms, range: o.algorithms.map((a) => ALG_COLOR[a]) },
            legend: { orient: "top" },
          },
        },
      },
      {
        data: { name: "cross" },
        mark: { type: "rule", strokeDash: [4, 3], color: COLORS.TextMuted },
        encoding: { x: { field: "mib", type: "quantitative" } },
      },
      {
        data: { name: "cross" },
        mark: { type: "text", align: "left", dx: 4, dy: -6, fontSize: 11, angle: 0 },
        encoding: {
          x: { field: "mib", type: "quantitative" },
          y: { field: "ms", type: "quantitative" },
          text: { field: "text" },
        },
      },
      {
        data: { name: "measured" },
        mark: { type: "point", shape: "diamond", filled: true, size: 70, color: COLORS.TextSec },
        encoding: {
          x: { field: "mib", type: "quantitative" },
          y: { field: "ms", type: "quantitative" },
          tooltip: [{ field: "row" }, { field: "mib" }, { field: "ms" }],
        },
      },
      {
        data: { name: "grad" },
        mark: { type: "point", filled: true, size: 150, color: COLORS.RedLine },
        encoding: {
          x: { field: "mib", type: "quantitative" },
          y: { field: "ms", type: "quantitative" },
        },
      },
      {
        data: { name: "grad" },
        mark: { type: "text", align: "right", dx: -8, dy: -8, fontSize: 11 },
        encoding: {
          x: { field: "mib", type: "quantitative" },
          y: { field: "ms", type: "quantitative" },
          text: { field: "label" },
        },
      },
    ],
  } as unknown as Spec;
  const cross = crossings.length
    ? crossings.map((c) => `${c.text} at ${size(c.mib)}`).join("; ")
    : "one algorithm is fastest at every size";
  return chart(spec, {
    data: { curves: rows, cross: crossings, measured, grad: [grad] },
    description: `All-reduce time on ${o.gpus} GPUs against message size, one line per algorithm ` +
      `(core's α–β fits). Crossovers: ${cross}. ${
        measured.length
          ? `Grey diamonds: ${measured.length} measured rows at this GPU count.`
          : "No measured rows at this GPU count."
      } Red dot: the step's gradients, ${formatGB(grad.bytes, 2)} in ${
        formatDuration(grad.ms / 1e3, 1)
      }.`,
    table: { dataset: "cross", columns: ["text", "mib", "ms"] },
    testid: o.testid,
  });
}

/** Exposed communication against bucket size, with the budget and the current bucket. */
export function bucketChart(
  curve: { mb: number; exposedMs: number; commMs: number }[],
  point: { mb: number; exposedMs: number },
  budgetMs: number,
  testid: string,
): ReturnType<typeof chart> {
  // A log axis needs positive values: a fully hidden point is drawn at 1 µs.
  const floor = 1e-3;
  const rows = curve.flatMap((c) => [
    { mb: c.mb, ms: Math.max(floor, c.exposedMs), series: "Exposed after backward" },
    { mb: c.mb, ms: Math.max(floor, c.commMs), series: "Stream busy (all buckets)" },
  ]);
  const x = {
    field: "mb",
    type: "quantitative",
    title: "Bucket size (MB, log)",
    scale: { type: "log" },
  };
  const spec = {
    width: "container",
    height: 240,
    layer: [
      {
        data: { name: "curve" },
        mark: { type: "line", strokeWidth: 2, point: true },
        encoding: {
          x,
          y: {
            field: "ms",
            type: "quantitative",
            title: "Time (ms, log)",
            scale: { type: "log" },
          },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            scale: {
              domain: ["Exposed after backward", "Stream busy (all buckets)", "Budget"],
              range: [COLORS.RedLine, COLORS.BlueLine, COLORS.OrangeLine],
            },
            legend: { orient: "top" },
          },
        },
      },
      {
        data: { name: "budget" },
        mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 2, color: COLORS.OrangeLine },
        encoding: { y: { field: "ms", type: "quantitative" } },
      },
      {
        data: { name: "point" },
        mark: { type: "point", filled: true, size: 160, color: COLORS.RedLine },
        encoding: {
          x: { field: "mb", type: "quantitative" },
          y: { field: "ms", type: "quantitative" },
        },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: {
      curve: rows,
      budget: [{ ms: budgetMs }],
      point: [{ mb: point.mb, ms: Math.max(floor, point.exposedMs) }],
    },
    description: `Exposed communication against bucket size: at ${
      formatNumber(point.mb, 0)
    } MB the step waits ${formatDuration(point.exposedMs / 1e3, 1)} after backward; the budget is ${
      formatDuration(budgetMs / 1e3, 1)
    } (dashed line).`,
    table: { dataset: "curve", columns: ["series", "mb", "ms"] },
    testid,
  });
}

const LANES = ["Backward pass", "All-reduce stream"];

/** The step's timeline: backward pass, the all-reduce stream's busy intervals, the exposed tail. */
export function timelineChart(
  r: { backwardS: number; comm: BucketedAllReduceResult },
  testid: string,
): ReturnType<typeof chart> {
  const T = r.backwardS * 1e3;
  const bars = [
    { lane: "Backward pass", from: 0, to: T, kind: "Compute" },
    ...r.comm.busy.map((b) => ({
      lane: "All-reduce stream",
      from: b.startS * 1e3,
      to: b.endS * 1e3,
      kind: "Communication",
    })),
  ];
  const end = Math.max(T, ...r.comm.busy.map((b) => b.endS * 1e3));
  const exposed = end > T ? [{ lane: "All-reduce stream", from: T, to: end, kind: "Exposed" }] : [];
  const spec = {
    width: "container",
    height: 110,
    layer: [
      {
        data: { name: "bars" },
        mark: { type: "bar", height: 22 },
        encoding: {
          y: {
            field: "lane",
            type: "nominal",
            title: null,
            sort: LANES,
          },
          x: { field: "from", type: "quantitative", title: "Time from the start of backward (ms)" },
          x2: { field: "to" },
          color: {
            field: "kind",
            type: "nominal",
            title: null,
            scale: {
              domain: ["Compute", "Communication", "Exposed"],
              range: [COLORS.GreenLine, COLORS.BlueLine, COLORS.RedLine],
            },
            legend: { orient: "top" },
          },
        },
      },
      {
        data: { name: "exposed" },
        mark: { type: "bar", height: 8, yOffset: 15 },
        encoding: {
          y: { field: "lane", type: "nominal", sort: LANES },
          x: { field: "from", type: "quantitative" },
          x2: { field: "to" },
          color: { field: "kind", type: "nominal" },
        },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: { bars, exposed },
    description: `Backward takes ${
      formatDuration(r.backwardS, 1)
    }; the all-reduce stream runs ${r.comm.buckets} buckets and finishes ${
      end > T ? `${formatDuration((end - T) / 1e3, 1)} after backward` : "before backward ends"
    }.`,
    // A table, also because a chart with `table: false` keeps its first caption in the live page.
    table: { dataset: "bars", columns: ["lane", "from", "to"], maxRows: 50 },
    testid,
  });
}
