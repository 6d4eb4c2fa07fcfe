/**
 * Live charts: one Vega view per chart slot (`chart-slot.ts`), built from the chart's Vega spec
 * (`vega-spec.ts`) by `vega-view.ts` (SVG, vega-tooltip, vega-interpreter under a CSP), and
 * updated in place with `view.data()` / `view.signal()`.
 */
import type { View } from "vega";
import type { Chart } from "./chart.ts";
import { changes, type ChartBackend, ChartSlots } from "./chart-slot.ts";
import { chunkReady } from "../../runtime/chunk.ts";
import { createVegaView } from "./vega-view.ts";
import {
  compileChartSpec,
  VEGA_SPECS_ID,
  type VegaSpec,
  vegaSpecFor,
  withDatasets,
} from "./vega-spec.ts";

const live: ChartBackend<View> = {
  async create(target, c, dark) {
    const { spec, from } = await vegaSpecFor(c.structureKey, c.spec, dark);
    // The first run gets the data inline, so no empty-data pass runs.
    const view = await createVegaView(target, withDatasets(spec, c.datasets), dark, c.signals);
    return { view, spec: from };
  },
  async update(view, c, before) {
    // Only what changed goes into the dataflow: a dataset that is the same array as last time
    // (its cell did not re-run) and an unchanged signal cost nothing.
    const { datasets, signals } = changes(c, before);
    for (const [name, rows] of Object.entries(datasets)) view.data(name, rows as object[]);
    for (const [name, v] of Object.entries(signals)) view.signal(name, v);
    if (Object.keys(datasets).length || Object.keys(signals).length) await view.runAsync();
  },
  dispose: (view) => view.finalize(),
};

const slots = new ChartSlots(live);

// A page without precompiled specs compiles every chart: fetch vega-lite now, beside this module,
// rather than after it (the dev server serves it as its own chunk).
const precompiledPage = typeof document !== "undefined" && !!document.getElementById(VEGA_SPECS_ID);
if (typeof document !== "undefined" && !precompiledPage) import("vega-lite").catch(() => {});

/** Views built and in-place updates (tests and the bench: updates in place must not embed). */
export const stats = slots.stats;

/** Whether `slot` shows a live view (then a new chart updates it in place). */
export function ownsSlot(slot: HTMLElement): boolean {
  return slots.owns(slot);
}

/** Mounts or updates `chart` in `slot` as a live view. */
export function mountChart(slot: HTMLElement, chart: Chart): Promise<void> {
  return slots.mount(slot, chart);
}

/**
 * Runs vega (and vega-lite, on a page without precompiled specs) once on a tiny off-screen chart
 * in idle time, so the first real chart does not pay for compiling their code paths.
 */
export async function warmUp(): Promise<void> {
  const host = document.createElement("div");
  let spec = TINY_CHART;
  if (!precompiledPage) {
    await chunkReady("vega-lite");
    const vl = await import("vega-lite");
    spec = compileChartSpec(vl.compile, {
      data: { values: [{ x: 1, y: 1 }, { x: 2, y: 3 }] },
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: { field: "x", type: "quantitative" },
        y: { field: "y", type: "quantitative" },
      },
    }, false);
  }
  (await createVegaView(host, spec, false)).finalize();
}

/** A two-point line chart in plain Vega, with axes: enough to warm vega's common paths. */
export const TINY_CHART: VegaSpec = {
  width: 40,
  height: 40,
  data: [{ name: "t", values: [{ x: 1, y: 1 }, { x: 2, y: 3 }] }],
  scales: [
    { name: "x", type: "linear", domain: { data: "t", field: "x" }, range: "width" },
    { name: "y", type: "linear", domain: { data: "t", field: "y" }, range: "height" },
  ],
  axes: [{ orient: "bottom", scale: "x" }, { orient: "left", scale: "y" }],
  marks: [{
    type: "line",
    from: { data: "t" },
    encode: { enter: { x: { scale: "x", field: "x" }, y: { scale: "y", field: "y" } } },
  }],
};
