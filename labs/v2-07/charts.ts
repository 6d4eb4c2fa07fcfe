/**
 * The instruments of lab v2-07: the chance of an interruption against run length (exponential
 * vs the linear belief), job MTBF against fleet size with the measured fleets, and goodput
 * against the checkpoint interval with Young, Daly, the optimum and the student's choice.
 * Each keeps its spec's structure fixed and moves only the data, so views update in place.
 *
 * @module
 */
import { chart, COLORS } from "../../cells/mod.ts";
import { formatCount, formatPercent, formatSpan } from "../../core/mod.ts";
import { FAILURE_ROWS } from "../../core/training/failures.ts";
import { expectedFailures, failureProbability } from "../../core/training/reliability.ts";
import { GOODPUT_FLOOR, mtbfOf } from "./scenario.ts";

type Spec = Parameters<typeof chart>[0];
const HOUR = 3600;

/** P(≥ 1 interruption) and the linear T/M belief against run length, for an MTBF `m` (s). */
export function pFailRows(m: number): { hours: number; p: number; model: string }[] {
  const rows: { hours: number; p: number; model: string }[] = [];
  for (let e = 0; e <= 48; e++) {
    const hours = 0.1 * 10 ** (e / 12); // 0.1 h … 1,000 h
    rows.push({ hours, p: failureProbability(hours * HOUR, m), model: "1 − e^(−T/M)" });
    rows.push({
      hours,
      p: Math.min(1, expectedFailures(hours * HOUR, m)),
      model: "Linear T/M",
    });
  }
  return rows;
}

/** The P(fail) chart with the run's point. */
export function pFailChart(
  rows: { hours: number; p: number; model: string }[],
  point: { hours: number; p: number },
  testid: string,
): ReturnType<typeof chart> {
  const spec = {
    width: "container",
    height: 230,
    layer: [
      {
        data: { name: "curve" },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: {
            field: "hours",
            type: "quantitative",
            title: "Run length T (hours)",
            scale: { type: "log", domain: [0.1, 1000], nice: false },
          },
          y: {
            field: "p",
            type: "quantitative",
            title: "P(at least one interruption)",
            axis: { format: "%" },
            scale: { domain: [0, 1] },
          },
          color: {
            field: "model",
            type: "nominal",
            title: null,
            scale: {
              domain: ["1 − e^(−T/M)", "Linear T/M"],
              range: [COLORS.BlueLine, COLORS.OrangeLine],
            },
            legend: { orient: "top" },
          },
          strokeDash: {
            field: "model",
            type: "nominal",
            scale: { domain: ["1 − e^(−T/M)", "Linear T/M"], range: [[1, 0], [5, 3]] },
            legend: { orient: "top" },
          },
        },
      },
      {
        data: { name: "point" },
        mark: { type: "point", filled: true, size: 140, color: COLORS.RedLine },
        encoding: {
          x: { field: "hours", type: "quantitative" },
          y: { field: "p", type: "quantitative" },
        },
      },
    ],
  } as unknown as Spec;
  const inRange = point.hours >= 0.1 && point.hours <= 1000;
  return chart(spec, {
    data: { curve: rows, point: inRange ? [point] : [] },
    description: `Chance of at least one interruption against run length: a ${
      formatSpan(point.hours * HOUR, 0)
    } run has ${
      formatPercent(point.p, 1)
    } (red point); the linear T/M line reaches 100 % at one MTBF.`,
    table: { dataset: "point", columns: ["hours", "p"] },
    testid,
  });
}

/** GPU counts the MTBF line is drawn at. */
const FLEET = [8, 32, 128, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

/** Job MTBF against GPUs (fit) and the measured fleets (core's rows). */
export function mtbfRows(): {
  line: { gpus: number; hours: number }[];
  measured: { gpus: number; hours: number; name: string; short: string }[];
} {
  return {
    line: FLEET.map((gpus) => ({ gpus, hours: mtbfOf(gpus) / HOUR })),
    measured: FAILURE_ROWS.map((r) => ({
      gpus: r.gpus,
      hours: 1 / (r.gpus * r.failuresPerGpuHour),
      name: r.name,
      short: r.name.split(" · ")[0],
    })),
  };
}

/** The MTBF-vs-fleet chart with the student's fleet. */
export function mtbfChart(
  rows: ReturnType<typeof mtbfRows>,
  point: { gpus: number; hours: number },
  testid: string,
): ReturnType<typeof chart> {
  const x = {
    field: "gpus",
    type: "quantitative",
    title: "GPUs in the job (N)",
    scale: { type: "log", domain: [8, 131072], nice: false },
  };
  const y = {
    field: "hours",
    type: "quantitative",
    title: "Job MTBF (hours)",
    scale: { type: "log", domain: [0.1, 10000], nice: false },
  };
  const spec = {
    width: "container",
    height: 230,
    layer: [
      {
        data: { name: "line" },
        mark: { type: "line", strokeWidth: 2, color: COLORS.BlueLine },
        encoding: { x, y },
      },
      {
        data: { name: "measured" },
        mark: { type: "point", shape: "diamond", filled: true, size: 110, color: COLORS.GreenLine },
        encoding: {
          x: { field: "gpus", type: "quantitative" },
          y: { field: "hours", type: "quantitative" },
          tooltip: [{ field: "name" }],
        },
      },
      {
        data: { name: "measured" },
        mark: { type: "text", align: "left", dx: 9, fontSize: 11, color: COLORS.GreenLine },
        encoding: {
          x: { field: "gpus", type: "quantitative" },
          y: { field: "hours", type: "quantitative" },
          text: { field: "short" },
        },
      },
      {
        data: { name: "point" },
        mark: { type: "point", filled: true, size: 150, color: COLORS.RedLine },
        encoding: {
          x: { field: "gpus", type: "quantitative" },
          y: { field: "hours", type: "quantitative" },
        },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: { line: rows.line, measured: rows.measured, point: [point] },
    description: `Job MTBF falls as 1/N (blue line, Llama 3's rate): ${
      formatCount(point.gpus)
    } GPUs fail every ${
      formatSpan(point.hours * HOUR, 1)
    } on average (red point). Green diamonds: the measured fleets (${
      rows.measured.map((m) => `${m.name}: ${formatSpan(m.hours * HOUR, 1)}`).join("; ")
    }).`,
    table: { dataset: "measured", columns: ["name", "gpus", "hours"] },
    testid,
  });
}

/** A marked interval on the goodput chart. */
export type Mark = { label: string; minutes: number; goodput: number };

/** Goodput against the checkpoint interval, with the floor, the marks and the student's choice. */
export function goodputChart(
  rows: { minutes: number; goodput: number; model: string }[],
  marks: Mark[],
  choice: { minutes: number; goodput: number },
  testid: string,
): ReturnType<typeof chart> {
  const lo = 0.5, hi = 500, yMin = 0.5;
  const clip = (g: number) => Math.max(yMin, Math.min(1, g));
  const inX = (m: number) => m >= lo && m <= hi;
  const models = [
    "Exact (Daly's model)",
    "First order: δ/τ + (τ/2 + R)/M",
    "Without rework (mlsysim): δ/τ + R/M",
  ];
  const x = {
    field: "minutes",
    type: "quantitative",
    title: "Checkpoint interval τ (minutes)",
    scale: { type: "log", domain: [lo, hi], nice: false },
  };
  const spec = {
    width: "container",
    height: 260,
    layer: [
      {
        data: { name: "curve" },
        mark: { type: "line", strokeWidth: 2, clip: true },
        encoding: {
          x,
          y: {
            field: "goodput",
            type: "quantitative",
            title: "Goodput (useful share of wall time)",
            axis: { format: "%" },
            scale: { domain: [yMin, 1] },
          },
          color: {
            field: "model",
            type: "nominal",
            title: null,
            scale: {
              domain: models,
              range: [COLORS.BlueLine, COLORS.OrangeLine, COLORS.TextMuted],
            },
            legend: { orient: "top", columns: 1, labelLimit: 400 },
          },
          strokeDash: {
            field: "model",
            type: "nominal",
            scale: { domain: models, range: [[1, 0], [5, 3], [2, 2]] },
            legend: { orient: "top", columns: 1, labelLimit: 400 },
          },
        },
      },
      {
        data: { name: "floor" },
        mark: { type: "rule", color: COLORS.RedLine, strokeDash: [4, 4] },
        encoding: { y: { field: "goodput", type: "quantitative" } },
      },
      {
        data: { name: "marks" },
        mark: { type: "point", filled: true, size: 130, color: COLORS.GreenLine, opacity: 0.9 },
        encoding: {
          x: { field: "minutes", type: "quantitative" },
          y: { field: "shown", type: "quantitative" },
          shape: {
            field: "label",
            type: "nominal",
            title: null,
            scale: {
              domain: ["Young", "Daly", "Optimum"],
              range: ["triangle-up", "square", "diamond"],
            },
            legend: { orient: "bottom" },
          },
        },
      },
      {
        data: { name: "choice" },
        mark: { type: "point", filled: true, size: 170, color: COLORS.RedLine },
        encoding: {
          x: { field: "minutes", type: "quantitative" },
          y: { field: "shown", type: "quantitative" },
        },
      },
    ],
  } as unknown as Spec;
  // Raw values: the line mark clips at the plot's edge (a clamped line would run along it).
  const curve = rows.filter((r) => r.goodput > -1);
  return chart(spec, {
    data: {
      curve,
      floor: [{ goodput: GOODPUT_FLOOR }],
      marks: marks.filter((m) => inX(m.minutes)).map((m) => ({ ...m, shown: clip(m.goodput) })),
      choice: inX(choice.minutes) ? [{ ...choice, shown: clip(choice.goodput) }] : [],
    },
    description: `Goodput against the checkpoint interval: your ${
      formatSpan(choice.minutes * 60, 0)
    } interval gives ${formatPercent(choice.goodput, 1)}; ${
      marks.map((m) =>
        `${m.label} ${formatSpan(m.minutes * 60, 1)} (${formatPercent(m.goodput, 1)})`
      )
        .join(", ")
    }; the dashed red line is the ${formatPercent(GOODPUT_FLOOR, 0)} floor.`,
    table: { dataset: "marks", columns: ["label", "minutes", "goodput"] },
    testid,
  });
}
