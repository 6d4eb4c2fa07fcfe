/**
 * The instruments of lab v2-05: MFU against microbatches per pipeline (Act I: core's step and
 * the beliefs), the per-GPU memory stack against the GPU's capacity, and the parallelism frontier
 * (every legal layout as a point: memory per GPU against MFU). Each keeps its spec's structure
 * fixed and moves only the data, so the live view updates in place.
 *
 * @module
 */
import { chart, COLORS } from "../../cells/mod.ts";
import { formatGiB, formatNumber, formatPercent } from "../../core/mod.ts";
import type { TrainingMemory } from "../../core/training/mod.ts";
import type { FrontierPoint } from "./scenario.ts";

type Spec = Parameters<typeof chart>[0];

const GiB = 2 ** 30;

/** MFU against microbatches per pipeline, with the current point. */
export function act1Chart(
  rows: { m: number; mfu: number; model: string }[],
  point: { m: number; mfu: number },
  testid: string,
): ReturnType<typeof chart> {
  const spec = {
    width: "container",
    height: 240,
    layer: [
      {
        data: { name: "curve" },
        mark: { type: "line", strokeWidth: 2, point: { size: 25 } },
        encoding: {
          x: {
            field: "m",
            type: "quantitative",
            title: "Microbatches per pipeline per step (m)",
          },
          y: {
            field: "mfu",
            type: "quantitative",
            title: "MFU",
            axis: { format: "%" },
            scale: { domain: [0, 0.7] },
          },
          color: {
            field: "model",
            type: "nominal",
            title: null,
            scale: {
              domain: ["core (this layout)", "Linear scaling", "(p − 1)/(p·m)", "(p − 1)/m"],
              range: [COLORS.BlueLine, COLORS.GreenLine, COLORS.OrangeLine, COLORS.RedLine],
            },
            legend: { orient: "top" },
          },
          strokeDash: {
            condition: { test: "datum.model !== 'core (this layout)'", value: [5, 3] },
            value: [1, 0],
          },
        },
      },
      {
        data: { name: "point" },
        mark: { type: "point", filled: true, size: 150, color: COLORS.BlueLine },
        encoding: {
          x: { field: "m", type: "quantitative" },
          y: { field: "mfu", type: "quantitative" },
        },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: { curve: rows, point: [point] },
    description: `MFU against microbatches per pipeline: at m = ${point.m} core gives ${
      formatPercent(point.mfu, 1)
    }; the dashed lines are the beliefs of the prediction.`,
    table: { dataset: "curve", columns: ["model", "m", "mfu"] },
    testid,
  });
}

const PARTS = ["Weights", "Gradients", "fp32 master", "Optimizer moments", "Activations"] as const;

/** The per-GPU memory stack of one layout against the GPU's capacity (GiB). */
export function memoryChart(mem: TrainingMemory, testid: string): ReturnType<typeof chart> {
  const p = mem.parts;
  const values = [p.weights, p.gradients, p.master, p.optimizer, p.activations];
  let at = 0;
  const bars = PARTS.map((part, i) => {
    const from = at;
    at += values[i] / GiB;
    return { part, from, to: at, gib: values[i] / GiB, row: "This GPU" };
  });
  const cap = mem.capacity / GiB;
  const spec = {
    width: "container",
    height: 110,
    layer: [
      {
        data: { name: "bars" },
        mark: { type: "bar", height: 34 },
        encoding: {
          y: { field: "row", type: "nominal", title: null },
          x: {
            field: "from",
            type: "quantitative",
            title: "Memory per GPU (GiB)",
            scale: { domain: [0, Math.max(cap * 1.25, at * 1.05)] },
          },
          x2: { field: "to" },
          color: {
            field: "part",
            type: "nominal",
            title: null,
            scale: {
              domain: [...PARTS],
              range: [
                COLORS.BlueLine,
                COLORS.GreenLine,
                COLORS.Cloud,
                COLORS.OrangeLine,
                COLORS.Edge,
              ],
            },
            legend: { orient: "top", columns: 3 },
          },
        },
      },
      {
        data: { name: "capacity" },
        mark: { type: "rule", strokeWidth: 2, strokeDash: [4, 3], color: COLORS.RedLine },
        encoding: { x: { field: "gib", type: "quantitative" } },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: { bars, capacity: [{ gib: cap }] },
    description: `Memory per GPU: ${formatGiB(mem.total, 1)} of ${formatGiB(mem.capacity, 1)} (${
      PARTS.map((part, i) => `${part.toLowerCase()} ${formatGiB(values[i], 1)}`).join(", ")
    }).`,
    table: { dataset: "bars", columns: ["part", "gib"] },
    testid,
  });
}

/** Every legal layout as a point (memory per GPU, MFU), the capacity line and the chosen layout. */
export function frontierChart(
  rows: FrontierPoint[],
  capacityBytes: number,
  chosen: { memGiB: number; mfu: number } | null,
  testid: string,
): ReturnType<typeof chart> {
  const cap = capacityBytes / GiB;
  const spec = {
    width: "container",
    height: 300,
    layer: [
      {
        data: { name: "points" },
        mark: { type: "point", filled: true, size: 30, opacity: 0.55 },
        encoding: {
          x: {
            field: "memGiB",
            type: "quantitative",
            title: "Memory per GPU (GiB, log scale)",
            scale: { type: "log" },
          },
          y: { field: "mfu", type: "quantitative", title: "MFU", axis: { format: "%" } },
          color: {
            field: "status",
            type: "nominal",
            title: null,
            scale: { domain: ["fits", "OOM"], range: [COLORS.GreenLine, COLORS.RedLine] },
            legend: { orient: "top" },
          },
          shape: {
            field: "zero",
            type: "nominal",
            title: null,
            scale: {
              domain: ["ZeRO-0", "ZeRO-1", "ZeRO-2", "ZeRO-3"],
              range: ["circle", "square", "triangle-up", "cross"],
            },
            legend: { orient: "bottom" },
          },
          tooltip: [
            { field: "layout", type: "nominal" },
            { field: "memGiB", type: "quantitative", format: ".1f", title: "GiB" },
            { field: "mfu", type: "quantitative", format: ".1%", title: "MFU" },
          ],
        },
      },
      {
        data: { name: "capacity" },
        mark: { type: "rule", strokeWidth: 2, strokeDash: [4, 3], color: COLORS.RedLine },
        encoding: { x: { field: "gib", type: "quantitative" } },
      },
      {
        data: { name: "chosen" },
        mark: {
          type: "point",
          shape: "diamond",
          filled: true,
          size: 260,
          color: COLORS.BlueLine,
          stroke: "white",
          strokeWidth: 1.5,
        },
        encoding: {
          x: { field: "memGiB", type: "quantitative" },
          y: { field: "mfu", type: "quantitative" },
        },
      },
    ],
  } as unknown as Spec;
  const fits = rows.filter((r) => r.fits);
  const best = fits.reduce((a, b) => (b.mfu > a.mfu ? b : a), fits[0]);
  return chart(spec, {
    data: { points: rows, capacity: [{ gib: cap }], chosen: chosen ? [chosen] : [] },
    description: `${rows.length} legal layouts, ${fits.length} fit in ${
      formatGiB(capacityBytes, 1)
    }; the best that fits: ${best.layout} at ${formatPercent(best.mfu, 1)} MFU${
      chosen
        ? `; your layout: ${formatPercent(chosen.mfu, 1)} at ${formatNumber(chosen.memGiB, 1)} GiB`
        : ""
    }.`,
    table: { dataset: "points", columns: ["layout", "memGiB", "mfu", "status"] },
    testid,
  });
}
