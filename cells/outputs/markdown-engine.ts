/**
 * The markdown engine: `marked` (GFM) with `$…$` / `$$…$$` math in KaTeX's TeX dialect, rendered
 * to MathML by Temml (a MathML-only renderer by one of KaTeX's maintainers, 100 KB smaller in the
 * page than KaTeX), so it renders headless and in the page with no script, CSS or fonts, and
 * screen readers read it. `md.ts` is its only user; an exported page loads this module only when
 * it meets markdown the exporter did not render ahead (see `md.ts`).
 */
import temml from "temml";
import { Marked, type TokenizerAndRendererExtension } from "marked";
import { escapeHTML } from "../../runtime/render.ts";

/** Renders TeX to MathML markup; a TeX error shows the source in place, marked as an error. */
export function tex(source: string, display = false): string {
  const out = temml.renderToString(source, {
    displayMode: display,
    throwOnError: false,
    strict: false,
  });
  return display ? `<span class="syslab-math-display">${out}</span>` : out;
}

/** What math text becomes before TeX sees it (set for the duration of one parse). */
let resolveMath: (s: string) => string = (s) => s;

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
      renderer: (t) => `<p>${tex(resolveMath(t.text), true)}</p>\n`,
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
      renderer: (t) => tex(resolveMath(t.text), Boolean(t.display)),
    },
  ];
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

/**
 * Markdown source to HTML. Math text passes through `resolve` first (it fills the slots of
 * interpolated values, which TeX reads as plain text).
 */
export function parseMarkdown(
  source: string,
  allowHTML: boolean,
  resolve: (mathText: string) => string = (s) => s,
): string {
  const previous = resolveMath;
  resolveMath = resolve;
  try {
    return parser(allowHTML).parse(source) as string;
  } finally {
    resolveMath = previous; // a Renderable rendered inside math may render markdown itself
  }
}
