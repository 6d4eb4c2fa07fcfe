/**
 * `deno task export <id>`: one self-contained HTML file per lab. The minified bundle and the CSS
 * are inlined; only the page's own scripts run, each allowed by its SHA-256 under a
 * `default-src 'none'` CSP (charts use vega-interpreter, so no `unsafe-eval`); every cell's first
 * output is pre-rendered into the page, so content shows before scripts run and prints well, and
 * the lab takes those cells over in place. Chart specs and first markdown are rendered ahead
 * (`ahead.ts`); big modules the page may not need are inert chunks (`chunks.ts`). No external URL
 * anywhere, and the same input gives the same bytes.
 */
import { cellsCSS } from "../cells/style.ts";
import { BROWSER_CSS } from "../runtime/browser-css.ts";
import { resolveLab } from "../runtime/catalog.ts";
import { inputsPlacedElsewhere } from "../runtime/graph.ts";
import { runLab } from "../runtime/headless.ts";
import { importLab } from "../runtime/loader.ts";
import { escapeHTML } from "../runtime/render.ts";
import { stateHTML } from "../runtime/state-html.ts";
import type { LabDefinition, LabMeta } from "../runtime/lab.ts";
import { PAGE_CSS } from "../serve/page.ts";
import { bundleChunks, bundleForExport } from "./bundle.ts";
import { LAZY_MODULES } from "./chunks.ts";
import { deflateRawSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { jsonScriptText, renderAhead, type RenderedAhead } from "./ahead.ts";
import { VEGA_SPECS_ID } from "../cells/outputs/vega-spec.ts";
import { MARKDOWN_SEEDS_ID } from "../cells/outputs/md.ts";
import { DRAWN_CHARTS_ID, type DrawnCharts, useDrawnCharts } from "../cells/outputs/chart-drawn.ts";
import { COMMITTED_CSS, committedMarkScript } from "./committed.ts";

const PRINT_CSS = "@media print { .syslab-lab { max-width: none; } }";

/**
 * Chunks placed before the page's module, because boot may need them at once (markdown the walk
 * did not see renders synchronously). The others come after it: the module is `async`, so it runs
 * as soon as it is parsed, while the parser is still reading them (code that needs one waits for
 * the end of parsing, see `runtime/chunk.ts`).
 */
const BOOT_CHUNKS = new Set(["markdown"]);

const PACKED = new Set(LAZY_MODULES.filter((m) => m.packed).map((m) => m.name));

/** A packed chunk's element text: its script, raw-deflated (level 9), in base64. */
export function packChunk(text: string): string {
  return Buffer.from(deflateRawSync(new TextEncoder().encode(text), { level: 9 })).toString(
    "base64",
  );
}

function inert(chunks: ReadonlyArray<readonly [string, string]>): string {
  return chunks.map(([name, text]) =>
    PACKED.has(name)
      ? `<script type="text/plain" data-syslab-chunk="${name}" data-syslab-packed>${
        packChunk(text)
      }</script>\n`
      : `<script type="text/plain" data-syslab-chunk="${name}">${text}</script>\n`
  ).join("");
}

/** One exported lab. */
export interface ExportedLab {
  meta: LabMeta;
  html: string;
}

/** Options of {@link exportLab}. */
export interface ExportOptions {
  /** Part of a site (`export --all`): the page links back to the site's `index.html`. */
  site?: boolean;
}

/** Builds the single-file HTML of a lab (an id or a path). */
export async function exportLab(arg: string, opts: ExportOptions = {}): Promise<ExportedLab> {
  const url = resolveLab(arg);
  const def = await importLab(url.href);
  const bundling = Promise.all([bundleForExport(url), bundleChunks()]);
  const ahead = await renderAhead(def);
  const prerender = await prerenderCells(def, ahead.firstPage);
  const [js, chunks] = await bundling;
  return {
    meta: def.meta,
    html: await assemble(def.meta, prerender, js, chunks, ahead, opts.site === true),
  };
}

/** The link back to the site's index, above the lab (site pages only; not printed). */
const SITE_NAV =
  `<nav class="syslab-site-nav" aria-label="Site"><a href="index.html">← All labs</a></nav>`;
const SITE_NAV_CSS =
  `.syslab-site-nav { max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem 0; }
.syslab-site-nav a { color: var(--syslab-primary); font-size: 0.9rem; text-decoration: none; }
.syslab-site-nav a:hover, .syslab-site-nav a:focus-visible { text-decoration: underline; }
@media print { .syslab-site-nav { display: none; } }`;

/**
 * Every displayed cell's first output, as the page shows it before any script runs; a chart
 * with a drawing in `drawn` shows it.
 */
export async function prerenderCells(def: LabDefinition, drawn: DrawnCharts = {}): Promise<string> {
  const lab = await runLab(def, { timeoutMs: 2000 });
  useDrawnCharts(drawn); // set and unset within this synchronous block
  try {
    const hidden = inputsPlacedElsewhere(def);
    return def.cells
      .filter((c) => c.display && !(c.kind === "input" && hidden.has(c.name)))
      .map((c) => {
        const state = lab.state(c.name);
        const html = stateHTML(state, c.kind);
        return html
          ? `<section class="syslab-cell" data-cell="${
            escapeHTML(c.name)
          }" data-state="${state.status}">${html}</section>`
          : "";
      })
      .join("\n");
  } finally {
    useDrawnCharts(undefined);
    lab.dispose();
  }
}

/**
 * The Content-Security-Policy of an exported page: only the inline scripts with these hashes run
 * (the page's bundle and its lazy chunks).
 */
export function exportCSP(scriptHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.map((h) => `'${h}'`).join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** `sha256-<base64>` of a script's text, as CSP hashes it. */
export async function scriptHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`;
}

/** Drops comments and the whitespace CSS does not need (our own stylesheets only). */
export function compactCSS(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([{};,>])\s*/g, "$1")
    .replace(/;}/g, "}")
    .trim();
}

async function assemble(
  meta: LabMeta,
  prerender: string,
  js: string,
  chunks: ReadonlyArray<[string, string]>,
  ahead: RenderedAhead,
  site: boolean,
): Promise<string> {
  const inline = (text: string) => text.replace(/<\/(script)/gi, "<\\/$1");
  const script = inline(js);
  const lazy = chunks.map(([name, text]) => [name, inline(text)] as const);
  const mark = committedMarkScript(meta.id);
  const csp = exportCSP(
    await Promise.all([script, mark, ...lazy.map(([, text]) => text)].map((t) => scriptHash(t))),
  );
  const title = escapeHTML(meta.title);
  const css = compactCSS(
    `${PAGE_CSS}\n${PRINT_CSS}\n${BROWSER_CSS}\n${cellsCSS}\n${COMMITTED_CSS}${
      site ? `\n${SITE_NAV_CSS}` : ""
    }`,
  ).replace(
    /<\/(style)/gi,
    "<\\/$1",
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="syslab">
<title>${title}</title>
<style>${css}</style>
<script>${mark}</script>
</head>
<body>
${site ? `${SITE_NAV}\n` : ""}<main id="syslab-root" class="syslab-lab" aria-label="${title}">
${prerender}
</main>
<script type="application/json" id="${VEGA_SPECS_ID}">${jsonScriptText(ahead.charts)}</script>
<script type="application/json" id="${MARKDOWN_SEEDS_ID}">${jsonScriptText(ahead.markdown)}</script>
<script type="application/json" id="${DRAWN_CHARTS_ID}">${jsonScriptText(ahead.drawn)}</script>
${
    inert(lazy.filter(([name]) => BOOT_CHUNKS.has(name)))
  }<script type="module" async>${script}</script>
${inert(lazy.filter(([name]) => !BOOT_CHUNKS.has(name)))}</body>
</html>
`;
}
