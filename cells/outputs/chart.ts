/**
 * Charts: a vega-lite spec plus data and signals. Headless, `html()` is a `<figure>` with the
 * description and the data as a table (tests and the pre-render see the numbers), and the SVG
 * drawn ahead when the exporter drew this chart (`chart-drawn.ts`). In the page, `mount(slot)`
 * keeps one Vega view per chart cell and updates it in place with `view.data()` and
 * `view.signal()`; it re-embeds only when the spec's structure (or the colour scheme) changes.
 * Until a slot's view is live, a drawing of the chart, if there is one, shows at once.
 * Vega is imported lazily inside `mount`, so this module stays DOM- and vega-free.
 */
import type { TopLevelSpec } from "vega-lite";
import { escapeHTML, type Renderable } from "../../runtime/render.ts";
import { attrs } from "../util.ts";
import { type Column, type Row, tableHTML } from "./table.ts";
import { afterPaint, drawingOf, drawnKey, drawnMarkup } from "./chart-drawn.ts";

type Loosen<T> = T extends { data: infer D } ? Omit<T, "data"> & { data?: D } : T;
/** A vega-lite spec whose `data` may be left out (it is then the dataset named "table"). */
export type ChartSpec = Loosen<TopLevelSpec>;

/** The dataset name used when `data` is a plain array. */
export const DEFAULT_DATASET = "table";

/** Options of a chart. */
export interface ChartOptions {
  /** Rows for `{ data: { name } }` datasets: an array (the dataset "table") or a name → rows map. */
  data?: readonly Row[] | Readonly<Record<string, readonly Row[]>>;
  /** Values for the spec's `params` (vega signals), updated in place. */
  signals?: Readonly<Record<string, unknown>>;
  /** What the chart shows, in words: its accessible name and caption. Required. */
  description: string;
  /** Columns of the "show as table" view (default: every field), or `false` for none. */
  table?: { columns?: readonly Column[]; dataset?: string; maxRows?: number } | false;
  testid?: string;
}

/** A chart output (see the module comment). */
export class Chart implements Renderable {
  readonly spec: TopLevelSpec;
  readonly datasets: Readonly<Record<string, readonly Row[]>>;
  readonly signals: Readonly<Record<string, unknown>>;
  /** Identifies the spec's structure: equal keys mean the view can be updated in place. */
  readonly structureKey: string;

  constructor(spec: ChartSpec, readonly options: ChartOptions) {
    if (!options.description?.trim()) {
      throw new Error("chart: a description is required (it is the chart's accessible name)");
    }
    const data = options.data ?? {};
    this.datasets = Array.isArray(data)
      ? { [DEFAULT_DATASET]: data as readonly Row[] }
      : data as Record<string, readonly Row[]>;
    const s = { ...spec } as TopLevelSpec & { data?: unknown };
    if (Array.isArray(data) && s.data === undefined) s.data = { name: DEFAULT_DATASET };
    // The description is not part of the spec: it changes with the data (it may quote numbers)
    // and must not count as a change of structure.
    this.spec = s;
    this.signals = options.signals ?? {};
    this.structureKey = JSON.stringify(s);
  }

  #drawnKey: string | undefined;
  /** The key of this chart's drawing ahead (`chart-drawn.ts`). */
  get drawnKey(): string {
    return (this.#drawnKey ??= drawnKey(this));
  }

  /** The rows shown by "show as table". */
  tableRows(): readonly Row[] {
    const t = this.options.table;
    const name = (t && t.dataset) || Object.keys(this.datasets)[0];
    return name ? this.datasets[name] ?? [] : [];
  }

  /** The table markup (empty when `table: false`). */
  tableMarkup(): string {
    const t = this.options.table;
    if (t === false) return "";
    return tableHTML(this.tableRows(), { columns: t?.columns, maxRows: t?.maxRows ?? 200 });
  }

  html(): string {
    const d = this.options.description;
    const table = this.options.table === false
      ? ""
      : `<details class="syslab-chart-table"><summary>Show as table</summary><div class="syslab-chart-table-body">${this.tableMarkup()}</div></details>`;
    const drawn = drawingOf(this);
    return `<figure${
      attrs({
        class: "syslab-chart",
        "data-testid": this.options.testid,
        "data-syslab-drawn": drawn ? this.drawnKey : undefined,
      })
    }><div${attrs({ class: "syslab-chart-view", role: "img", "aria-label": d })}>${
      drawn ? drawnMarkup(drawn) : ""
    }</div><figcaption>${escapeHTML(d)}</figcaption>${table}</figure>`;
  }

  mount(slot: HTMLElement): void {
    requested.set(slot, this);
    // A live view is updated in place; after the first chart its module is at hand (no
    // `import()` round trip per update).
    if (chartView?.ownsSlot(slot)) {
      return void chartView.mountChart(slot, this).catch((e) => failed(slot, e));
    }
    // Not live yet: the latest chart asked for goes live, after the frame that paints its drawing.
    const live = () =>
      loadChartView().then((m) => m.mountChart(slot, requested.get(slot)!)).catch((e) =>
        failed(slot, e)
      );
    if (this.#showDrawn(slot)) afterPaint(live);
    else live();
  }

  /** Shows this chart's drawing in `slot` if there is one (kept if it already shows). */
  #showDrawn(slot: HTMLElement): boolean {
    if (!drawingOf(this)) return false;
    const figure = slot.querySelector(":scope > figure.syslab-chart");
    if (figure?.getAttribute("data-syslab-drawn") !== this.drawnKey) slot.innerHTML = this.html();
    return true;
  }
}

/** The newest chart each slot was asked to show (what goes live once vega is ready). */
const requested = new WeakMap<HTMLElement, Chart>();

/** How long after the page loads the chart code warms up (the page boots first). */
const WARM_UP_AFTER_MS = 1500;

let chartView: typeof import("./chart-view.ts") | null = null;
let loading: Promise<typeof import("./chart-view.ts")> | null = null;

/** Loads the browser half of charts (vega) once, and warms it up on a tiny chart. */
function loadChartView(): Promise<typeof import("./chart-view.ts")> {
  loading ??= import("./chart-view.ts").then((m) => (chartView = m));
  return loading;
}

// In a page, get vega ready while the student reads the first question — after the page has
// booted, in idle time — so the first chart a prediction reveals does not pay for loading and
// compiling it.
if (typeof requestIdleCallback === "function") {
  setTimeout(
    () =>
      requestIdleCallback(() => loadChartView().then((m) => m.warmUp()).catch(() => {}), {
        timeout: 3000,
      }),
    WARM_UP_AFTER_MS,
  );
}

function failed(slot: HTMLElement, e: unknown): void {
  console.error("chart: could not render", e);
  const view = slot.querySelector(".syslab-chart-view");
  if (view) view.textContent = `chart could not render: ${(e as Error).message}`;
}

/**
 * A vega-lite chart: `chart(spec, { data, signals, description })`. Put data in `data` (not
 * inline in the spec) so that a new value updates the view instead of rebuilding it.
 */
export function chart(spec: ChartSpec, options: ChartOptions): Chart {
  return new Chart(spec, options);
}
