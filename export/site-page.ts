/**
 * One lab's page of a site: the single file's page (pre-rendered cells, render-ahead data, the
 * committed-locks head script, a link back to the index) whose code is only the lab's own, with
 * the shared files loaded by `site-loader.ts`. Its CSP allows the inline scripts by hash, the
 * shared files by their SHA-384 (what their `integrity` says over http) and by `'self'` (how they
 * load from `file://`, where integrity cannot be checked), and nothing else.
 *
 * @module
 */
import { cellsCSS } from "../cells/style.ts";
import { BROWSER_CSS } from "../runtime/browser-css.ts";
import { escapeHTML } from "../runtime/render.ts";
import type { LabMeta } from "../runtime/lab.ts";
import { PAGE_CSS } from "../serve/page.ts";
import { VEGA_SPECS_ID } from "../cells/outputs/vega-spec.ts";
import { MARKDOWN_SEEDS_ID } from "../cells/outputs/md.ts";
import { DRAWN_CHARTS_ID } from "../cells/outputs/chart-drawn.ts";
import { jsonScriptText, type RenderedAhead } from "./ahead.ts";
import { COMMITTED_CSS, committedMarkScript } from "./committed.ts";
import { compactCSS, PRINT_CSS, scriptHash, SITE_NAV, SITE_NAV_CSS } from "./single-file.ts";
import { ASSETS_DIR, type SharedFile } from "./site-assets.ts";
import { type LoaderFile, siteScript } from "./site-loader.ts";

/** What a site page is made of. */
export interface SitePageParts {
  meta: LabMeta;
  prerender: string;
  ahead: RenderedAhead;
  /** The lab's own code (a function body, `site-bundle.ts`). */
  labBody: string;
  shared: readonly SharedFile[];
}

/** The CSP of a site page: its inline scripts by hash, shared files by hash and `'self'`. */
export function siteCSP(inlineHashes: readonly string[], shared: readonly SharedFile[]): string {
  const sources = [...inlineHashes, ...shared.map((f) => f.integrity)].map((h) => `'${h}'`);
  return [
    "default-src 'none'",
    `script-src ${sources.join(" ")} 'self'`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** The HTML of a site page. */
export async function sitePage(p: SitePageParts): Promise<string> {
  const inline = (text: string) => text.replace(/<\/(script)/gi, "<\\/$1");
  const files: LoaderFile[] = p.shared.map((f) => [f.name, f.file, f.integrity, f.when]);
  const script = inline(siteScript(`${ASSETS_DIR}/`, files, p.labBody));
  const mark = committedMarkScript(p.meta.id);
  const csp = siteCSP(await Promise.all([script, mark].map((t) => scriptHash(t))), p.shared);
  const title = escapeHTML(p.meta.title);
  const css = compactCSS(
    `${PAGE_CSS}\n${PRINT_CSS}\n${BROWSER_CSS}\n${cellsCSS}\n${COMMITTED_CSS}\n${SITE_NAV_CSS}`,
  ).replace(/<\/(style)/gi, "<\\/$1");
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
${SITE_NAV}
<main id="syslab-root" class="syslab-lab" aria-label="${title}">
${p.prerender}
</main>
<script type="application/json" id="${VEGA_SPECS_ID}">${jsonScriptText(p.ahead.charts)}</script>
<script type="application/json" id="${MARKDOWN_SEEDS_ID}">${
    jsonScriptText(p.ahead.markdown)
  }</script>
<script type="application/json" id="${DRAWN_CHARTS_ID}">${jsonScriptText(p.ahead.drawn)}</script>
<script>${script}</script>
</body>
</html>
`;
}
