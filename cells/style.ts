/**
 * The course's style tokens (labs.md: COLORS, radii 8/12/16 px, the crimson `#A51C30` header
 * border) as CSS custom properties, with light and dark themes following `prefers-color-scheme`,
 * plus the classes static outputs use. One stylesheet for the whole page: `cellsCSS`. Lit
 * elements read the same custom properties (they inherit through shadow roots).
 */

/** The course palette (labs.md "Style tokens"), for chart specs and custom markup. */
export const COLORS = {
  BlueLine: "#006395",
  BlueL: "#D1E6F3",
  BlueLL: "#EBF4FA",
  GreenLine: "#008F45",
  GreenL: "#D4EFDF",
  GreenLL: "#ECFDF5",
  RedLine: "#CB202D",
  RedL: "#F5D2D5",
  RedLL: "#FEF2F2",
  OrangeLine: "#CC5500",
  OrangeL: "#FFE5CC",
  OrangeLL: "#FFF7ED",
  Surface0: "#0f172a",
  Surface1: "#1e293b",
  Surface2: "#f8fafc",
  Border: "#e2e8f0",
  Text: "#0f172a",
  TextSec: "#475569",
  TextMuted: "#94a3b8",
  Cloud: "#6366f1",
  Edge: "#CB202D",
  Mobile: "#CC5500",
  Tiny: "#008F45",
  Crimson: "#A51C30",
} as const;

/** Corner radii (px). */
export const RADII = { sm: 8, md: 12, lg: 16 } as const;

/** The kinds of callout, badge and banner. */
export type Kind = "neutral" | "info" | "success" | "warn" | "danger";

const light = () => `
  --syslab-bg: #ffffff;
  --syslab-surface: #ffffff;
  --syslab-surface-2: ${COLORS.Surface2};
  --syslab-border: ${COLORS.Border};
  --syslab-text: ${COLORS.Text};
  --syslab-text-sec: ${COLORS.TextSec};
  --syslab-primary: ${COLORS.BlueLine};
  --syslab-on-primary: #ffffff;
  --syslab-crimson: ${COLORS.Crimson};
  --syslab-focus: #1d4ed8;
  --syslab-neutral-bg: ${COLORS.Surface2};
  --syslab-neutral-border: #94a3b8;
  --syslab-neutral-fg: #334155;
  --syslab-info-bg: ${COLORS.BlueLL};
  --syslab-info-border: ${COLORS.BlueLine};
  --syslab-info-fg: #004a70;
  --syslab-success-bg: ${COLORS.GreenLL};
  --syslab-success-border: ${COLORS.GreenLine};
  --syslab-success-fg: #05603a;
  --syslab-warn-bg: ${COLORS.OrangeLL};
  --syslab-warn-border: ${COLORS.OrangeLine};
  --syslab-warn-fg: #8a3a00;
  --syslab-danger-bg: ${COLORS.RedLL};
  --syslab-danger-border: ${COLORS.RedLine};
  --syslab-danger-fg: #9b1620;
  --syslab-hud-bg: ${COLORS.Surface0};
  --syslab-hud-fg: #e2e8f0;
  --syslab-hud-label: #cbd5e1;
  --syslab-hud-ok: #4ade80;
  --syslab-hud-bad: #fca5a5;`;

const dark = () => `
  --syslab-bg: ${COLORS.Surface0};
  --syslab-surface: ${COLORS.Surface1};
  --syslab-surface-2: #172033;
  --syslab-border: #334155;
  --syslab-text: #f1f5f9;
  --syslab-text-sec: #cbd5e1;
  --syslab-primary: #7cc4ec;
  --syslab-on-primary: #0f172a;
  --syslab-crimson: #f07c8e;
  --syslab-focus: #93c5fd;
  --syslab-neutral-bg: #1e293b;
  --syslab-neutral-border: #64748b;
  --syslab-neutral-fg: #e2e8f0;
  --syslab-info-bg: #0c2a3d;
  --syslab-info-border: #5fb3e0;
  --syslab-info-fg: #bfe3f7;
  --syslab-success-bg: #0b2e1f;
  --syslab-success-border: #4ade80;
  --syslab-success-fg: #bbf7d0;
  --syslab-warn-bg: #3a230b;
  --syslab-warn-border: #fb923c;
  --syslab-warn-fg: #fed7aa;
  --syslab-danger-bg: #3b0d12;
  --syslab-danger-border: #f87171;
  --syslab-danger-fg: #fecaca;
  --syslab-hud-bg: #020617;
  --syslab-hud-fg: #e2e8f0;
  --syslab-hud-label: #cbd5e1;
  --syslab-hud-ok: #4ade80;
  --syslab-hud-bad: #fca5a5;`;

const kinds: Kind[] = ["neutral", "info", "success", "warn", "danger"];
const kindRules = () =>
  kinds.map((k) =>
    `[data-kind="${k}"] { --k-bg: var(--syslab-${k}-bg); --k-border: var(--syslab-${k}-border); ` +
    `--k-fg: var(--syslab-${k}-fg); }`
  ).join("\n");

/**
 * The page stylesheet for every cells/ output (tokens, light/dark, component classes). Built by a
 * pure call, so a page bundle that never reads it (the exporter inlines it as a `<style>`) drops
 * its 9 KB.
 */
export const cellsCSS = /* @__PURE__ */ (() => `
:root {
  color-scheme: light dark;
  --syslab-radius-sm: ${RADII.sm}px;
  --syslab-radius-md: ${RADII.md}px;
  --syslab-radius-lg: ${RADII.lg}px;
  --syslab-readable-width: 720px;
  --syslab-panel-width: 840px;
  --syslab-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --syslab-mono: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
  --syslab-cloud: ${COLORS.Cloud};
  --syslab-edge: ${COLORS.Edge};
  --syslab-mobile: ${COLORS.Mobile};
  --syslab-tiny: ${COLORS.Tiny};${light()}
}
@media (prefers-color-scheme: dark) {
  :root {${dark()}
  }
}
html { background: var(--syslab-bg); color: var(--syslab-text); font-family: var(--syslab-font); }
${kindRules()}
.syslab-md { line-height: 1.6; max-width: var(--syslab-panel-width); }
.syslab-md > :first-child { margin-top: 0; }
.syslab-md > :last-child { margin-bottom: 0; }
.syslab-md code { font-family: var(--syslab-mono); font-size: 0.9em; }
.syslab-md pre { background: var(--syslab-surface-2); border: 1px solid var(--syslab-border);
  border-radius: var(--syslab-radius-sm); padding: 0.75rem 1rem; overflow-x: auto; }
.syslab-md a { color: var(--syslab-primary); }
.syslab-math-display { display: block; overflow-x: auto; margin: 0.75rem 0; }
.syslab-math-wrap { display: flex; flex-wrap: wrap; justify-content: center; align-items: baseline;
  column-gap: 0.3em; row-gap: 0.35rem; }
.syslab-math-wrap > math { flex: 0 1 auto; max-width: 100%; overflow-x: auto; }
.syslab-callout { border: 1px solid var(--k-border); border-left-width: 4px; background: var(--k-bg);
  color: var(--syslab-text); border-radius: var(--syslab-radius-sm); padding: 0.75rem 1rem;
  margin: 0.5rem 0; }
.syslab-callout-title { font-weight: 700; color: var(--k-fg); margin: 0 0 0.25rem; }
.syslab-badge { display: inline-block; padding: 0.15rem 0.6rem; border-radius: 999px;
  font-size: 0.8rem; font-weight: 600; background: var(--k-bg); color: var(--k-fg);
  border: 1px solid var(--k-border); }
.syslab-badges { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.syslab-stat { border: 1px solid var(--syslab-border); border-radius: var(--syslab-radius-md);
  background: var(--syslab-surface); padding: 0.9rem 1.2rem; min-width: min(10rem, 100%);
  box-sizing: border-box; text-align: center;
  border-top: 3px solid var(--k-border); }
.syslab-stat-label { margin: 0; color: var(--syslab-text-sec); font-size: 0.8rem; font-weight: 600;
  letter-spacing: 0.02em; }
.syslab-stat-value { margin: 0.25rem 0; font-family: var(--syslab-mono); font-size: 1.8rem;
  font-weight: 800; color: var(--k-fg); }
.syslab-stat[data-kind="neutral"] .syslab-stat-value { color: var(--syslab-text); }
.syslab-stat-caption { margin: 0; color: var(--syslab-text-sec); font-size: 0.8rem; }
.syslab-metric-row { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.syslab-hstack { display: flex; flex-direction: row; }
.syslab-vstack { display: flex; flex-direction: column; }
.syslab-grid { display: grid; }
.syslab-accordion details { border: 1px solid var(--syslab-border);
  border-radius: var(--syslab-radius-sm); margin: 0.5rem 0; background: var(--syslab-surface); }
.syslab-accordion summary { cursor: pointer; padding: 0.6rem 1rem; font-weight: 600; }
.syslab-accordion summary:focus-visible, .syslab-chart summary:focus-visible {
  outline: 2px solid var(--syslab-focus); outline-offset: 2px; }
.syslab-accordion-body { padding: 0 1rem 0.75rem; }
.syslab-table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.5rem 0; }
.syslab-table th, .syslab-table td { border-bottom: 1px solid var(--syslab-border);
  padding: 0.3rem 0.75rem; text-align: left; }
.syslab-table td[data-num] { text-align: right; }
.syslab-table caption { text-align: left; color: var(--syslab-text-sec); padding-bottom: 0.25rem; }
.syslab-chart { margin: 0.75rem 0; }
.syslab-chart figcaption { color: var(--syslab-text-sec); font-size: 0.85rem; }
.syslab-chart summary { cursor: pointer; color: var(--syslab-primary); font-size: 0.85rem; }
.syslab-chart-view { min-height: 2rem; max-width: 100%; overflow-x: auto; }
/* A chart wider than the screen scales down to fit (Vega's SVG and canvas keep their aspect). */
.syslab-chart-view svg, .syslab-chart-view canvas { max-width: 100%; height: auto; }
.syslab-table-scroll { max-width: 100%; overflow-x: auto; }
@media print {
  .syslab-chart, .syslab-stat, .syslab-callout, .syslab-header, figure { break-inside: avoid; }
}
@media (max-width: 40rem) {
  .syslab-hstack > .syslab-stack-item { min-width: 100%; }
  .syslab-metric-row > .syslab-stat { flex: 1 1 100%; }
}
.syslab-drawn[data-scheme="dark"] { display: none; }
@media (prefers-color-scheme: dark) {
  .syslab-drawn[data-scheme="light"] { display: none; }
  .syslab-drawn[data-scheme="dark"] { display: block; }
}
.syslab-header { background: var(--syslab-surface); border: 1px solid var(--syslab-border);
  border-left: 6px solid var(--syslab-crimson); border-radius: var(--syslab-radius-lg);
  padding: 1.5rem 2rem; margin-bottom: 1rem; }
.syslab-header-kicker { margin: 0 0 0.4rem; font-size: 0.75rem; font-weight: 700;
  letter-spacing: 0.15em; text-transform: uppercase; color: var(--syslab-text-sec); }
.syslab-header h1 { margin: 0 0 0.5rem; font-size: 2.1rem; line-height: 1.15; }
.syslab-header-subtitle { margin: 0 0 1rem; color: var(--syslab-text-sec);
  max-width: var(--syslab-readable-width); line-height: 1.6; }
.syslab-stakeholder { border-left: 4px solid var(--syslab-primary); background: var(--syslab-info-bg);
  border-radius: 0 var(--syslab-radius-sm) var(--syslab-radius-sm) 0; padding: 1rem 1.4rem;
  margin: 0.75rem 0; }
.syslab-stakeholder-byline { margin: 0 0 0.4rem; font-size: 0.75rem; font-weight: 700;
  text-transform: uppercase; letter-spacing: 0.1em; color: var(--syslab-info-fg); }
.syslab-stakeholder blockquote { margin: 0; font-style: italic; line-height: 1.6; }
.syslab-overlay-ratio { font-family: var(--syslab-mono); font-weight: 700; }
.syslab-hud { display: flex; flex-wrap: wrap; gap: 1.5rem; padding: 0.9rem 1.5rem;
  background: var(--syslab-hud-bg); color: var(--syslab-hud-fg); border-radius: var(--syslab-radius-md);
  margin-top: 2rem; }
.syslab-hud-item { display: flex; flex-direction: column; gap: 2px; margin: 0; }
.syslab-hud-label { color: var(--syslab-hud-label); font-size: 0.7rem; font-weight: 700;
  letter-spacing: 0.02em; }
.syslab-hud-value { font-family: var(--syslab-mono); font-size: 0.8rem; font-weight: 700; margin: 0; }
.syslab-hud-value[data-tone="ok"] { color: var(--syslab-hud-ok); }
.syslab-hud-value[data-tone="bad"] { color: var(--syslab-hud-bad); }
.syslab-ledger { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; }
.syslab-fallback-control { color: var(--syslab-text-sec); }
.syslab-part { display: contents; }
syslab-tabs:defined .syslab-tab-title { display: none; }
syslab-tabs:not(:defined) .syslab-tab-title { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
`)();

/** Adds `cellsCSS` to a document once (the page host normally does this; elements call it too). */
export function installStyles(doc: Document | undefined = globalThis.document): void {
  if (!doc?.head || doc.getElementById("syslab-cells-css")) return;
  const el = doc.createElement("style");
  el.id = "syslab-cells-css";
  el.textContent = cellsCSS;
  doc.head.append(el);
}
