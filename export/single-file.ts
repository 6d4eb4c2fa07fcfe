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
import { escapeHTML } from "../runtime/render.ts";
import type { LabMeta } from "../runtime/lab.ts";
import { CellTimeoutError } from "../runtime/errors.ts";
import { runSandboxed } from "../runtime/sandbox/run.ts";
import { BUDGETS, megabytes } from "../runtime/size.ts";
import { PAGE_CSS } from "../serve/page.ts";
import { bundleChunks, bundleForExport } from "./bundle.ts";
import { LAZY_MODULES } from "./chunks.ts";
import { deflateRawSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { jsonScriptText, type RenderedAhead } from "./ahead.ts";
import type { LabRenders } from "./render-task.ts";
import { VEGA_SPECS_ID } from "../cells/outputs/vega-spec.ts";
import { MARKDOWN_SEEDS_ID } from "../cells/outputs/md.ts";
import { DRAWN_CHARTS_ID } from "../cells/outputs/chart-drawn.ts";
import { COMMITTED_CSS, committedMarkScript } from "./committed.ts";

export { prerenderCells } from "./prerender.ts";

const RENDER_TASK = new URL("./render-task.ts", import.meta.url);

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
  /** Sizes over budget (a cell's value, the file), one line each. */
  warnings: string[];
}

/** Options of {@link exportLab}. */
export interface ExportOptions {
  /** Part of a site (`export --all`): the page links back to the site's `index.html`. */
  site?: boolean;
  /** How long a cell may run synchronously before the export stops (ms, default 5000). */
  timeoutMs?: number;
}

/** Builds the single-file HTML of a lab (an id or a path). */
/**
 * Builds the single-file HTML of a lab (an id or a path). The lab's code runs only in the sandbox
 * (`runtime/sandbox/run.ts`: it may read the project, nothing else); a cell that loops throws a
 * `CellTimeoutError` naming it, and a lab that fails to load its `LabError`.
 */
export async function exportLab(arg: string, opts: ExportOptions = {}): Promise<ExportedLab> {
  const url = resolveLab(arg);
  const bundling = Promise.all([bundleForExport(url), bundleChunks()]);
  bundling.catch(() => {}); // awaited below, unless the lab fails first
  const run = await runSandboxed<LabRenders>(url, RENDER_TASK, { limitMs: opts.timeoutMs ?? 5000 });
  if (run.timeouts.length) throw run.timeouts[0];
  if (run.error || !run.result) throw run.error ?? new CellTimeoutError("no result", [], "");
  const { meta, ahead, prerender, warnings } = run.result;
  const [js, chunks] = await bundling;
  const html = await assemble(meta, prerender, js, chunks, ahead, opts.site === true);
  const over = exportSizeWarning(new TextEncoder().encode(html).length);
  return { meta, html, warnings: over ? [...warnings, over] : warnings };
}

/** The warning for an exported page of `bytes`, or null within `BUDGETS.exportFile`. */
export function exportSizeWarning(bytes: number): string | null {
  if (bytes <= BUDGETS.exportFile) return null;
  return `SizeWarning: the exported page is ${megabytes(bytes)}, over the ${
    megabytes(BUDGETS.exportFile)
  } budget for one file — it will be slow to open and to mail; keep cell values small`;
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
