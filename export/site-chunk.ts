/**
 * `runtime/chunk.ts` for a site page: the same API (the site's shared bundle is built with this
 * module in its place, so the single-file export's bundle is untouched), whose chunks are the
 * site's shared files, reached through the page's loader (`site-loader.ts`): `chunkReady(name)`
 * loads the file (once), `loadChunk(name)` runs it synchronously once it is loaded.
 *
 * @module
 */
import { SITE_GLOBAL } from "./site-loader.ts";

/** Where a chunk leaves its module when it runs (as in `runtime/chunk.ts`). */
export const CHUNKS_GLOBAL = "__syslabChunks";

type Registry = Record<string, Record<string, unknown>>;

interface SiteChunks {
  has(name: string): boolean;
  load(name: string): Promise<void>;
  run(name: string): void;
  loaded(name: string): boolean;
}

function registry(): Registry {
  const g = globalThis as unknown as Record<string, Registry>;
  return (g[CHUNKS_GLOBAL] ??= {});
}

function site(): SiteChunks | undefined {
  return (globalThis as unknown as Record<string, SiteChunks | undefined>)[SITE_GLOBAL];
}

/** The module of chunk `name`, running its file first if it has not run yet. */
export function loadChunk(name: string): Record<string, unknown> {
  const loaded = registry()[name];
  if (loaded) return loaded;
  const s = site();
  if (!s?.has(name)) throw new Error(`syslab: the site has no "${name}" file`);
  s.run(name); // throws if the file has not loaded yet
  const module = registry()[name];
  if (!module) throw new Error(`syslab: the "${name}" file did not define its module`);
  return module;
}

/** Resolves once the page's HTML is parsed. */
export function pageParsed(): Promise<void> {
  if (typeof document === "undefined" || document.readyState !== "loading") {
    return Promise.resolve();
  }
  return new Promise((resolve) =>
    document.addEventListener("DOMContentLoaded", () => resolve(), { once: true })
  );
}

/** Resolves once `loadChunk(name)` can run synchronously: its file is loaded. */
export async function chunkReady(name: string): Promise<void> {
  const s = site();
  if (typeof document === "undefined" || !s?.has(name)) return;
  await s.load(name);
}

/** Runs chunk `name` in idle time (a warm-up), if its file is loaded; errors are only logged. */
export function preloadChunk(name: string): void {
  const s = site();
  if (typeof document === "undefined" || registry()[name] || !s?.loaded(name)) return;
  try {
    loadChunk(name);
  } catch (e) {
    console.warn(e);
  }
}
