/**
 * Charts drawn ahead. The exporter draws to SVG, in both colour schemes, the charts a student sees
 * first: the first page's are in the pre-rendered page (they show before any script runs, print,
 * and the lab keeps them as it takes the page over), and those a choice reveals (the chart behind
 * a prediction) are in a JSON script element. Drawings are keyed by the chart's whole content
 * (structure, data, signals), so one is shown only for the very chart it depicts: the moment the
 * chart's cell runs, until its live Vega view replaces it a frame later (`chart.ts`). CSS shows
 * the drawing of the current scheme. Vega-free, so a chart can appear before vega is loaded.
 */
import { hashSource } from "../../runtime/hash.ts";

/** The id of the `<script type="application/json">` holding an exported page's drawings. */
export const DRAWN_CHARTS_ID = "syslab-drawn-charts";

/** Drawings by `drawnKey`: the SVG in the light scheme, then in the dark one. */
export type DrawnCharts = Record<string, readonly [light: string, dark: string]>;

/** What a drawing depends on: a chart's structure, data and signals. */
export interface DrawnContent {
  readonly structureKey: string;
  readonly datasets: Readonly<Record<string, readonly unknown[]>>;
  readonly signals: Readonly<Record<string, unknown>>;
}

/** The key of a chart's drawing: two 32-bit hashes of its whole content. */
export function drawnKey(c: DrawnContent): string {
  const text = JSON.stringify([c.structureKey, c.datasets, c.signals]);
  return `${hashSource(text)}${hashSource(`\u0001${text}`)}`;
}

let drawings: DrawnCharts | null | undefined;

/**
 * Uses `map` as the drawings at hand (the exporter, while it pre-renders a page); `undefined`
 * goes back to reading the page's own, on first need.
 */
export function useDrawnCharts(map: DrawnCharts | null | undefined): void {
  drawings = map;
}

/** The drawing of a chart, if the page (or the exporter) has one (no key computed otherwise). */
export function drawingOf(c: { readonly drawnKey: string }): readonly [string, string] | null {
  if (drawings === undefined) {
    const el = typeof document === "undefined" ? null : document.getElementById(DRAWN_CHARTS_ID);
    drawings = el?.textContent ? JSON.parse(el.textContent) : null;
  }
  return drawings ? drawings[c.drawnKey] ?? null : null;
}

/** A drawing's markup inside a chart's view: one copy per scheme, the stylesheet shows one. */
export function drawnMarkup([light, dark]: readonly [string, string]): string {
  return `<div class="syslab-drawn" data-scheme="light" aria-hidden="true">${light}</div>` +
    `<div class="syslab-drawn" data-scheme="dark" aria-hidden="true">${dark}</div>`;
}

/** Calls `fn` after the browser painted the current frame. */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
