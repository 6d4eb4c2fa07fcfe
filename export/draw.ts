/**
 * The exporter draws charts to SVG headless, with the same Vega spec, data and signals the
 * page's view would get (`cells/outputs/chart-drawn.ts` says where the drawings go).
 *
 * Deno has no canvas to measure text, and the reader's font is not known here anyway, so text
 * widths come from the Helvetica advance widths (Arial has the same): close to the system sans
 * fonts a page uses, much closer than vega's fallback (0.8 em a character). Axis titles and
 * labels may sit a pixel or two from where the live view puts them; the live view replaces the
 * drawing a frame after it shows.
 */
import * as vega from "vega";
import { parse, View, Warn } from "vega";
import type { Chart } from "../cells/outputs/chart.ts";
import { type VegaSpec, withDatasets } from "../cells/outputs/vega-spec.ts";

/**
 * Helvetica advance widths (1/1000 em) of the printable ASCII characters, space (32) to tilde
 * (126), regular then bold. Source: Adobe's Core 14 font metrics, Helvetica.afm and
 * Helvetica-Bold.afm.
 */
const HELVETICA = [
  278,
  278,
  355,
  556,
  556,
  889,
  667,
  191,
  333,
  333,
  389,
  584,
  278,
  333,
  278,
  278, // space…/
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556, // 0…9
  278,
  278,
  584,
  584,
  584,
  556,
  1015, // :…@
  667,
  667,
  722,
  722,
  667,
  611,
  778,
  722,
  278,
  500,
  667,
  556,
  833, // A…M
  722,
  778,
  667,
  778,
  722,
  667,
  611,
  722,
  667,
  944,
  667,
  667,
  611, // N…Z
  278,
  278,
  278,
  469,
  556,
  333, // [ \ ] ^ _ `
  556,
  556,
  500,
  556,
  556,
  278,
  556,
  556,
  222,
  222,
  500,
  222,
  833, // a…m
  556,
  556,
  556,
  556,
  333,
  500,
  278,
  556,
  500,
  722,
  500,
  500,
  500, // n…z
  334,
  260,
  334,
  584, // { | } ~
];
const HELVETICA_BOLD = [
  278,
  333,
  474,
  556,
  556,
  889,
  722,
  238,
  333,
  333,
  389,
  584,
  278,
  333,
  278,
  278,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  333,
  333,
  584,
  584,
  584,
  611,
  975,
  722,
  722,
  722,
  722,
  667,
  611,
  778,
  722,
  278,
  556,
  722,
  611,
  833,
  722,
  778,
  667,
  778,
  722,
  667,
  611,
  722,
  667,
  944,
  667,
  667,
  611,
  333,
  278,
  333,
  584,
  556,
  333,
  556,
  611,
  556,
  611,
  556,
  333,
  611,
  611,
  278,
  278,
  556,
  278,
  889,
  611,
  611,
  611,
  611,
  389,
  556,
  333,
  611,
  556,
  778,
  556,
  556,
  500,
  389,
  280,
  389,
  584,
];

/** A text item as vega passes it to `textMetrics.width`. */
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/**
 * The width in pixels of `text` set in Helvetica at the item's size and weight (11 px and
 * regular by default, as in vega). Characters outside ASCII count as a digit's width.
 */
export function helveticaWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const w = item.fontWeight;
  const bold = w === "bold" || w === "bolder" || (typeof w === "number" && w >= 600) ||
    (typeof w === "string" && Number(w) >= 600);
  const table = bold ? HELVETICA_BOLD : HELVETICA;
  const s = text == null ? "" : String(text).trim();
  let units = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    units += c >= 32 && c <= 126 ? table[c - 32] : 556;
  }
  return (units * size) / 1000;
}

// vega re-exports vega-scenegraph's `textMetrics`, which its types leave out.
(vega as unknown as { textMetrics: { width: typeof helveticaWidth } }).textMetrics.width =
  helveticaWidth;

/**
 * The SVG of `chart` drawn from its compiled Vega `spec`: the data inline, the signals set before
 * the first run, as `chart-view.ts` builds a live view.
 */
export async function drawChart(spec: VegaSpec, chart: Chart): Promise<string> {
  // vega tags the rows it ingests: it gets a copy, the compiled spec and the chart stay as they are.
  const own = structuredClone(withDatasets(spec, chart.datasets));
  const view = new View(parse(own as never), {
    renderer: "none",
    logLevel: Warn,
  });
  try {
    for (const [name, v] of Object.entries(chart.signals)) view.signal(name, v);
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
