/**
 * The instruments of lab v2-09: the step-time breakdown (which component binds), what each rung
 * would buy alone (with its Amdahl bound), and the waterfall of a climbed ladder. Each keeps its
 * spec's structure fixed per context and moves only the data, so the live view updates in place.
 *
 * @module
 */
import { chart, COLORS } from "../../cells/mod.ts";
import {
  type Breakdown,
  formatDuration,
  formatRatio,
  type Ladder,
  RUNG_NAMES,
  type RungId,
} from "../../core/mod.ts";

type Spec = Parameters<typeof chart>[0];

/** Component names, in the order they stack. */
const PARTS = [
  "Compute (binds)",
  "Memory (binds)",
  "Hidden under the other",
  "Communication",
  "Launch overhead",
];
const PART_COLORS = [
  COLORS.BlueLine,
  COLORS.OrangeLine,
  "#9ca3af",
  COLORS.RedLine,
  COLORS.GreenLine,
];

/** Short rung names for axes. */
export const SHORT: Record<RungId, string> = {
  "flash-attention": "FlashAttention",
  "kernel-fusion": "Kernel fusion",
  "cuda-graphs": "CUDA graphs",
  "fp8": "FP8",
  "comm-overlap": "Comm. overlap",
};

/** The breakdown's segments on the critical path, in ms, plus the hidden kernel time. */
function segments(b: Breakdown): { part: string; ms: number }[] {
  const computeBinds = b.computeS >= b.memoryS;
  return [
    { part: PARTS[0], ms: computeBinds ? b.computeS * 1e3 : 0 },
    { part: PARTS[1], ms: computeBinds ? 0 : b.memoryS * 1e3 },
    { part: PARTS[2], ms: Math.min(b.computeS, b.memoryS) * 1e3 },
    { part: PARTS[3], ms: b.commS * 1e3 },
    { part: PARTS[4], ms: b.overheadS * 1e3 },
  ];
}

/**
 * One step's four components as horizontal bars: compute and memory overlap (the larger binds,
 * the smaller is hidden under it), communication and launch overhead add.
 */
export function breakdownChart(b: Breakdown, testid: string): ReturnType<typeof chart> {
  const hidden = Math.min(b.computeS, b.memoryS);
  const bars = [
    { part: "Compute", ms: b.computeS * 1e3, role: b.computeS >= b.memoryS ? PARTS[0] : PARTS[2] },
    { part: "Memory", ms: b.memoryS * 1e3, role: b.computeS >= b.memoryS ? PARTS[2] : PARTS[1] },
    { part: "Communication", ms: b.commS * 1e3, role: PARTS[3] },
    { part: "Launch overhead", ms: b.overheadS * 1e3, role: PARTS[4] },
  ];
  const spec = {
    width: "container",
    height: 170,
    data: { name: "bars" },
    mark: { type: "bar", cornerRadiusEnd: 3 },
    encoding: {
      y: {
        field: "part",
        type: "nominal",
        title: null,
        sort: ["Compute", "Memory", "Communication", "Launch overhead"],
      },
      x: { field: "ms", type: "quantitative", title: "Time in one step (ms)" },
      color: {
        field: "role",
        type: "nominal",
        title: null,
        scale: { domain: PARTS, range: PART_COLORS },
        legend: { orient: "top", columns: 2 },
      },
      tooltip: [{ field: "part" }, { field: "ms", format: ".2f", title: "ms" }],
    },
  } as unknown as Spec;
  return chart(spec, {
    data: { bars },
    description: `One step takes ${formatDuration(b.timeS, 2)}: compute ${
      formatDuration(b.computeS, 2)
    } and memory ${formatDuration(b.memoryS, 2)} overlap (${
      formatDuration(hidden, 2)
    } of the smaller is hidden), then communication ${
      formatDuration(b.commS, 2)
    } and launch overhead ${formatDuration(b.overheadS, 2)} add; it is ${b.bound}-bound.`,
    table: { dataset: "bars", columns: ["part", "ms", "role"] },
    testid,
  });
}

/** Each rung's speed-up alone on the eager step (bars) and its Amdahl bound (ticks). */
export function singlesChart(
  singles: { id: RungId; speedup: number; amdahlLimit: number }[],
  testid: string,
): ReturnType<typeof chart> {
  const rows = singles.map((r) => ({
    rung: SHORT[r.id],
    speedup: r.speedup,
    bound: r.amdahlLimit,
    label: formatRatio(r.speedup, 2),
  }));
  const max = Math.max(2, ...rows.map((r) => r.bound)) * 1.1;
  const y = {
    field: "rung",
    type: "nominal",
    title: null,
    sort: Object.values(SHORT),
  };
  const spec = {
    width: "container",
    height: 190,
    data: { name: "rungs" },
    layer: [
      {
        mark: { type: "bar", color: COLORS.BlueLine, opacity: 0.85 },
        encoding: {
          y,
          x: {
            field: "speedup",
            type: "quantitative",
            title: "Speed-up of the eager step, this rung alone (×)",
            scale: { domain: [1, max], clamp: true },
          },
          x2: { datum: 1 },
        },
      },
      {
        mark: { type: "tick", color: COLORS.RedLine, thickness: 3, size: 22 },
        encoding: { y, x: { field: "bound", type: "quantitative" } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: { y, x: { field: "speedup", type: "quantitative" }, text: { field: "label" } },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: { rungs: rows },
    description: `Each rung alone on the eager step (bar) and Amdahl's bound on it (red tick): ${
      singles.map((r) => `${SHORT[r.id]} ${formatRatio(r.speedup, 2)}`).join(", ")
    }.`,
    table: { dataset: "rungs", columns: ["rung", "speedup", "bound"] },
    testid,
  });
}

/**
 * The waterfall of a climbed ladder: the eager step's breakdown, one floating bar per rung from
 * the time before it to the time after it (the time it saved), and the final step's breakdown.
 * A rung that saved under `minGain` of the step is grey.
 */
export function waterfallChart(
  ladder: Ladder,
  targetS: number,
  testid: string,
  minGain = 0.05,
): ReturnType<typeof chart> {
  const rows: { stage: string; from: number; to: number; part: string; i: number }[] = [];
  const stack = (stage: string, b: Breakdown, i: number) => {
    let at = 0;
    for (const s of segments(b)) {
      if (s.part === PARTS[2] || s.ms <= 0) continue;
      rows.push({ stage, from: at, to: at + s.ms, part: s.part, i });
      at += s.ms;
    }
  };
  stack("Eager", ladder.baseline, 0);
  let prev = ladder.baseline.timeS;
  ladder.rungs.forEach((r, k) => {
    const stage = `${k + 1}. ${SHORT[r.id]}`;
    const gain = prev / r.after.timeS;
    rows.push({
      stage,
      from: r.after.timeS * 1e3,
      to: prev * 1e3,
      part: gain >= 1 + minGain ? "Saved by this rung" : "Saved < 5 %",
      i: k + 1,
    });
    prev = r.after.timeS;
  });
  const last = ladder.rungs.length ? ladder.rungs[ladder.rungs.length - 1].after : ladder.baseline;
  if (ladder.rungs.length) stack("After plan", last, ladder.rungs.length + 1);
  const labels = ladder.rungs.map((r, k) => ({
    stage: `${k + 1}. ${SHORT[r.id]}`,
    at: (k ? ladder.rungs[k - 1].after.timeS : ladder.baseline.timeS) * 1e3,
    text: formatRatio(r.speedup, 2),
  }));
  const stages = [
    "Eager",
    ...ladder.rungs.map((r, k) => `${k + 1}. ${SHORT[r.id]}`),
    ...(ladder.rungs.length ? ["After plan"] : []),
  ];
  const domain = [
    ...PARTS.filter((p) => p !== PARTS[2]),
    "Saved by this rung",
    "Saved < 5 %",
  ];
  const range = [
    ...PART_COLORS.filter((_, i) => i !== 2),
    COLORS.Cloud,
    "#9ca3af",
  ];
  const spec = {
    width: "container",
    height: 260,
    layer: [
      {
        data: { name: "bars" },
        mark: { type: "bar" },
        encoding: {
          x: {
            field: "stage",
            type: "nominal",
            title: null,
            sort: stages,
            scale: { domain: stages },
            axis: { labelAngle: -30 },
          },
          y: { field: "from", type: "quantitative", title: "Step time (ms)" },
          y2: { field: "to" },
          color: {
            field: "part",
            type: "nominal",
            title: null,
            scale: { domain, range },
            legend: { orient: "top", columns: 2 },
          },
          tooltip: [{ field: "stage" }, { field: "part" }, { field: "from", format: ".2f" }, {
            field: "to",
            format: ".2f",
          }],
        },
      },
      {
        data: { name: "labels" },
        mark: { type: "text", dy: -7, fontSize: 11 },
        encoding: {
          x: { field: "stage", type: "nominal", sort: stages },
          y: { field: "at", type: "quantitative" },
          text: { field: "text" },
        },
      },
      {
        data: { name: "target" },
        mark: { type: "rule", strokeDash: [5, 3], strokeWidth: 2, color: COLORS.RedLine },
        encoding: { y: { field: "ms", type: "quantitative" } },
      },
    ],
  } as unknown as Spec;
  return chart(spec, {
    data: { bars: rows, labels, target: [{ ms: targetS * 1e3 }] },
    description: `Waterfall of the ladder: eager ${formatDuration(ladder.baseline.timeS, 2)}${
      ladder.rungs.map((r) => `, after ${SHORT[r.id]} ${formatDuration(r.after.timeS, 2)}`).join("")
    }; total ${formatRatio(ladder.totalSpeedup, 2)}; target ${
      formatDuration(targetS, 2)
    } (dashed line).`,
    table: { dataset: "bars", columns: ["stage", "part", "from", "to"] },
    testid,
  });
}

/** The long name of a rung (core's). */
export const rungName = (id: RungId): string => RUNG_NAMES[id];
