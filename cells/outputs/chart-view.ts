/**
 * The browser half of charts: one persistent Vega view per chart slot, kept in a WeakMap keyed by
 * the slot element. A new chart value with the same structure key updates the view with
 * `view.data()` / `view.signal()`; a new structure (or a colour-scheme change) builds a new view.
 * The Vega spec comes precompiled in an exported page and from vega-lite (loaded on first need)
 * otherwise. Expressions run through vega-interpreter under a CSP, so no `unsafe-eval`.
 */
import { parse, View, Warn } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { Handler } from "vega-tooltip";
import type { Chart } from "./chart.ts";
import {
  compileChartSpec,
  VEGA_SPECS_ID,
  type VegaSpec,
  vegaSpecKey,
  withDatasets,
} from "./vega-spec.ts";

interface SlotState {
  /** The element the view renders into; a re-rendered slot no longer contains it. */
  container: HTMLElement;
  key: string;
  view: View | null;
  latest: Chart;
  applied: Chart | null;
  busy: boolean;
  tableStale: boolean;
  onScheme: (() => void) | null;
}

const slots = new WeakMap<HTMLElement, SlotState>();

/**
 * Counters for tests and the bench: views built, in-place updates, and vega-lite compiles in
 * the page (0 in an exported page whose charts were all precompiled).
 */
export const stats = { embeds: 0, updates: 0, compiles: 0 };

function darkQuery(): MediaQueryList | null {
  return typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
}

/** Whether the page declares a Content-Security-Policy (then `eval` is off the table). */
function underCSP(): boolean {
  return typeof document !== "undefined" &&
    document.querySelector('meta[http-equiv="Content-Security-Policy" i]') !== null;
}

let precompiled: Record<string, VegaSpec> | null | undefined;

/** The exported page's compiled specs (read once), or null on the dev page. */
function precompiledSpecs(): Record<string, VegaSpec> | null {
  if (precompiled === undefined) {
    const el = typeof document === "undefined" ? null : document.getElementById(VEGA_SPECS_ID);
    precompiled = el?.textContent ? JSON.parse(el.textContent) : null;
  }
  return precompiled ?? null;
}

/** The Vega spec of `c`: precompiled when the page has it, else compiled here with vega-lite. */
async function vegaSpecOf(c: Chart, dark: boolean): Promise<[VegaSpec, "precompiled" | "page"]> {
  const hit = precompiledSpecs()?.[vegaSpecKey(c.structureKey, dark)];
  if (hit) return [hit, "precompiled"];
  stats.compiles++;
  const vl = await import("vega-lite");
  return [compileChartSpec(vl.compile, c.spec, dark), "page"];
}

/**
 * A running view of `spec` in `target` with `signals` set before its first run: SVG, vega-tooltip,
 * expressions interpreted under a CSP.
 */
async function createView(
  target: HTMLElement,
  spec: VegaSpec,
  dark: boolean,
  signals: Readonly<Record<string, unknown>> = {},
): Promise<View> {
  const csp = underCSP();
  const view = new View(parse(spec as never, undefined, { ast: csp }), {
    renderer: "svg",
    logLevel: Warn,
    hover: false,
    ...(csp ? { expr: expressionInterpreter } : {}),
  } as never);
  view.tooltip(new Handler({ theme: dark ? "dark" : "light" }).call);
  for (const [name, v] of Object.entries(signals)) view.signal(name, v);
  await view.initialize(target).runAsync();
  return view;
}

/**
 * Runs vega (and, when the page has no precompiled specs, vega-lite) once on a tiny off-screen
 * chart in idle time, so the first real chart does not pay for compiling their code paths.
 */
export async function warmUp(): Promise<void> {
  const host = document.createElement("div");
  let spec: VegaSpec = {
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
  if (!precompiledSpecs()) {
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
  (await createView(host, spec, false)).finalize();
}

/** Mounts or updates `chart` in `slot`. */
export async function mountChart(slot: HTMLElement, chart: Chart): Promise<void> {
  let st = slots.get(slot);
  if (!st || !slot.contains(st.container)) {
    st?.view?.finalize();
    slot.innerHTML = chart.html();
    st = {
      container: slot.querySelector<HTMLElement>(".syslab-chart-view")!,
      key: "",
      view: null,
      latest: chart,
      applied: null,
      busy: false,
      tableStale: false,
      onScheme: null,
    };
    slots.set(slot, st);
    watchTable(slot, st);
    watchScheme(slot, st);
  }
  st.latest = chart;
  if (st.busy) return;
  st.busy = true;
  try {
    while (st.applied !== st.latest) {
      const c = st.latest;
      await apply(slot, st, c);
      st.applied = c;
    }
  } finally {
    st.busy = false;
  }
}

async function apply(slot: HTMLElement, st: SlotState, c: Chart): Promise<void> {
  const dark = darkQuery()?.matches ?? false;
  const key = `${dark ? "dark" : "light"}:${c.structureKey}`;
  refreshTable(slot, st, c);
  if (st.view && st.key === key) {
    const view = st.view;
    // Only what changed goes into the dataflow: a dataset that is the same array as last time
    // (its cell did not re-run) and an unchanged signal cost nothing.
    const before = st.applied;
    let changed = false;
    for (const [name, rows] of Object.entries(c.datasets)) {
      if (before?.datasets[name] === rows) continue;
      view.data(name, rows as object[]);
      changed = true;
    }
    for (const [name, v] of Object.entries(c.signals)) {
      if (before && Object.is(before.signals[name], v)) continue;
      view.signal(name, v);
      changed = true;
    }
    if (changed) await view.runAsync();
    stats.updates++;
    return;
  }
  st.view?.finalize();
  st.view = null;
  const target = st.container;
  target.setAttribute("aria-label", c.options.description);
  // The first run gets the data inline, so no empty-data pass runs.
  const [spec, compiledBy] = await vegaSpecOf(c, dark);
  const view = await createView(target, withDatasets(spec, c.datasets), dark, c.signals);
  // Where the Vega spec came from ("precompiled" by the exporter, or compiled by the "page").
  slot.dataset.syslabSpec = compiledBy;
  // The figure is the image (role="img" + aria-label); the SVG inside is decoration for AT.
  target.querySelector("svg")?.setAttribute("aria-hidden", "true");
  st.view = view;
  st.key = key;
  stats.embeds++;
  slot.dataset.syslabEmbeds = String(Number(slot.dataset.syslabEmbeds ?? 0) + 1);
}

function tableBody(slot: HTMLElement): HTMLElement | null {
  return slot.querySelector<HTMLElement>(".syslab-chart-table-body");
}

/** Rebuilds the table only while it is open; a closed table is marked stale and rebuilt on open. */
function refreshTable(slot: HTMLElement, st: SlotState, c: Chart): void {
  const details = slot.querySelector<HTMLDetailsElement>(".syslab-chart-table");
  const body = tableBody(slot);
  if (!details || !body) return;
  if (details.open) body.innerHTML = c.tableMarkup();
  else st.tableStale = true;
  const caption = slot.querySelector("figcaption");
  if (caption && caption.textContent !== c.options.description) {
    caption.textContent = c.options.description;
  }
}

function watchTable(slot: HTMLElement, st: SlotState): void {
  const details = slot.querySelector<HTMLDetailsElement>(".syslab-chart-table");
  details?.addEventListener("toggle", () => {
    const body = tableBody(slot);
    if (details.open && st.tableStale && body) {
      body.innerHTML = st.latest.tableMarkup();
      st.tableStale = false;
    }
  });
}

function watchScheme(slot: HTMLElement, st: SlotState): void {
  const q = darkQuery();
  if (!q) return;
  st.onScheme = () => {
    if (!slot.isConnected) return q.removeEventListener("change", st.onScheme!);
    st.applied = null;
    mountChart(slot, st.latest);
  };
  q.addEventListener("change", st.onScheme);
}
