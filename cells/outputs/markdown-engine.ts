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

/**
 * Splits display TeX before each top-level relation (`=`, `\approx`), outside braces,
 * `\left…\right` and environments, so a derivation can wrap between its steps.
 */
export function splitRelations(source: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const word = /^\\([a-zA-Z]+)/.exec(source.slice(i))?.[1] ?? "";
      if (word === "left" || word === "begin") depth++;
      else if (word === "right" || word === "end") depth--;
      else if (word === "approx" && depth === 0 && i > start) {
        parts.push(source.slice(start, i));
        start = i;
      }
      i += Math.max(1, word.length);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "=" && depth === 0 && source.slice(start, i).trim() !== "") {
      parts.push(source.slice(start, i));
      start = i;
    }
  }
  parts.push(source.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const TEMML_OPTIONS = { throwOnError: false, strict: false } as const;

/**
 * Renders TeX to MathML markup; a TeX error shows the source in place, marked as an error.
 * Display math with several top-level relations renders one `<math>` per step in a wrapping
 * row, so on a phone "= 327,680 bytes" moves to the next line instead of into a scroll box
 * (MathML has no automatic line breaking in Chromium or Safari).
 */
export function tex(source: string, display = false): string {
  if (!display) return temml.renderToString(source, { ...TEMML_OPTIONS, displayMode: false });
  const parts = splitRelations(source);
  if (parts.length < 2) {
    const out = temml.renderToString(source, { ...TEMML_OPTIONS, displayMode: true });
    return `<span class="syslab-math-display">${out}</span>`;
  }
  const steps = parts.map((p) =>
    temml.renderToString(`\\displaystyle ${p}`, { ...TEMML_OPTIONS, displayMode: false })
  );
  return `<span class="syslab-math-display syslab-math-wrap">${steps.join("")}</span>`;
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
 * Whether a link or image target may be followed: a relative URL, or http(s), mailto (and, for
 * images, `data:image/`). `javascript:`, `vbscript:`, `data:text/html`… are not, however they are
 * spelled (entities, case, control characters and spaces are seen through, as browsers do).
 */
export function safeURL(href: string, image = false): boolean {
  const url = href
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&colon;?/gi, ":")
    .replace(/&tab;?|&newline;?/gi, "")
    // deno-lint-ignore no-control-regex -- browsers drop control characters and spaces here
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, "")
    .toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
  if (!scheme) return true;
  if (scheme === "http" || scheme === "https" || scheme === "mailto") return true;
  return image && url.startsWith("data:image/");
}

/** Raw HTML that would act on the page by itself: a `<meta>` (refresh), a `javascript:` URL. */
const ACTIVE_HTML = /<\s*meta\b|javascript\s*:|vbscript\s*:/i;

/**
 * The two markdown parsers (raw HTML allowed or shown as text), built once: building one compiles
 * marked's rules, which costs more than parsing a paragraph. In both, a link or image whose URL
 * is not `safeURL` renders as its text; in the HTML-allowing one, raw HTML with a `<meta>` or a
 * `javascript:` URL is shown as text (a refresh would navigate an exported page away).
 */
const parsers = new Map<boolean, Marked>();
function parser(allowHTML: boolean): Marked {
  let p = parsers.get(allowHTML);
  if (!p) {
    p = new Marked({ gfm: true, async: false });
    p.use({ extensions: mathExtensions() });
    p.use({
      renderer: {
        html: (t) => allowHTML && !ACTIVE_HTML.test(t.text) ? t.text : escapeHTML(t.text),
        link(t) {
          return safeURL(t.href) ? false : this.parser.parseInline(t.tokens);
        },
        image: (t) => safeURL(t.href, true) ? false : escapeHTML(t.text),
      },
    });
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
