/**
 * The browser half of charts: one persistent Vega view per chart slot, kept in a WeakMap keyed by
 * the slot element. A new chart value with the same structure key updates the view with
 * `view.data()` / `view.signal()`; a new structure (or a colour-scheme change) re-embeds.
 * Expressions run through vega-interpreter, so the page needs no `unsafe-eval`.
 */
import embed, { type Result } from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";
import type { Config } from "vega-lite";
import type { Chart } from "./chart.ts";

interface SlotState {
  /** The element the view renders into; a re-rendered slot no longer contains it. */
  container: HTMLElement;
  key: string;
  result: Result | null;
  latest: Chart;
  applied: Chart | null;
  busy: boolean;
  tableStale: boolean;
  onScheme: (() => void) | null;
}

const slots = new WeakMap<HTMLElement, SlotState>();

/** Number of embeds done (for tests and the bench: updates in place must not embed). */
export const stats = { embeds: 0, updates: 0 };

function darkQuery(): MediaQueryList | null {
  return typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
}

/** The chart theme for the current colour scheme. */
export function themeConfig(dark: boolean): Config {
  const text = dark ? "#e2e8f0" : "#0f172a";
  const sec = dark ? "#cbd5e1" : "#475569";
  const grid = dark ? "#334155" : "#e2e8f0";
  return {
    background: "transparent",
    font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    aria: false,
    view: { stroke: "transparent" },
    axis: {
      labelColor: sec,
      titleColor: text,
      gridColor: grid,
      domainColor: sec,
      tickColor: sec,
    },
    legend: { labelColor: sec, titleColor: text },
    title: { color: text, subtitleColor: sec },
    range: {
      category: ["#006395", "#CC5500", "#008F45", "#CB202D", "#6366f1", "#A51C30"],
    },
    mark: { color: dark ? "#7cc4ec" : "#006395", aria: false },
  } as Config;
}

/**
 * Runs vega-lite and vega once on a tiny off-screen chart (idle time), so the first real chart
 * does not pay for compiling their code paths.
 */
export async function warmUp(): Promise<void> {
  const host = document.createElement("div");
  const r = await embed(host, {
    data: { values: [{ x: 1, y: 1 }, { x: 2, y: 3 }] },
    mark: { type: "line", point: true, tooltip: true },
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  } as never, {
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    ...(underCSP() ? { ast: true, expr: expressionInterpreter } : {}),
  });
  r.finalize();
}

/** Whether the page declares a Content-Security-Policy (then `eval` is off the table). */
function underCSP(): boolean {
  return typeof document !== "undefined" &&
    document.querySelector('meta[http-equiv="Content-Security-Policy" i]') !== null;
}

/** Mounts or updates `chart` in `slot`. */
export async function mountChart(slot: HTMLElement, chart: Chart): Promise<void> {
  let st = slots.get(slot);
  if (!st || !slot.contains(st.container)) {
    st?.result?.finalize();
    slot.innerHTML = chart.html();
    st = {
      container: slot.querySelector<HTMLElement>(".syslab-chart-view")!,
      key: "",
      result: null,
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
  if (st.result && st.key === key) {
    const view = st.result.view;
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
  st.result?.finalize();
  const target = st.container;
  target.setAttribute("aria-label", c.options.description);
  // The first render gets the data inline (named `datasets`), so no empty-data pass runs.
  const spec = { ...c.spec, datasets: { ...c.datasets } };
  const result = await embed(target, spec as never, {
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    // Under a Content-Security-Policy (exported pages) expressions run through the interpreter,
    // which needs no eval; without one (the dev server) vega compiles them, about 4 ms faster
    // per update.
    ...(underCSP() ? { ast: true, expr: expressionInterpreter } : {}),
    config: themeConfig(dark),
    tooltip: { theme: dark ? "dark" : "light" },
  });
  const view = result.view;
  if (Object.keys(c.signals).length) {
    for (const [name, v] of Object.entries(c.signals)) view.signal(name, v);
    await view.runAsync();
  }
  // The figure is the image (role="img" + aria-label); the SVG inside is decoration for AT.
  target.querySelector("svg")?.setAttribute("aria-hidden", "true");
  st.result = result;
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
