/**
 * What the dev server may serve from disk: a short allowlist of asset folders, and nothing else.
 * Every path is checked before and after resolving symlinks, so `../`, `%2e%2e/`, double
 * encoding, absolute paths and symlinks pointing outside all end in 404.
 */
import { extname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

/** URL prefix → folder (inside the project). */
export type AssetRoots = Record<string, string>;

/** The asset folders the page may use (Temml's optional math stylesheets and font). */
export function defaultAssetRoots(root: URL): AssetRoots {
  return { temml: fromFileUrl(new URL("node_modules/temml/dist/", root)) };
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};

/** The Content-Type for a file name. */
export function contentType(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? "application/octet-stream";
}

/** A relative asset path that is plainly safe: no encoding, dot segments, backslashes or NUL. */
export function isPlainRelative(rel: string): boolean {
  if (!rel || rel.length > 200) return false;
  if (/[%\\\0]/.test(rel) || rel.startsWith("/")) return false;
  return rel.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..") &&
    /^[\w./-]+$/.test(rel);
}

/** Resolves `/<prefix>/<rel>` to a real file inside its allowed folder, or null. */
export async function resolveAsset(roots: AssetRoots, rawPath: string): Promise<string | null> {
  const m = /^([a-z0-9-]+)\/(.+)$/.exec(rawPath);
  if (!m || !Object.hasOwn(roots, m[1]) || !isPlainRelative(m[2])) return null;
  try {
    const base = await Deno.realPath(roots[m[1]]);
    const real = await Deno.realPath(join(base, m[2]));
    if (!real.startsWith(base + "/")) return null;
    const info = await Deno.stat(real);
    return info.isFile ? real : null;
  } catch {
    return null;
  }
}
