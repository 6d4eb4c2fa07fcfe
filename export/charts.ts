/**
 * Precompiles an exported lab's charts: every chart the exploration (`explore.ts`) finds is
 * compiled from vega-lite to Vega once per colour scheme, keyed as the page looks it up
 * (`cells/outputs/vega-spec.ts`). The page then builds its views straight from Vega.
 */
import { compile } from "vega-lite";
import { Chart } from "../cells/outputs/chart.ts";
import { compileChartSpec, type VegaSpec, vegaSpecKey } from "../cells/outputs/vega-spec.ts";
import type { LabDefinition } from "../runtime/lab.ts";
import { exploreLab } from "./explore.ts";

/** The compiled specs by key (sorted, so the same lab gives the same bytes), and counts. */
export interface PrecompiledCharts {
  specs: Record<string, VegaSpec>;
  /** Distinct chart structures found. */
  structures: number;
  /** States the exploration visited. */
  states: number;
}

/** Finds and compiles every chart structure of `def`. */
export async function precompileCharts(def: LabDefinition): Promise<PrecompiledCharts> {
  const found = new Map<string, Chart>();
  const { states } = await exploreLab(def, (value) => {
    if (value instanceof Chart && !found.has(value.structureKey)) {
      found.set(value.structureKey, value);
    }
  });
  const specs: Record<string, VegaSpec> = {};
  for (const [key, chart] of found) {
    for (const dark of [false, true]) {
      specs[vegaSpecKey(key, dark)] = compileChartSpec(compile, chart.spec, dark);
    }
  }
  const sorted = Object.fromEntries(Object.entries(specs).sort(([a], [b]) => a < b ? -1 : 1));
  return { specs: sorted, structures: found.size, states };
}

/** The specs as the text of a `<script type="application/json">` (no `<` to end it early). */
export function specsScriptText(specs: Record<string, VegaSpec>): string {
  return JSON.stringify(specs).replace(/</g, "\\u003c");
}
