/**
 * A chart slot in the page: the figure markup, one view kept per slot and updated in place, the
 * "show as table" body, and the colour scheme. How a view is drawn is the backend's job (live Vega
 * views, `chart-view.ts`). A figure showing a drawing made ahead (`chart-drawn.ts`) is taken
 * over, and its first view replaces the drawing. A new chart with the same structure key updates
 * the view; a new structure or scheme builds a new one. Updates that arrive while one is applied
 * are coalesced.
 */
import type { Chart } from "./chart.ts";

/** How views are built and updated. */
export interface ChartBackend<V> {
  /** Builds a view of `c` in `target`; says where its Vega spec came from. */
  create(target: HTMLElement, c: Chart, dark: boolean): Promise<{ view: V; spec: string }>;
  /** Updates `view` to `c`; `before` is the chart it shows now. */
  update(view: V, c: Chart, before: Chart): Promise<void>;
  dispose(view: V): void;
}

interface SlotState<V> {
  /** The element the view renders into; a re-rendered slot no longer contains it. */
  container: HTMLElement;
  key: string;
  view: V | null;
  latest: Chart;
  applied: Chart | null;
  busy: boolean;
  tableStale: boolean;
}

/** Counters for tests and the bench: views built and in-place updates. */
export interface ChartStats {
  embeds: number;
  updates: number;
}

function darkQuery(): MediaQueryList | null {
  return typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
}

/** The slots of one backend. */
export class ChartSlots<V> {
  readonly #slots = new WeakMap<HTMLElement, SlotState<V>>();
  readonly stats: ChartStats = { embeds: 0, updates: 0 };
  constructor(readonly backend: ChartBackend<V>) {}

  /** Whether this backend draws `slot` now (its figure is still the one it set up). */
  owns(slot: HTMLElement): boolean {
    const st = this.#slots.get(slot);
    return !!st && slot.contains(st.container);
  }

  /** The newest chart given for `slot`. */
  latest(slot: HTMLElement): Chart | null {
    return this.#slots.get(slot)?.latest ?? null;
  }

  /** Mounts or updates `chart` in `slot`. */
  async mount(slot: HTMLElement, chart: Chart): Promise<void> {
    let st = this.#slots.get(slot);
    if (!st || !slot.contains(st.container)) {
      if (st?.view) this.backend.dispose(st.view);
      if (!slot.querySelector(":scope > figure.syslab-chart[data-syslab-drawn]")) {
        slot.innerHTML = chart.html();
      }
      st = {
        container: slot.querySelector<HTMLElement>(".syslab-chart-view")!,
        key: "",
        view: null,
        latest: chart,
        applied: null,
        busy: false,
        tableStale: false,
      };
      this.#slots.set(slot, st);
      this.#watchTable(slot, st);
      this.#watchScheme(slot, st);
    }
    st.latest = chart;
    if (st.busy) return;
    st.busy = true;
    try {
      while (st.applied !== st.latest) {
        const c = st.latest;
        await this.#apply(slot, st, c);
        st.applied = c;
      }
    } finally {
      st.busy = false;
    }
  }

  async #apply(slot: HTMLElement, st: SlotState<V>, c: Chart): Promise<void> {
    const dark = darkQuery()?.matches ?? false;
    const key = `${dark ? "dark" : "light"}:${c.structureKey}`;
    this.#refreshTable(slot, st, c);
    if (st.view && st.key === key && st.applied) {
      await this.backend.update(st.view, c, st.applied);
      this.stats.updates++;
      return;
    }
    if (st.view) this.backend.dispose(st.view);
    st.view = null;
    st.container.setAttribute("aria-label", c.options.description);
    const made = await this.backend.create(st.container, c, dark);
    if (!slot.contains(st.container)) return this.backend.dispose(made.view);
    // The figure is the image (role="img" + aria-label); the SVG inside is decoration for AT.
    st.container.querySelector("svg")?.setAttribute("aria-hidden", "true");
    st.view = made.view;
    st.key = key;
    slot.querySelector("figure.syslab-chart")?.removeAttribute("data-syslab-drawn");
    this.stats.embeds++;
    slot.dataset.syslabEmbeds = String(Number(slot.dataset.syslabEmbeds ?? 0) + 1);
    // Where the Vega spec came from: "precompiled" by the exporter, or compiled by the "page".
    slot.dataset.syslabSpec = made.spec;
  }

  /**
   * Updates the caption (every chart), and rebuilds the table only while it is open; a closed one
   * is marked stale, rebuilt on open.
   */
  #refreshTable(slot: HTMLElement, st: SlotState<V>, c: Chart): void {
    const caption = slot.querySelector("figcaption");
    if (caption && caption.textContent !== c.options.description) {
      caption.textContent = c.options.description;
    }
    const details = slot.querySelector<HTMLDetailsElement>(".syslab-chart-table");
    const body = slot.querySelector<HTMLElement>(".syslab-chart-table-body");
    if (!details || !body) return;
    if (details.open) body.innerHTML = c.tableMarkup();
    else st.tableStale = true;
  }

  #watchTable(slot: HTMLElement, st: SlotState<V>): void {
    const details = slot.querySelector<HTMLDetailsElement>(".syslab-chart-table");
    details?.addEventListener("toggle", () => {
      const body = slot.querySelector<HTMLElement>(".syslab-chart-table-body");
      if (details.open && st.tableStale && body) {
        body.innerHTML = st.latest.tableMarkup();
        st.tableStale = false;
      }
    });
  }

  #watchScheme(slot: HTMLElement, st: SlotState<V>): void {
    const q = darkQuery();
    if (!q) return;
    const onScheme = () => {
      if (!slot.isConnected || this.#slots.get(slot) !== st) {
        return q.removeEventListener("change", onScheme);
      }
      st.applied = null;
      this.mount(slot, st.latest);
    };
    q.addEventListener("change", onScheme);
  }
}

/** Only the datasets and signals of `c` that differ from `before` (same array: unchanged). */
export function changes(
  c: Chart,
  before: Chart | null,
): { datasets: Record<string, readonly unknown[]>; signals: Record<string, unknown> } {
  const datasets: Record<string, readonly unknown[]> = {};
  const signals: Record<string, unknown> = {};
  for (const [name, rows] of Object.entries(c.datasets)) {
    if (before?.datasets[name] !== rows) datasets[name] = rows;
  }
  for (const [name, v] of Object.entries(c.signals)) {
    if (!before || !Object.is(before.signals[name], v)) signals[name] = v;
  }
  return { datasets, signals };
}
