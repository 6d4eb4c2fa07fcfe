/**
 * Reads which names a cell references from its function's source: the keys it destructures from
 * its first parameter. `({ model, seqLen }) => …` references `model` and `seqLen`; so does the
 * minified `({model:e,seqLen:t})=>…`, because property keys survive minification.
 *
 * This is the only place references come from, so they can never drift from the code.
 */

/** Why a cell's parameter list could not be read; the message says how to fix it. */
export class ParameterShapeError extends Error {
  override name = "ParameterShapeError";
}

/** The names a cell function destructures from its first parameter, in source order. */
export function referencedNames(fn: (...args: never[]) => unknown): string[] {
  // Only the parameter list is read: a lab's cells are declared as its page boots, and a cell's
  // body can be long.
  const params = parameterList(Function.prototype.toString.call(fn));
  if (params === null) {
    throw new ParameterShapeError(
      "could not read the cell's parameters; write it as an arrow function: ({ a, b }) => …",
    );
  }
  const first = splitTopLevel(stripComments(params), ",")[0]?.trim() ?? "";
  if (first === "") return [];
  if (/^_\w*$/.test(first)) return []; // `_` says: reads nothing
  if (!first.startsWith("{")) {
    throw new ParameterShapeError(
      `the cell's parameter \`${first}\` is not destructured; list the names it reads: ({ a, b }) => …`,
    );
  }
  const close = matching(first, 0);
  const body = first.slice(1, close);
  const names: string[] = [];
  for (const raw of splitTopLevel(body, ",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (entry.startsWith("...")) {
      throw new ParameterShapeError(
        `a rest pattern (${entry}) hides which names the cell reads; name each one instead`,
      );
    }
    if (entry.startsWith("[")) {
      throw new ParameterShapeError(
        `a computed key (${entry}) hides which name the cell reads; use a plain name`,
      );
    }
    const m = /^(?:"([^"]+)"|'([^']+)'|([A-Za-z_$][\w$]*))/.exec(entry);
    if (!m) throw new ParameterShapeError(`cannot read the destructured entry \`${entry}\``);
    names.push(m[1] ?? m[2] ?? m[3]);
  }
  return names;
}

/**
 * The text between the parentheses of the parameter list (comments included), or the single bare
 * parameter.
 */
function parameterList(src: string): string | null {
  let i = skipSpace(src, 0);
  if (/^async\b/.test(src.slice(i, i + 6))) i = skipSpace(src, i + 5);
  const s = src.slice(i);
  if (/^function\b/.test(s)) {
    let open = skipSpace(s, 8);
    if (s[open] === "*") open = skipSpace(s, open + 1);
    const name = /^[A-Za-z_$][\w$]*/.exec(s.slice(open));
    if (name) open = skipSpace(s, open + name[0].length);
    if (s[open] !== "(") return null;
    return s.slice(open + 1, matching(s, open));
  }
  if (s.startsWith("(")) return s.slice(1, matching(s, 0));
  const bare = /^([A-Za-z_$][\w$]*)\s*=>/.exec(s);
  if (bare) return bare[1];
  // method shorthand: name(…) { … }
  const method = /^[A-Za-z_$][\w$]*\s*\(/.exec(s);
  if (method) {
    const open = method[0].length - 1;
    return s.slice(open + 1, matching(s, open));
  }
  return null;
}

const OPEN: Record<string, string> = { "(": ")", "{": "}", "[": "]" };

/** The index of the first character at or after `i` that is neither whitespace nor comment. */
function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    if (/\s/.test(s[i])) i++;
    else if (s[i] === "/" && (s[i + 1] === "/" || s[i + 1] === "*")) i = skipComment(s, i) + 1;
    else break;
  }
  return i;
}

/** The index of the last character of the comment starting at `i`. */
function skipComment(s: string, i: number): number {
  if (s[i + 1] === "/") {
    const end = s.indexOf("\n", i);
    return end < 0 ? s.length : end;
  }
  const end = s.indexOf("*/", i + 2);
  return end < 0 ? s.length : end + 1;
}

/**
 * Index of the bracket closing the one at `start`, skipping strings, template literals and
 * comments.
 */
function matching(s: string, start: number): number {
  const stack: string[] = [];
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(s, i);
      continue;
    }
    if (c === "/" && (s[i + 1] === "/" || s[i + 1] === "*")) {
      i = skipComment(s, i);
      continue;
    }
    if (c in OPEN) stack.push(OPEN[c]);
    else if (c === ")" || c === "}" || c === "]") {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return s.length;
}

function skipString(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === q) return j;
    else if (q === "`" && s[j] === "$" && s[j + 1] === "{") j = matching(s, j + 1);
  }
  return s.length;
}

/** Splits on `sep` where no bracket or string is open. */
function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === "`") i = skipString(s, i);
    else if (c in OPEN) depth++;
    else if (c === ")" || c === "}" || c === "]") depth--;
    else if (c === sep && depth === 0) {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(s.slice(from));
  return parts;
}

function stripComments(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === "`") {
      const j = skipString(s, i);
      out += s.slice(i, j + 1);
      i = j;
    } else if (c === "/" && s[i + 1] === "/") {
      while (i < s.length && s[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && s[i + 1] === "*") {
      const end = s.indexOf("*/", i + 2);
      i = end < 0 ? s.length : end + 1;
      out += " ";
    } else out += c;
  }
  return out;
}
