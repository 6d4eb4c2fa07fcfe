/**
 * Markdown output: the `md` tagged template. Markdown by `marked`; math `$…$` and `$$…$$` in
 * KaTeX's TeX dialect, rendered to MathML by Temml (a MathML-only renderer by one of KaTeX's
 * maintainers, 100 KB smaller in the page than KaTeX), so it renders headless and in the page with
 * no script, CSS or fonts (and screen readers read it). Interpolated text is escaped and never read as markdown;
 * interpolated Renderables (inputs, charts, callouts) are inserted as they render.
 */
import temml from "temml";
import { Marked, type TokenizerAndRendererExtension } from "marked";
import { escapeHTML, isRenderable } from "../../runtime/render.ts";
import { type Content, Html, Markup } from "./html.ts";

const SLOT = (i: number) => `SYSLABSLOT${i}X`;
const SLOT_RE = /SYSLABSLOT(\d+)X/g;

/** Renders TeX to MathML markup; a TeX error shows the source in place, marked as an error. */
export function tex(source: string, display = false): string {
  const out = temml.renderToString(source, {
    displayMode: display,
    throwOnError: false,
    strict: false,
  });
  return display ? `<span class="syslab-math-display">${out}</span>` : out;
}

/** The slot values of the markdown being rendered (math reads them as plain text). */
let resolveSlots: (s: string) => string = (s) => s;
const resolve = (s: string) => resolveSlots(s);

function mathExtensions(): TokenizerAndRendererExtension[] {
  return [
    {
      name: "syslabMathBlock",
      level: "block",
      start: (src) => src.match(/^ {0,3}\$\$/m)?.index,
      tokenizer(src) {
        const m = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/.exec(src);
        if (m) return { type: "syslabMathBlock", raw: m[0], text: m[1].trim() };
      },
      renderer: (t) => `<p>${tex(resolve(t.text), true)}</p>\n`,
    },
    {
      name: "syslabMath",
      level: "inline",
      start: (src) => src.indexOf("$") >= 0 ? src.indexOf("$") : undefined,
      tokenizer(src) {
        const d = /^\$\$([\s\S]+?)\$\$/.exec(src);
        if (d) return { type: "syslabMath", raw: d[0], text: d[1].trim(), display: true };
        // Pandoc's rule: no space just inside the dollars, no digit right after the closing one
        // ("costs $5 and $10" stays text).
        const m = /^\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
        if (m) return { type: "syslabMath", raw: m[0], text: m[1], display: false };
      },
      renderer: (t) => tex(resolve(t.text), Boolean(t.display)),
    },
  ];
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

/**
 * The two markdown parsers (raw HTML allowed or shown as text), built once: building one compiles
 * marked's rules, which costs more than parsing a paragraph.
 */
const parsers = new Map<boolean, Marked>();
function parser(allowHTML: boolean): Marked {
  let p = parsers.get(allowHTML);
  if (!p) {
    p = new Marked({ gfm: true, async: false });
    p.use({ extensions: mathExtensions() });
    if (!allowHTML) p.use({ renderer: { html: (t) => escapeHTML(t.text) } });
    parsers.set(allowHTML, p);
  }
  return p;
}

/** Renders markdown source (with math); `values` fill the `SYSLABSLOT<i>X` slots. */
export function renderMarkdown(
  source: string,
  values: readonly Content[] = [],
  opts: { allowHTML?: boolean } = {},
): Html {
  const previous = resolveSlots;
  resolveSlots = (s) => s.replace(SLOT_RE, (_, i) => plain(values[Number(i)]));
  let out: string;
  try {
    out = parser(opts.allowHTML ?? false).parse(dedent(source)) as string;
  } finally {
    resolveSlots = previous; // a Renderable rendered inside math may render markdown itself
  }
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
