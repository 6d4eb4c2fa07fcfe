/**
 * The roofline chart of lab v1-11: log-log attainable TFLOP/s against arithmetic intensity for one
 * accelerator at one precision, its ridge point, the workload's point (coloured by the bound that
 * binds) and, optionally, the MFU target as a horizontal line. Data only changes between updates,
 * so the Vega view moves the point in place.
 */
import { type Chart, chart, COLORS } from "../../cells/mod.ts";
import { formatCount, formatNumber, formatPercent, formatTflops } from "../../core/mod.ts";
import type { GemmPoint } from "./scenario.ts";

/** Intensities the roof is drawn over: 10⁰ … 10⁵ FLOP/byte (every slider setting falls inside). */
const AI_GRID = Array.from({ length: 41 }, (_, i) => 10 ** (i / 8));
const TERA = 1e12;

/** The roof's rows: min(peak, BW × AI) in TFLOP/s, with the ridge itself as a vertex. */
export function roofRows(p: GemmPoint): Array<{ ai: number; tflops: number }> {
  const bw = p.peak / p.ridge;
  return [...AI_GRID, p.ridge].sort((a, b) => a - b)
    .map((ai) => ({ ai, tflops: Math.min(p.peak, bw * ai) / TERA }));
}

const REGIME = {
  domain: ["memory-bound", "compute-bound"],
  range: [COLORS.RedLine, COLORS.GreenLine],
};
const X = { field: "ai", type: "quantitative" } as const;
const Y = { field: "tflops", type: "quantitative" } as const;

/** The chart for `p`; `target` is an MFU (a fraction of peak) drawn as a dashed line. */
export function rooflineChart(p: GemmPoint, opts: { target?: number; testid: string }): Chart {
  const regime = p.bound === "compute" ? "compute-bound" : "memory-bound";
  const point = {
    ai: p.ai,
    tflops: p.attainable / TERA,
    regime,
    label: `N = ${formatCount(p.n)}`,
    mfu: formatPercent(p.mfu, 1),
  };
  const layers: unknown[] = [
    {
      data: { name: "roof" },
      mark: { type: "line", color: COLORS.BlueLine, strokeWidth: 2.5 },
      encoding: {
        x: { ...X, scale: { type: "log" }, title: "Arithmetic intensity (FLOP/byte)" },
        y: { ...Y, scale: { type: "log" }, title: "Attainable TFLOP/s" },
      },
    },
    {
      data: { name: "ridge" },
      mark: { type: "point", shape: "triangle-up", size: 110, filled: true, color: COLORS.TextSec },
      encoding: { x: X, y: Y },
    },
    {
      data: { name: "ridge" },
      mark: { type: "text", dy: -12, color: COLORS.TextSec },
      encoding: { x: X, y: Y, text: { field: "label" } },
    },
    {
      data: { name: "point" },
      mark: { type: "point", shape: "circle", size: 220, filled: true, tooltip: true },
      encoding: {
        x: X,
        y: Y,
        color: { field: "regime", type: "nominal", scale: REGIME, title: "Workload" },
        tooltip: [{ field: "label" }, { field: "ai", format: ",.1f" }, { field: "mfu" }],
      },
    },
    {
      data: { name: "point" },
      mark: { type: "text", dy: 18, fontWeight: "bold" },
      encoding: { x: X, y: Y, text: { field: "label" } },
    },
  ];
  const data: Record<string, Array<Record<string, unknown>>> = {
    roof: roofRows(p),
    ridge: [{
      ai: p.ridge,
      tflops: p.peak / TERA,
      label: `ridge ${formatNumber(p.ridge, 0)} FLOP/B`,
    }],
    point: [point],
  };
  if (opts.target !== undefined) {
    layers.splice(1, 0, {
      data: { name: "target" },
      mark: { type: "rule", strokeDash: [6, 4], color: COLORS.OrangeLine },
      encoding: { y: Y },
    });
    data.target = [{ tflops: (p.peak * opts.target) / TERA }];
  }
  return chart({ width: 560, height: 300, layer: layers } as Parameters<typeof chart>[0], {
    data,
    description: `Roofline of the ${p.gpu.name} at ${p.precision.toUpperCase()}: peak ${
      formatTflops(p.peak)
    }, ridge at ${formatNumber(p.ridge, 0)} FLOP/byte. The N = ${formatCount(p.n)} GEMM sits at ${
      formatNumber(p.ai, 1)
    } FLOP/byte, ${regime}, reaching ${formatTflops(p.attainable)} (${
      formatPercent(p.mfu, 1)
    } of peak)${
      opts.target === undefined
        ? ""
        : `; the dashed line is the ${formatPercent(opts.target, 0)} target`
    }.`,
    table: { dataset: "point" },
    testid: opts.testid,
  });
}
