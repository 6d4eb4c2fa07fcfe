/**
 * Lazy chunks of an exported page. The exporter keeps big modules a page may never need, or not
 * need at load (the markdown engine, Vega, vega-lite), as inert
 * `<script type="text/plain" data-syslab-chunk="name">` text: the browser neither parses nor
 * compiles it at load. `loadChunk(name)` runs it on first use, as an
 * inline script allowed by its own hash in the page's CSP; it runs synchronously, so a module's
 * synchronous API stays synchronous. A chunk only ever needed asynchronously may be packed
 * (`data-syslab-packed`: raw deflate, base64) to keep the file small; `chunkReady(name)` unpacks
 * it, after which `loadChunk` runs it like any other.
 */

/** Where a chunk leaves its module when it runs. */
export const CHUNKS_GLOBAL = "__syslabChunks";

type Registry = Record<string, Record<string, unknown>>;

function registry(): Registry {
  const g = globalThis as unknown as Record<string, Registry>;
  return (g[CHUNKS_GLOBAL] ??= {});
}

/** Script texts of packed chunks, once unpacked. */
const unpacked = new Map<string, string>();

function inertElement(name: string): Element | null {
  return document.querySelector(`script[data-syslab-chunk="${name}"]`);
}

/** The module of chunk `name`, running its script first if it has not run yet. */
export function loadChunk(name: string): Record<string, unknown> {
  const loaded = registry()[name];
  if (loaded) return loaded;
  const inert = inertElement(name);
  if (!inert?.textContent) throw new Error(`syslab: the page has no "${name}" chunk`);
  const packed = inert.hasAttribute("data-syslab-packed");
  const text = packed ? unpacked.get(name) : inert.textContent;
  if (text === undefined) {
    throw new Error(`syslab: the "${name}" chunk is packed; await chunkReady("${name}") first`);
  }
  const script = document.createElement("script");
  script.textContent = text;
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

/**
 * Resolves once `loadChunk(name)` can run synchronously: the page is parsed (so the chunk's
 * element exists) and, if the chunk is packed, its text is unpacked. A page without the chunk
 * (the dev server's) resolves at once. (Resolving as soon as the chunk's own element was parsed
 * was tried for the first chart's time: no gain beyond noise; it was taken back while a commit
 * lost on reload from file:// under load was investigated — see issue 20's note.)
 */
export async function chunkReady(name: string): Promise<void> {
  if (typeof document === "undefined") return;
  await pageParsed();
  const inert = inertElement(name);
  if (!inert?.hasAttribute("data-syslab-packed") || unpacked.has(name)) return;
  unpacked.set(name, await unpack(inert.textContent ?? ""));
}

/** base64 of raw deflate → text. */
async function unpack(base64: string): Promise<string> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return await new Response(stream).text();
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
