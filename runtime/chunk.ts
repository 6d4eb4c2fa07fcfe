/**
 * Lazy chunks of an exported page. The exporter keeps big modules a page may never need (the
 * markdown engine, vega-lite) as inert `<script type="text/plain" data-syslab-chunk="name">`
 * text: the browser neither parses nor compiles it. `loadChunk(name)` runs it on first use, as an
 * inline script allowed by its own hash in the page's CSP; it runs synchronously, so a module's
 * synchronous API stays synchronous.
 */

/** Where a chunk leaves its module when it runs. */
export const CHUNKS_GLOBAL = "__syslabChunks";

type Registry = Record<string, Record<string, unknown>>;

function registry(): Registry {
  const g = globalThis as unknown as Record<string, Registry>;
  return (g[CHUNKS_GLOBAL] ??= {});
}

/** The module of chunk `name`, running its script first if it has not run yet. */
export function loadChunk(name: string): Record<string, unknown> {
  const loaded = registry()[name];
  if (loaded) return loaded;
  const inert = document.querySelector(`script[data-syslab-chunk="${name}"]`);
  if (!inert?.textContent) throw new Error(`syslab: the page has no "${name}" chunk`);
  const script = document.createElement("script");
  script.textContent = inert.textContent;
  document.head.append(script);
  script.remove();
  const module = registry()[name];
  if (!module) throw new Error(`syslab: the "${name}" chunk did not run (blocked by the CSP?)`);
  return module;
}

/**
 * Resolves once the page's HTML is parsed, so every chunk element exists (an exported page's
 * module is `async` and may run before the chunks placed after it are read).
 */
export function pageParsed(): Promise<void> {
  if (typeof document === "undefined" || document.readyState !== "loading") {
    return Promise.resolve();
  }
  return new Promise((resolve) =>
    document.addEventListener("DOMContentLoaded", () => resolve(), { once: true })
  );
}

/** Runs chunk `name` in idle time (a warm-up), if the page has it; errors are only logged. */
export function preloadChunk(name: string): void {
  if (typeof document === "undefined" || registry()[name]) return;
  if (!document.querySelector(`script[data-syslab-chunk="${name}"]`)) return;
  try {
    loadChunk(name);
  } catch (e) {
    console.warn(e);
  }
}
