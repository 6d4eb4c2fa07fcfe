/**
 * Markdown output: the `md` tagged template and `mdText`. Markdown and TeX math are parsed by the
 * engine (`markdown-engine.ts`). Interpolated text is escaped and never read as markdown;
 * interpolated Renderables (inputs, charts, callouts) are inserted as they render.
 *
 * A template's markdown is parsed with each value replaced by a slot marker, so the parse depends
 * only on the template text (and on the values that appear inside math): it is kept, and a cell
 * re-rendering with new values fills the same slots without parsing again. An exported page
 * brings the parses of every markdown its lab showed while the exporter walked it (a JSON script
 * element, see `watchMarkdown` and `export/ahead.ts`), so it needs the engine only for text it
 * has not seen.
 */
import { isRenderable } from "../../runtime/render.ts";
import { type Content, Html, Markup } from "./html.ts";
import * as engine from "./markdown-engine.ts";

const SLOT = (i: number) => `SYSLABSLOT${i}X`;
const SLOT_RE = /SYSLABSLOT(\d+)X/g;

/** Renders TeX to MathML markup; a TeX error shows the source in place, marked as an error. */
export function tex(source: string, display = false): string {
  return engine.tex(source, display);
}

/** One kept parse: the HTML with slot markers, and the plain text of each value math used. */
export interface MarkdownParse {
  out: string;
  math: Array<[slot: number, text: string]>;
}

/** The id of the `<script type="application/json">` holding an exported page's parses. */
export const MARKDOWN_SEEDS_ID = "syslab-markdown";

/**
 * Parses kept per source; a source whose math reads values keeps its newest few, and the oldest
 * sources go first past a bound (text built at run time, `mdText`, makes new sources).
 */
const kept = new Map<string, MarkdownParse[]>();
const KEEP_PER_SOURCE = 8;
const KEEP_SOURCES = 4000;
let seeded = false;

/** Loads an exported page's parses once (a no-op headless and on the dev page). */
function seedFromPage(): void {
  seeded = true;
  const el = typeof document === "undefined" ? null : document.getElementById(MARKDOWN_SEEDS_ID);
  if (!el?.textContent) return;
  for (const [key, list] of JSON.parse(el.textContent) as Array<[string, MarkdownParse[]]>) {
    kept.set(key, list);
  }
}

let watcher: ((source: string, parse: MarkdownParse) => void) | null = null;

/**
 * Calls `fn` with every parse markdown rendering uses (kept or new) until called again with
 * `null`. The exporter records which parses a lab's states use and embeds them in the page.
 */
export function watchMarkdown(fn: ((source: string, parse: MarkdownParse) => void) | null): void {
  watcher = fn;
}

/** The parse of `source` for these values: a kept one whose math read the same text, or new. */
function parse(source: string, values: readonly Content[], allowHTML: boolean): string {
  if (!seeded) seedFromPage();
  const key = `${allowHTML ? "h" : "t"}${source}`;
  const list = kept.get(key) ?? [];
  for (const p of list) {
    if (p.math.every(([i, text]) => plain(values[i]) === text)) {
      watcher?.(key, p);
      return p.out;
    }
  }
  const math = new Map<number, string>();
  const out = engine.parseMarkdown(dedent(source), allowHTML, (s) =>
    s.replace(SLOT_RE, (_, i) => {
      const text = plain(values[Number(i)]);
      math.set(Number(i), text);
      return text;
    }));
  const made: MarkdownParse = { out, math: [...math] };
  watcher?.(key, made);
  kept.delete(key);
  kept.set(key, [made, ...list].slice(0, KEEP_PER_SOURCE));
  if (kept.size > KEEP_SOURCES) kept.delete(kept.keys().next().value!);
  return out;
}

/** Dedents a template so indented source lines are not read as code blocks. */
function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  let min = Infinity;
  for (const l of lines) if (l.trim()) min = Math.min(min, /^[ \t]*/.exec(l)![0].length);
  return Number.isFinite(min) ? lines.map((l) => l.slice(min)).join("\n") : text;
}

/** Plain text of a value, for use inside math. */
function plain(v: Content): string {
  if (isRenderable(v)) return v.html().replace(/<[^>]*>/g, "");
  if (Array.isArray(v)) return v.map(plain).join("");
  return v === null || v === undefined || v === false ? "" : String(v);
}

/** Renders markdown source (with math); `values` fill the `SYSLABSLOT<i>X` slots. */
export function renderMarkdown(
  source: string,
  values: readonly Content[] = [],
  opts: { allowHTML?: boolean } = {},
): Html {
  const out = parse(source, values, opts.allowHTML ?? false);
  const m = new Markup().raw(`<div class="syslab-md">`);
  // A value alone in its paragraph is a block (an input, a chart…): it replaces the <p>.
  const re = /<p>SYSLABSLOT(\d+)X<\/p>|SYSLABSLOT(\d+)X/g;
  let at = 0;
  for (const hit of out.matchAll(re)) {
    m.raw(out.slice(at, hit.index));
    const block = hit[1] !== undefined;
    m.child(values[Number(hit[1] ?? hit[2])], block);
    at = hit.index + hit[0].length;
  }
  return m.raw(out.slice(at)).raw("</div>").done();
}

/**
 * `md\`**${n}** users, $\\frac{a}{b}$\``: markdown with TeX math (KaTeX syntax). Literal parts are authored
 * markdown (raw HTML allowed; backslashes kept, as in `String.raw`); values are escaped text or
 * Renderables. Inside math, values are inserted as plain text.
 */
export function md(strings: TemplateStringsArray, ...values: Content[]): Html {
  // Raw parts keep TeX backslashes; an escaped backtick (\`) is still a backtick.
  const part = (i: number) => strings.raw[i].replace(/\\`/g, "`");
  let src = part(0);
  for (let i = 0; i < values.length; i++) src += SLOT(i) + part(i + 1);
  return renderMarkdown(src, values, { allowHTML: true });
}

/** Markdown from a runtime string (feedback text, options): raw HTML in it is shown as text. */
export function mdText(source: string): Html {
  return renderMarkdown(source);
}
