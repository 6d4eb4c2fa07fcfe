/**
 * Squeezes the indentation out of the `html`/`css` tagged templates of syslab's own modules
 * (cells/ and runtime/) in the export bundle: esbuild minifies code but leaves template text as
 * written. Runs of whitespace in a template's static text become one space (HTML and CSS render
 * the same), `${…}` expressions are left alone, and a template holding `<pre` or `<textarea` is
 * kept verbatim.
 */
import type * as esbuild from "esbuild";

const TAG = /\b(html|css)`/g;

/** Returns `source` with the static text of its `html`/`css` templates squeezed. */
export function squeezeTemplates(source: string): string {
  let out = "";
  let from = 0;
  for (const m of source.matchAll(TAG)) {
    const start = m.index! + m[0].length; // just after the opening backtick
    if (start < from) continue;
    const end = templateEnd(source, start);
    if (end < 0) break;
    const body = source.slice(start, end);
    out += source.slice(from, start) + (/<pre|<textarea/i.test(body) ? body : squeeze(body));
    from = end;
  }
  return out + source.slice(from);
}

/** Collapses whitespace in the static parts of a template body, skipping `${…}`. */
function squeeze(body: string): string {
  let out = "";
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf("${", i);
    const text = body.slice(i, open < 0 ? body.length : open);
    out += text.replace(/\s+/g, " ");
    if (open < 0) break;
    const close = exprEnd(body, open + 2);
    out += body.slice(open, close + 1);
    i = close + 1;
  }
  return out;
}

/** Index of the closing backtick of a template whose text starts at `i` (-1 if none). */
function templateEnd(s: string, i: number): number {
  for (; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === "`") return i;
    else if (s[i] === "$" && s[i + 1] === "{") i = exprEnd(s, i + 2);
  }
  return -1;
}

/** Index of the `}` closing an expression that starts at `i`, skipping strings and templates. */
function exprEnd(s: string, i: number): number {
  let depth = 1;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
    else if (c === "`") i = templateEnd(s, i + 1);
    else if (c === '"' || c === "'") {
      for (i++; i < s.length && s[i] !== c; i++) if (s[i] === "\\") i++;
    }
  }
  return s.length;
}

/** An esbuild plugin applying {@link squeezeTemplates} to `root`'s given folders. */
export function squeezeTemplatesPlugin(root: string, folders: readonly string[]): esbuild.Plugin {
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const filter = new RegExp(`^${escaped}/(${folders.join("|")})/.*\\.ts$`);
  return {
    name: "syslab-squeeze-templates",
    setup(build) {
      build.onLoad({ filter }, async (a) => ({
        contents: squeezeTemplates(await Deno.readTextFile(a.path)),
        loader: "ts",
      }));
    },
  };
}
