/**
 * The two instruments of lab v1-13: the P99 latency histogram (first seen in this lab) of the
 * seeded simulation, and the hockey stick (P99 against offered load). Both keep their spec's
 * structure fixed and move only the data, so the live view updates in place.
 *
 * @module
 */
import { chart, COLORS } from "../../cells/mod.ts";
import { formatDuration, formatNumber, type ServerSimResult } from "../../core/mod.ts";
import { type Context, maxStableQps, mm1P99, replicaAt, SCENARIOS } from "./scenario.ts";

type Spec = Parameters<typeof chart>[0];

/** A marker line on the histogram. */
export type Marker = { label: string; s: number };

/**
 * The end-to-end latency histogram of `sim` on [0, histMaxS] of the context, as the share of
 * requests per bin, with P50 and P99 markers (and `target` if given). Requests beyond the axis
 * are counted in the description.
 */
export function latencyHistogram(
  context: Context,
  sim: ServerSimResult,
  o: { target?: number; testid: string },
): ReturnType<typeof chart> {
  const max = SCENARIOS[context].histMaxS;
  const h = sim.e2eHistogram;
  const total = h.counts.reduce((a, b) => a + b, 0) + h.overflow;
  const bars = h.counts.map((n, i) => ({
    from: h.edgesS[i],
    to: h.edgesS[i + 1],
    share: total > 0 ? n / total : 0,
    zero: 0,
  }));
  const marks: (Marker & { x: number; text: string })[] = [
    { label: "P50", s: sim.e2e.p50S },
    { label: "P99", s: sim.e2e.p99S },
    ...(o.target !== undefined ? [{ label: "P99 target", s: o.target }] : []),
  ].map((m) => ({
    ...m,
    x: Math.min(m.s, max),
    text: `${m.label} ${m.s > max ? "> " + formatDuration(max, 0) : formatDuration(m.s, 1)}`,
  }));
  const beyond = total > 0 ? h.overflow / total : 0;
  const x = { field: "from", type: "quantitative", title: "End-to-end latency (s)" };
  const spec = {
    width: "container",
    height: 220,
    layer: [
      {
        data: { name: "bars" },
        mark: { type: "bar", color: COLORS.BlueLine, opacity: 0.85 },
        encoding: {
          x: { ...x, scale: { domain: [0, max], clamp: true } },
          x2: { field: "to" },
          y: {
            field: "share",
            type: "quantitative",
            title: "Share of requests",
            axis: { format: "%" },
          },
          y2: { field: "zero" },
        },
      },
      {
        data: { name: "marks" },
        mark: { type: "rule", strokeWidth: 2, strokeDash: [5, 3] },
        encoding: {
          x: { field: "x", type: "quantitative" },
          color: {
            field: "label",
            type: "nominal",
            title: null,
            scale: {
              domain: ["P50", "P99", ...(o.target !== undefined ? ["P99 target"] : [])],
              range: [COLORS.GreenLine, COLORS.OrangeLine, COLORS.RedLine],
            },
            legend: { orient: "top" },
          },
        },
      },
    ],
  } as unknown as Spec;
  const p = (m: string) => marks.find((k) => k.label === m)!.text;
  return chart(spec, {
    data: { bars, marks },
    description: `Simulated end-to-end latency of ${
      formatNumber(sim.measured, 0)
    } requests (seeded): ${p("P50")}, ${p("P99")}${
      o.target !== undefined ? `, target ${formatDuration(o.target, 0)}` : ""
    }; ${formatNumber(beyond * 100, 1)} % of requests beyond the ${formatDuration(max, 0)} axis.`,
    table: { dataset: "marks", columns: ["label", "s"] },
    testid: o.testid,
  });
}

/** Load shares (of the largest stable rate) the hockey-stick curve is drawn at. */
const CURVE_SHARES = [
  0.02,
  0.1,
  0.2,
  0.3,
  0.4,
  0.5,
  0.6,
  0.7,
  0.75,
  0.8,
  0.85,
  0.9,
  0.93,
  0.95,
  0.97,
  0.98,
  0.99,
  0.995,
  0.998,
  0.999,
  0.9997,
];

/** Rows of the hockey stick: core's replica model and the M/M/1 belief, P99 against λ. */
export function hockeyRows(context: Context): { qps: number; p99: number; model: string }[] {
  const lmax = maxStableQps(context);
  const s0 = replicaAt(context, lmax * 1e-6).e2e.meanS;
  const rows: { qps: number; p99: number; model: string }[] = [];
  for (const f of CURVE_SHARES) {
    const r = replicaAt(context, f * lmax);
    if (r.stable) rows.push({ qps: f * lmax, p99: r.e2e.p99S, model: "Batching replica" });
    rows.push({ qps: f * lmax, p99: mm1P99(s0, f), model: "M/M/1 queue" });
  }
  return rows.filter((r) => Number.isFinite(r.p99) && r.p99 > 0);
}

/** P99 against offered load, with the simulated point at `qps`. */
export function hockeyChart(
  context: Context,
  rows: { qps: number; p99: number; model: string }[],
  point: { qps: number; p99: number },
  testid: string,
): ReturnType<typeof chart> {
  const lmax = maxStableQps(context);
  const spec = {
    width: "container",
    height: 240,
    layer: [
      {
        data: { name: "curve" },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: {
            field: "qps",
            type: "quantitative",
            title: "Offered load λ (requests/s per replica)",
            scale: { domain: [0, lmax * 1.02] },
          },
          y: {
            field: "p99",
            type: "quantitative",
            title: "P99 end-to-end latency (s)",
            scale: { type: "log" },
          },
          color: {
            field: "model",
            type: "nominal",
            title: null,
            scale: {
              domain: ["Batching replica", "M/M/1 queue", "Simulated"],
              range: [COLORS.BlueLine, COLORS.OrangeLine, COLORS.RedLine],
            },
            legend: { orient: "top" },
          },
        },
      },
      {
        data: { name: "point" },
        mark: { type: "point", filled: true, size: 140, color: COLORS.RedLine },
        encoding: {
          x: { field: "qps", type: "quantitative" },
          y: { field: "p99", type: "quantitative" },
        },
      },
      {
        data: { name: "limit" },
        mark: { type: "rule", strokeDash: [4, 4], color: COLORS.RedLine },
        encoding: { x: { field: "qps", type: "quantitative" } },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: {
      curve: rows,
      point: Number.isFinite(point.p99) && point.p99 > 0 ? [point] : [],
      limit: [{ qps: lmax }],
    },
    description: `P99 against offered load: the simulated replica at ${
      formatNumber(point.qps, 1)
    } requests/s has a P99 of ${formatDuration(point.p99, 1)}; the queue turns unstable at ${
      formatNumber(lmax, 1)
    } requests/s (dashed line).`,
    table: { dataset: "curve", columns: ["model", "qps", "p99"] },
    testid,
  });
}
