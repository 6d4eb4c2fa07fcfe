/**
 * The shared half of the page (`deps-bundle.ts`) kept on disk between dev-server runs, so a
 * start whose shared sources have not changed skips esbuild's biggest build. One folder per key
 * (the boundary modules, this bundler's code, esbuild's version, `deno.lock`); its
 * `manifest.json` lists every input with its size and content hash (packages: mtime and size),
 * and any difference means a rebuild.
 * Best effort: a missing, partial or corrupt entry is rebuilt, a failed write is ignored; entries
 * are written to a temporary folder and renamed into place, so a reader never sees half of one.
 */
import type { DepsBuild } from "./deps-bundle.ts";
import { sourceMapsOn } from "./bundle.ts";

interface Manifest {
  version: 1;
  entries: string[];
  deps: string;
  names: Array<[string, string]>;
  files: string[];
  inputs: Array<[string, ...Signature]>;
}

/**
 * A lab half kept between runs: the boundary it imports (the shared half's entries), the key of
 * what it was built from (`LabBundler`: the lab's source and the shared half's names), its file.
 */
export interface CachedLab {
  version: 1;
  entries: string[];
  key: string;
  name: string;
  js: string;
}

/** How many keys are kept (labs with different boundaries each have one). */
const KEEP = 8;

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d).slice(0, 12), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * What makes a cached build valid besides its inputs: the bundler's own code and versions
 * (esbuild's from its package.json, so a start whose bundles are cached never loads esbuild).
 */
export async function bundlerIdentity(root: string): Promise<string> {
  const read = (p: string) => Deno.readTextFile(`${root}/${p}`).catch(() => "");
  const parts = await Promise.all(
    [
      "serve/deps-bundle.ts",
      "serve/bundle.ts",
      "serve/lab-bundler.ts",
      "deno.lock",
      "node_modules/esbuild/package.json",
    ].map(read),
  );
  return sha256([String(sourceMapsOn), ...parts].join("\u0000"));
}

/** A short SHA-256 of `text` (hex), for cache keys. */
export function cacheKey(text: string): Promise<string> {
  return sha256(text);
}

/** FNV-1a over bytes (a content check for project sources; not a security hash). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/**
 * What a cached input is checked by: `[mtime ms, size, content hash]`. Project sources are
 * checked by size and content (an edit within one mtime tick, or a checkout that restores
 * mtimes, is still seen); installed packages (`node_modules`, tied to `deno.lock`) by mtime and
 * size, with hash 0. Null if the file is gone or has no mtime.
 */
async function signature(path: string): Promise<Signature | null> {
  try {
    const s = await Deno.stat(path);
    if (!s.mtime) return null;
    const hash = path.includes("/node_modules/") ? 0 : fnv1a(await Deno.readFile(path));
    return [s.mtime.getTime(), s.size, hash];
  } catch {
    return null;
  }
}

type Signature = [number, number, number];

/** Whether an input is as it was saved (see `signature`). */
function unchanged(now: Signature | null, saved: Signature): boolean {
  if (!now || now[1] !== saved[1]) return false;
  return saved[2] === 0 ? now[0] === saved[0] : now[2] === saved[2];
}

/** The on-disk cache of shared-half builds under `dir`. */
export class DepsCache {
  constructor(readonly dir: string, readonly identity: string) {}

  async #folder(entries: readonly string[]): Promise<string> {
    return `${this.dir}/${await sha256(`${this.identity}\n${entries.join("\n")}`)}`;
  }

  /** The cached build for `entries` if every input is as it was when it was saved. */
  async load(entries: readonly string[]): Promise<DepsBuild | null> {
    try {
      const folder = await this.#folder(entries);
      const m = JSON.parse(await Deno.readTextFile(`${folder}/manifest.json`)) as Manifest;
      if (m.version !== 1 || m.entries.join("\n") !== entries.join("\n")) return null;
      const now = await Promise.all(m.inputs.map(([p]) => signature(p)));
      if (now.some((s, i) => !unchanged(s, m.inputs[i].slice(1) as Signature))) return null;
      const files = new Map<string, Uint8Array>();
      await Promise.all(
        m.files.map(async (n) => files.set(n, await Deno.readFile(`${folder}/files/${n}`))),
      );
      return {
        entries: m.entries,
        files,
        deps: m.deps,
        names: new Map(m.names),
        inputs: m.inputs.map(([p]) => p),
      };
    } catch {
      return null;
    }
  }

  /**
   * Saves `build`, stamped with its inputs' signatures, unless an input was modified after
   * `startedAt` (wall-clock ms when the build began): its stamp would not match what was built.
   */
  async save(build: DepsBuild, startedAt: number): Promise<void> {
    let tmp = "";
    try {
      const after = await Promise.all(build.inputs.map(signature));
      if (after.some((s) => !s || s[0] >= startedAt)) return;
      await Deno.mkdir(this.dir, { recursive: true });
      tmp = await Deno.makeTempDir({ dir: this.dir, prefix: ".tmp-" });
      await Deno.mkdir(`${tmp}/files`);
      await Promise.all(
        [...build.files].map(([n, bytes]) => Deno.writeFile(`${tmp}/files/${n}`, bytes)),
      );
      const manifest: Manifest = {
        version: 1,
        entries: build.entries,
        deps: build.deps,
        names: [...build.names],
        files: [...build.files.keys()],
        inputs: build.inputs.map((p, i) => [p, ...after[i]!]),
      };
      await Deno.writeTextFile(`${tmp}/manifest.json`, JSON.stringify(manifest));
      const folder = await this.#folder(build.entries);
      await Deno.remove(folder, { recursive: true }).catch(() => {});
      await Deno.rename(tmp, folder);
      tmp = "";
      await this.#prune();
    } catch {
      /* best effort: the next start builds again */
    } finally {
      if (tmp) await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  }

  /** Where a lab's last lab half is kept (dot-named: pruning skips it). */
  async #labFile(labPath: string): Promise<string> {
    return `${this.dir}/.labs/${await sha256(`${this.identity}\n${labPath}`)}.json`;
  }

  /** The lab half last built for `labPath`, with the boundary it was built against, or null. */
  async loadLab(labPath: string): Promise<CachedLab | null> {
    try {
      const rec = JSON.parse(await Deno.readTextFile(await this.#labFile(labPath))) as CachedLab;
      const ok = rec.version === 1 && Array.isArray(rec.entries) &&
        typeof rec.key === "string" && /^lab-[A-Z0-9]+\.js$/.test(rec.name) &&
        typeof rec.js === "string";
      return ok ? rec : null;
    } catch {
      return null;
    }
  }

  /** Keeps `rec` as the lab half of `labPath` (best effort, written by rename). */
  async saveLab(labPath: string, rec: CachedLab): Promise<void> {
    try {
      const file = await this.#labFile(labPath);
      await Deno.mkdir(`${this.dir}/.labs`, { recursive: true });
      const tmp = `${file}.tmp-${crypto.randomUUID()}`;
      await Deno.writeTextFile(tmp, JSON.stringify(rec));
      await Deno.rename(tmp, file);
    } catch { /* the next start builds the lab half */ }
  }

  async #prune(): Promise<void> {
    const dirs: Array<[string, number]> = [];
    for await (const e of Deno.readDir(this.dir)) {
      if (!e.isDirectory || e.name.startsWith(".")) continue;
      const s = await Deno.stat(`${this.dir}/${e.name}`).catch(() => null);
      dirs.push([e.name, s?.mtime?.getTime() ?? 0]);
    }
    dirs.sort((a, b) => b[1] - a[1]);
    for (const [name] of dirs.slice(KEEP)) {
      await Deno.remove(`${this.dir}/${name}`, { recursive: true }).catch(() => {});
    }
  }
}
