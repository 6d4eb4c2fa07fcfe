/**
 * What an exported page gets rendered ahead, from one walk of the lab (`explore.ts`):
 * - every chart structure, compiled from vega-lite to Vega once per colour scheme (the page's
 *   views are built straight from Vega; vega-lite stays unloaded) — those behind an act's lock
 *   too, found by committing the locks, but only their structure: a compiled spec holds the
 *   marks, encodings and axis titles the lab's code already holds, never a chart's data;
 * - for the states one choice away from the first page — the defaults, and each answer to each
 *   prediction, toggle or option list — their markdown parses, so that a student's first steps
 *   need no markdown or TeX engine. Slider positions are left out: a slider lands anywhere.
 * - charts drawn to SVG in both schemes (`draw.ts`): the first page's, for the pre-render, and
 *   those a choice away reveals in a cell that shows no chart on the first page (the chart a
 *   prediction unlocks), so they show at once, before vega has run. A chart already on the first
 *   page is live by the time a student changes it: its other states are not drawn.
 * All are sorted, so the same lab gives the same bytes.
 */
import { compile } from "vega-lite";
import { Chart } from "../cells/outputs/chart.ts";
import { Composite } from "../cells/outputs/html.ts";
import { type MarkdownParse, watchMarkdown } from "../cells/outputs/md.ts";
import { compileChartSpec, type VegaSpec, vegaSpecKey } from "../cells/outputs/vega-spec.ts";
import type { LabDefinition } from "../runtime/lab.ts";
import { exploreLab, type WalkState } from "./explore.ts";
import { type DrawnCharts } from "../cells/outputs/chart-drawn.ts";
import { drawChart } from "./draw.ts";

/** The exporter's ahead-of-time renders of one lab. */
export interface RenderedAhead {
  /** Compiled Vega specs by `vegaSpecKey`. */
  charts: Record<string, VegaSpec>;
  /** Markdown parses by source key, as `md.ts` seeds them. */
  markdown: Array<[string, MarkdownParse[]]>;
  /** The first page's charts drawn to SVG, by `drawnKey` (for the pre-render). */
  firstPage: DrawnCharts;
  /** Charts a choice away reveals, drawn to SVG, by `drawnKey` (for the page to show). */
  drawn: DrawnCharts;
  /** Distinct chart structures found. */
  structures: number;
  /** States the walk visited. */
  states: number;
}

/** Every chart in a cell's value: the value itself, or the live parts of its layouts, in order. */
export function chartsIn(value: unknown): Chart[] {
  if (value instanceof Chart) return [value];
  if (value instanceof Composite) return value.parts.flatMap(chartsIn);
  return [];
}

/** Walks `def` and renders its charts and first markdown ahead. */
export async function renderAhead(def: LabDefinition): Promise<RenderedAhead> {
  const found = new Map<string, Chart>();
  const markdown = new Map<string, Map<string, MarkdownParse>>();
  const onFirstPage = new Map<string, Chart>();
  const revealed = new Map<string, Chart>();
  const firstPageCells = new Set<string>();
  let current: WalkState | null = null;
  const oneChoiceAway = () => current?.base === "defaults" && current.discrete;
  watchMarkdown((source, parse) => {
    if (!oneChoiceAway()) return;
    const list = markdown.get(source) ?? new Map<string, MarkdownParse>();
    list.set(JSON.stringify(parse.math), parse);
    markdown.set(source, list);
  });
  let states: number;
  try {
    states = await exploreLab(def, (value, cell, state) => {
      // A chart inside a layout (vstack, hstack, grid…) has its structure compiled too, or the
      // page would load and run vega-lite for it; only a cell's own chart is drawn ahead.
      for (const nested of chartsIn(value)) {
        if (!found.has(nested.structureKey)) found.set(nested.structureKey, nested);
      }
      if (!(value instanceof Chart)) return;
      if (state.base === "defaults" && state.input === null) {
        onFirstPage.set(value.drawnKey, value);
        firstPageCells.add(cell);
      } else if (oneChoiceAway() && !firstPageCells.has(cell)) {
        revealed.set(value.drawnKey, value);
      }
    }, { enter: (s) => (current = s) });
  } finally {
    watchMarkdown(null);
  }
  const charts: Record<string, VegaSpec> = {};
  for (const [key, chart] of found) {
    for (const dark of [false, true]) {
      charts[vegaSpecKey(key, dark)] = compileChartSpec(compile, chart.spec, dark);
    }
  }
  const draw = async (list: Map<string, Chart>) => {
    const out: DrawnCharts = {};
    for (const [key, chart] of [...list].sort(byKey)) {
      out[key] = await Promise.all(
        [false, true].map((dark) =>
          drawChart(charts[vegaSpecKey(chart.structureKey, dark)], chart)
        ),
      ) as [string, string];
    }
    return out;
  };
  return {
    charts: sortedRecord(charts),
    firstPage: await draw(onFirstPage),
    drawn: await draw(revealed),
    markdown: [...markdown].sort(byKey).map(([k, m]) => [k, [...m].sort(byKey).map(([, p]) => p)]),
    structures: found.size,
    states,
  };
}

function byKey<T>([a]: [string, T], [b]: [string, T]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(byKey));
}

/** JSON for a `<script type="application/json">` element (no `<` to end it early). */
export function jsonScriptText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
