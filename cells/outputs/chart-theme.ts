/**
 * The charts' theme: vega-lite config for the light and the dark colour scheme (the syslab style
 * tokens), and {@link readableSpec}, which makes every colour a lab's spec fixes readable on the
 * scheme's background — text at WCAG 1.4.3's 4.5:1, lines and marks at 1.4.11's 3:1 — by
 * lightening (dark) or darkening (light) it just enough, keeping its hue. DOM-free, so the
 * exporter compiles specs with exactly the page's theme.
 */
import type { Config } from "vega-lite";

/** The surfaces a chart sits on (the lighter dark surface and the darker light one: worst cases). */
export const CHART_BACKGROUND = { light: "#f8fafc", dark: "#1e293b" } as const;
/** WCAG 2.1 minimum contrast for text (1.4.3) and for graphical objects (1.4.11). */
export const TEXT_CONTRAST = 4.5;
export const GRAPHIC_CONTRAST = 3;

const PALETTE = ["#006395", "#CC5500", "#008F45", "#CB202D", "#6366f1", "#A51C30"];

function rgb(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? m[1].replace(/./g, (c) => c + c) : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function hex([r, g, b]: readonly number[]): string {
  return "#" + [r, g, b].map((x) => Math.round(x).toString(16).padStart(2, "0")).join("");
}

/** WCAG relative luminance of an sRGB colour. */
function luminance(c: readonly number[]): number {
  const lin = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 … 21); NaN if either is not hex. */
export function contrastRatio(a: string, b: string): number {
  const x = rgb(a), y = rgb(b);
  if (!x || !y) return NaN;
  const [l1, l2] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (l1 + 0.05) / (l2 + 0.05);
}

/**
 * `color` if it already reaches `min` contrast on `background`, else the nearest mix of it with
 * white (dark background) or black (light background) that does. Non-hex colours pass through.
 */
export function readableColor(color: string, background: string, min: number): string {
  const c = rgb(color), bg = rgb(background);
  if (!c || !bg || contrastRatio(color, background) >= min) return color;
  const target = luminance(bg) < 0.5 ? [255, 255, 255] : [0, 0, 0];
  let lo = 0, hi = 1;
  for (let i = 0; i < 24; i++) {
    const t = (lo + hi) / 2;
    const mixed = hex(c.map((v, k) => v + (target[k] - v) * t));
    if (contrastRatio(mixed, background) >= min) hi = t;
    else lo = t;
  }
  return hex(c.map((v, k) => v + (target[k] - v) * hi));
}

/** The chart theme for the current colour scheme. */
export function themeConfig(dark: boolean): Config {
  const bg = dark ? CHART_BACKGROUND.dark : CHART_BACKGROUND.light;
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
      // Category colours also colour text marks (labels by series): text contrast for all.
      category: PALETTE.map((c) => readableColor(c, bg, TEXT_CONTRAST)),
    },
    mark: { color: dark ? "#7cc4ec" : "#006395", aria: false },
    // vega-lite draws text marks black unless told: the scheme's text colour instead.
    text: { color: text },
  } as Config;
}

type Json = Record<string, unknown>;
const COLOR_CHANNELS = ["color", "fill", "stroke"];

function isText(mark: unknown): boolean {
  return mark === "text" || (typeof mark === "object" && mark !== null &&
    (mark as Json).type === "text");
}

function fixValue(v: unknown, bg: string, min: number): unknown {
  return typeof v === "string" ? readableColor(v, bg, min) : v;
}

/** Fix a channel definition: `{value}`, `{condition: {value}}`, `{scale: {range: [...]}}`. */
function fixChannel(def: unknown, bg: string, min: number): unknown {
  if (!def || typeof def !== "object") return def;
  const d = { ...(def as Json) };
  if ("value" in d) d.value = fixValue(d.value, bg, min);
  if (d.condition) {
    d.condition = Array.isArray(d.condition)
      ? d.condition.map((c) => fixChannel(c, bg, min))
      : fixChannel(d.condition, bg, min);
  }
  const scale = d.scale as Json | undefined;
  if (scale && Array.isArray(scale.range)) {
    d.scale = { ...scale, range: scale.range.map((r) => fixValue(r, bg, min)) };
  }
  return d;
}

function fixUnit(spec: Json, bg: string, inherited: unknown): Json {
  const mark = spec.mark ?? inherited;
  const min = isText(mark) ? TEXT_CONTRAST : GRAPHIC_CONTRAST;
  const out: Json = { ...spec };
  if (spec.mark && typeof spec.mark === "object") {
    const m = { ...(spec.mark as Json) };
    for (const k of COLOR_CHANNELS) if (k in m) m[k] = fixValue(m[k], bg, min);
    out.mark = m;
  }
  if (spec.encoding && typeof spec.encoding === "object") {
    const e = { ...(spec.encoding as Json) };
    for (const k of COLOR_CHANNELS) if (k in e) e[k] = fixChannel(e[k], bg, min);
    out.encoding = e;
  }
  for (const k of ["layer", "concat", "hconcat", "vconcat"]) {
    if (Array.isArray(spec[k])) {
      out[k] = (spec[k] as unknown[]).map((s) => walk(s, bg, spec.mark ?? inherited));
    }
  }
  if (spec.spec && typeof spec.spec === "object") out.spec = walk(spec.spec, bg, inherited);
  return out;
}

function walk(spec: unknown, bg: string, inherited?: unknown): unknown {
  return spec && typeof spec === "object" && !Array.isArray(spec)
    ? fixUnit(spec as Json, bg, inherited)
    : spec;
}

/**
 * A copy of a vega-lite spec whose fixed colours (marks, `value`s, conditions, scale ranges)
 * reach {@link TEXT_CONTRAST} on text marks and {@link GRAPHIC_CONTRAST} on others against the
 * scheme's chart background. Colours already readable are kept, so light-mode specs are
 * mostly unchanged and dark mode gets lighter variants of the same hues.
 */
export function readableSpec<T>(spec: T, dark: boolean): T {
  return walk(spec, dark ? CHART_BACKGROUND.dark : CHART_BACKGROUND.light) as T;
}
