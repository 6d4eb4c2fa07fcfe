/**
 * Issue 16 item 6: every text in every chart of every lab reaches 4.5:1 in light and dark mode
 * (v1-11's "N = 256" was black on navy, 1.18:1; ridge and budget labels 2.36:1). The charts are
 * the ones the exporter finds by walking each lab; their compiled Vega specs are checked.
 */
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import {
  CHART_BACKGROUND,
  contrastRatio,
  readableColor,
  readableSpec,
  TEXT_CONTRAST,
  themeConfig,
} from "../../cells/outputs/chart-theme.ts";
import { Chart } from "../../cells/outputs/chart.ts";
import { compileChartSpec, type VegaSpec } from "../../cells/outputs/vega-spec.ts";
import { exploreLab } from "../../export/explore.ts";
import { labIds, resolveLab } from "../../runtime/catalog.ts";
import { importLab } from "../../runtime/loader.ts";

type Json = Record<string, unknown>;

/** Every colour a compiled spec gives text: text marks' fills (values and scale ranges), axes, legends. */
function textColors(spec: VegaSpec): string[] {
  const out: string[] = [];
  const scales = new Map<string, Json>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Json;
    for (const s of (n.scales as Json[] | undefined) ?? []) scales.set(s.name as string, s);
    for (const m of (n.marks as Json[] | undefined) ?? []) {
      if (m.type === "text") {
        const enc = m.encode as Record<string, Json> | undefined;
        for (const set of Object.values(enc ?? {})) {
          const fills = Array.isArray(set.fill) ? set.fill : set.fill ? [set.fill] : [];
          for (const f of fills as Json[]) {
            if (typeof f.value === "string") out.push(f.value);
            const range = f.scale ? scales.get(f.scale as string)?.range : undefined;
            if (Array.isArray(range)) out.push(...range.filter((r) => typeof r === "string"));
          }
        }
      }
      visit(m);
    }
  };
  visit(spec);
  const cfg = (spec.config ?? {}) as Record<string, Json>;
  for (const k of ["labelColor", "titleColor"]) {
    for (const part of ["axis", "legend"]) {
      if (typeof cfg[part]?.[k] === "string") out.push(cfg[part][k] as string);
    }
  }
  return out;
}

Deno.test("readableColor reaches the target contrast with the smallest change, keeping readable colours", () => {
  for (const bg of Object.values(CHART_BACKGROUND)) {
    for (const c of ["#000000", "#475569", "#94a3b8", "#006395", "#008F45", "#ffffff", "#CC5500"]) {
      const r = readableColor(c, bg, TEXT_CONTRAST);
      assert.ok(contrastRatio(r, bg) >= TEXT_CONTRAST, `${c} on ${bg} → ${r}`);
      if (contrastRatio(c, bg) >= TEXT_CONTRAST) assert.equal(r, c);
    }
  }
  assert.ok(Math.abs(contrastRatio("#000000", "#ffffff") - 21) < 1e-9);
  assert.equal(readableColor("steelblue", "#1e293b", 4.5), "steelblue");
  // The theme's own category colours double as text colours.
  for (const dark of [false, true]) {
    const bg = dark ? CHART_BACKGROUND.dark : CHART_BACKGROUND.light;
    const cat = (themeConfig(dark).range as { category: string[] }).category;
    for (const c of cat) assert.ok(contrastRatio(c, bg) >= TEXT_CONTRAST, c);
  }
  // A layered spec: text marks get text contrast, lines graphic contrast, ranges and values too.
  const spec = readableSpec({
    layer: [
      { mark: { type: "text", color: "#475569" } },
      { mark: { type: "line", color: "#006395" } },
      { mark: "text", encoding: { color: { field: "x", scale: { range: ["#008F45"] } } } },
    ],
  }, true) as { layer: Array<Json> };
  assert.ok(contrastRatio((spec.layer[0].mark as Json).color as string, "#1e293b") >= 4.5);
  assert.ok(contrastRatio((spec.layer[1].mark as Json).color as string, "#1e293b") >= 3);
  const range = (((spec.layer[2].encoding as Json).color as Json).scale as Json).range as string[];
  assert.ok(contrastRatio(range[0], "#1e293b") >= 4.5);
});

Deno.test("every chart text of every lab is ≥ 4.5:1 on its background, light and dark", async () => {
  const bad: string[] = [];
  let charts = 0;
  for (const id of labIds()) {
    const def = await importLab(resolveLab(id).href);
    const found = new Map<string, Chart>();
    await exploreLab(def, (value) => {
      if (value instanceof Chart && !found.has(value.structureKey)) {
        found.set(value.structureKey, value);
      }
    });
    for (const chart of found.values()) {
      charts++;
      for (const dark of [false, true]) {
        const bg = dark ? CHART_BACKGROUND.dark : CHART_BACKGROUND.light;
        for (const c of textColors(compileChartSpec(compile, chart.spec, dark))) {
          const r = contrastRatio(c, bg);
          if (!(r >= TEXT_CONTRAST)) {
            bad.push(`${id} ${dark ? "dark" : "light"}: ${c} ${r.toFixed(2)}:1`);
          }
        }
      }
    }
  }
  assert.ok(charts >= 6, `only ${charts} charts found`);
  assert.deepEqual([...new Set(bad)], []);
});
