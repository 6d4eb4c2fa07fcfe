/**
 * From a chart's vega-lite spec to the Vega spec a view runs. The page compiles with vega-lite
 * when it must; an exported page carries the compiled specs of every chart the lab can draw
 * (`export/ahead.ts`) in a JSON script element, so its charts skip vega-lite (about 80 ms for
 * the first chart of a cold page, and 260 KB of script it never has to parse).
 */
import type { TopLevelSpec } from "vega-lite";
import { hashSource } from "../../runtime/hash.ts";
import { readableSpec, themeConfig } from "./chart-theme.ts";
import { chunkReady } from "../../runtime/chunk.ts";

/** A compiled Vega spec (kept loose: vega's own types are not needed to pass it along). */
export type VegaSpec = { data?: VegaData[] } & Record<string, unknown>;
/** One entry of a Vega spec's `data`. */
export type VegaData = { name: string; values?: unknown; source?: unknown; url?: unknown };

/** The id of the `<script type="application/json">` holding an exported page's compiled specs. */
export const VEGA_SPECS_ID = "syslab-vega-specs";

/** The key of a chart's compiled spec: two 32-bit hashes of its structure, and the scheme. */
export function vegaSpecKey(structureKey: string, dark: boolean): string {
  return `${dark ? "d" : "l"}${hashSource(structureKey)}${hashSource(`\u0001${structureKey}`)}`;
}

/** vega-lite's `compile`, passed in: the page imports vega-lite lazily, the exporter directly. */
export type VegaLiteCompile = (
  spec: TopLevelSpec,
  opts: { config: ReturnType<typeof themeConfig> },
) => { spec: unknown };

/**
 * Compiles a chart spec (datasets by name, no values) with the theme of a colour scheme, its
 * fixed colours made readable on that scheme's background (chart-theme.ts). The
 * `$schema` link vega-lite writes is left out: Vega does not read it, and an exported page holds
 * no external URL.
 */
export function compileChartSpec(
  compile: VegaLiteCompile,
  spec: TopLevelSpec,
  dark: boolean,
): VegaSpec {
  const { $schema: _schema, ...vega } = compile(readableSpec(spec, dark), {
    config: themeConfig(dark),
  })
    .spec as VegaSpec;
  return vega;
}

/**
 * A copy of `spec` whose named datasets carry their rows, so the view's first run sees the data
 * (no empty-data pass). The compiled spec itself is shared and never changed.
 */
export function withDatasets(
  spec: VegaSpec,
  datasets: Readonly<Record<string, readonly unknown[]>>,
): VegaSpec {
  const data = spec.data?.map((d) =>
    d.values === undefined && d.source === undefined && d.url === undefined &&
      datasets[d.name] !== undefined
      ? { ...d, values: datasets[d.name] }
      : d
  );
  return data ? { ...spec, data } : spec;
}

let precompiled: Record<string, VegaSpec> | null | undefined;

/** The exported page's compiled spec for a structure and scheme (null: none, or no page). */
export function precompiledSpec(structureKey: string, dark: boolean): VegaSpec | null {
  if (precompiled === undefined) {
    const el = typeof document === "undefined" ? null : document.getElementById(VEGA_SPECS_ID);
    precompiled = el?.textContent ? JSON.parse(el.textContent) : null;
  }
  return precompiled?.[vegaSpecKey(structureKey, dark)] ?? null;
}

/**
 * The Vega spec of a chart spec: the page's precompiled one, or compiled here with vega-lite
 * (loaded on first need). Says which.
 */
export async function vegaSpecFor(
  structureKey: string,
  spec: TopLevelSpec,
  dark: boolean,
): Promise<{ spec: VegaSpec; from: "precompiled" | "page" }> {
  const hit = precompiledSpec(structureKey, dark);
  if (hit) return { spec: hit, from: "precompiled" };
  await chunkReady("vega-lite"); // an exported page's vega-lite chunk: after its module, packed
  const vl = await import("vega-lite");
  return { spec: compileChartSpec(vl.compile, spec, dark), from: "page" };
}
