/** Temporary copies of a lab inside the project (for save / hot-reload tests), cleaned up after. */

const ROOT = new URL("../../", import.meta.url);

/** A lab file copied into `tests/.tmp-<random>/`, with relative imports made absolute. */
export interface TmpLab {
  url: URL;
  path: string;
  /** The original source (imports rewritten). */
  source: string;
  /** Rewrites the file. */
  write(text: string): Promise<void>;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/** Copies `src` (a lab file URL) to a fresh folder under tests/. */
export async function tmpLab(src: URL, name = "lab.ts"): Promise<TmpLab> {
  const dir = new URL(`tests/.tmp-${crypto.randomUUID().slice(0, 8)}/`, ROOT);
  await Deno.mkdir(dir, { recursive: true });
  const text = await Deno.readTextFile(src);
  const source = text.replace(
    /(from\s+|import\s+)(["'])(\.{1,2}\/[^"']+)\2/g,
    (_m, kw, q, spec) => `${kw}${q}${new URL(spec, src).pathname}${q}`,
  );
  const url = new URL(name, dir);
  await Deno.writeTextFile(url, source);
  return {
    url,
    path: url.pathname,
    source,
    write: (t) => Deno.writeTextFile(url, t),
    remove: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}
