/**
 * How a cell's value becomes markup. Anything with `html()` renders itself (cells/ outputs do);
 * strings are escaped text; other values get a small inspector. The same function serves the
 * headless runner, `--check`, the exporter's pre-render and the page's first paint.
 */

/** A value that knows how to show itself. `mount` (browser only) may update a slot in place. */
export interface Renderable {
  html(): string;
  mount?(slot: HTMLElement): void;
}

/** Is `v` a Renderable? */
export function isRenderable(v: unknown): v is Renderable {
  return typeof v === "object" && v !== null && typeof (v as Renderable).html === "function";
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and attribute values. */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The markup for any cell value. */
export function toHTML(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (isRenderable(value)) return value.html();
  if (typeof value === "string") return escapeHTML(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `<span class="syslab-value">${escapeHTML(String(value))}</span>`;
  }
  if (typeof value === "function") return `<code class="syslab-value">ƒ ${value.name}</code>`;
  return `<pre class="syslab-value">${escapeHTML(inspect(value))}</pre>`;
}

function inspect(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
