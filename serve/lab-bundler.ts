/**
 * Bundles a lab for the dev server's page in two halves. The lab half is the lab file; everything
 * it imports is the shared half (`deps-bundle.ts`), which the lab bundle imports by URL. Saving
 * the lab rebuilds only the small lab half, so the page hot-reloads in tens of milliseconds; the
 * shared half is rebuilt when one of its inputs changes, and kept on disk between runs
 * (`deps-cache.ts`), so a server start whose shared sources are unchanged builds only the lab.
 * The lab half is kept too, keyed by the lab's source and the shared half's names: a start where
 * nothing changed builds nothing and does not start esbuild (it starts on the first save, or
 * in idle time after the first page, `prewarm`).
 */
import type * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import {
  type Build,
  type BuildFailure,
  denoSpecifiers,
  labImportSource,
  outputName,
  pageBuildOptions,
  trimVega,
  virtualModule,
} from "./bundle.ts";
import { buildErrors, type DepsBuild, DepsBundler } from "./deps-bundle.ts";
import { bundlerIdentity, cacheKey, DepsCache } from "./deps-cache.ts";

const LAB_NS = "syslab-lab-entry";
const SKIP = "syslab-boundary-skip";

/** Options of {@link LabBundler}. */
export interface LabBundlerOptions {
  /** Where built shared halves are kept between runs; null: no disk cache. */
  cacheDir?: string | null;
}

/** Incremental two-half bundler for one lab file. */
export class LabBundler {
  readonly labPath: string;
  readonly root: string;
  #labCtx: esbuild.BuildContext<{ write: false }> | null = null;
  #depsBundler: DepsBundler;
  #cache: Promise<DepsCache | null>;
  #deps: DepsBuild | null = null;
  #inputs = new Set<string>();
  /** Shared modules the lab side imports directly (absolute paths). */
  #boundary = new Set<string>();
  /** Boundary modules the last lab build met that the shared half does not have yet. */
  #missing = new Set<string>();
  #next = 1;
  /** The cache entry being written (in the background). */
  #saving: Promise<void> = Promise.resolve();
  /** The last shared-half build failed: it stays stale until one succeeds. */
  #depsFailed = false;
  /** How the last build got its shared half: built now, from the disk cache, or kept. */
  lastDeps: "built" | "cache" | "kept" = "kept";
  /** How the last build got its lab half: built now, or from the disk cache (first build only). */
  lastLab: "built" | "cache" = "built";

  constructor(labUrl: URL, rootUrl: URL, opts: LabBundlerOptions = {}) {
    this.labPath = fileURLToPath(labUrl);
    this.root = fileURLToPath(rootUrl).replace(/\/$/, "");
    this.#depsBundler = new DepsBundler(this.root);
    const dir = opts.cacheDir === undefined
      ? Deno.env.get("SYSLAB_CACHE") ?? `${this.root}/.syslab-cache/dev-deps`
      : opts.cacheDir;
    this.#cache = dir === null
      ? Promise.resolve(null)
      : bundlerIdentity(this.root).then((id) => new DepsCache(dir, id));
  }

  /**
   * Builds (or rebuilds) the page. `changed` lists the files saved since the last build: the
   * shared half is rebuilt only if one of them is its input (unknown: rebuilt). A failure keeps
   * nothing and returns esbuild's messages.
   */
  async build(changed?: readonly string[]): Promise<Build | BuildFailure> {
    const t0 = performance.now();
    try {
      this.lastDeps = "kept";
      this.lastLab = "built";
      if (this.#deps === null && changed === undefined) {
        const cached = await this.#fromCache();
        if (cached) return this.#collect(cached, performance.now() - t0);
      }
      // A shared half that failed last time stays stale until it builds (the page must not run
      // the last good helper while the file on disk is broken).
      const stale = this.#deps !== null && (this.#depsFailed || changed === undefined ||
        changed.some((p) => this.#inputs.has(p)));
      if (stale) await this.#buildDeps();
      let lab = await this.#buildLab();
      if (this.#deps === null || this.#missing.size) {
        for (const p of this.#missing) this.#boundary.add(p);
        await this.#buildDeps();
        lab = await this.#buildLab();
      }
      this.#keepLab(lab);
      return this.#collect(lab.outputFiles, performance.now() - t0);
    } catch (e) {
      return { errors: buildErrors(e) };
    }
  }

  /**
   * The first build from the disk cache: the shared half for the boundary this lab had last time
   * (every input checked), and the lab half if the lab's source and the shared half's names are
   * what it was built from; then only the lab half is built (null: start from nothing).
   */
  async #fromCache(): Promise<ReadonlyArray<{ path: string; contents: Uint8Array }> | null> {
    const cache = await this.#cache;
    const rec = cache ? await cache.loadLab(this.labPath) : null;
    if (!cache || !rec) return null;
    const deps = await cache.load(rec.entries);
    if (!deps) return null;
    this.#deps = deps;
    this.#boundary = new Set(rec.entries);
    this.#inputs = new Set(deps.inputs);
    this.#depsFailed = false;
    this.lastDeps = "cache";
    const source = await Deno.readTextFile(this.labPath);
    if (rec.key === await this.#labKey(source)) {
      this.lastLab = "cache";
      return [{ path: `/__syslab/b/${rec.name}`, contents: new TextEncoder().encode(rec.js) }];
    }
    const lab = await this.#buildLab();
    if (this.#missing.size) return null; // new imports: the normal path adds them
    this.#keepLab(lab);
    return lab.outputFiles;
  }

  /** What a lab half is built from: the lab's source, its path, the shared half's names. */
  #labKey(source: string): Promise<string> {
    const names = [...this.#deps!.names].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return cacheKey(JSON.stringify([this.labPath, this.root, source, names, this.#deps!.deps]));
  }

  /** Keeps the lab half just built on disk, in the background (`dispose` waits for it). */
  #keepLab(result: esbuild.BuildResult<{ write: false }>): void {
    const source = this.#labSource;
    const file = result.outputFiles.find((f) => /^lab-[A-Z0-9]+\.js$/.test(outputName(f.path)));
    if (source === null || !file || result.outputFiles.length !== 1) return;
    const entries = [...this.#boundary].sort();
    this.#saving = this.#saving.then(async () => {
      const cache = await this.#cache;
      if (!cache || !this.#deps) return;
      await cache.saveLab(this.labPath, {
        version: 1,
        entries,
        key: await this.#labKey(source),
        name: outputName(file.path),
        js: file.text,
      });
    });
  }

  /**
   * Starts esbuild and the lab half's context now (idle time after the first page), so the first
   * save does not wait for them when the first build came from the cache.
   */
  async prewarm(): Promise<void> {
    try {
      await this.#labContext();
    } catch { /* the next build reports it */ }
  }

  /** Stops both esbuild contexts, once the shared half's cache entry is written. */
  async dispose(): Promise<void> {
    await this.#saving;
    await this.#labContextStarting?.catch(() => {});
    await this.#labCtx?.dispose();
    this.#labCtx = null;
    await this.#depsBundler.dispose();
  }

  /** The shared half for the current boundary: from the disk cache if it is valid there. */
  async #buildDeps(): Promise<void> {
    const entries = [...this.#boundary].sort();
    const cache = await this.#cache;
    this.#depsFailed = true; // until this build succeeds
    const cached = cache ? await cache.load(entries) : null;
    if (cached) {
      this.#deps = cached;
      this.lastDeps = "cache";
    } else {
      const startedAt = Date.now();
      const built = await this.#depsBundler.build(entries);
      this.#deps = built;
      this.lastDeps = "built";
      // Written in the background: the page need not wait for the disk (dispose waits for it).
      if (cache) this.#saving = this.#saving.then(() => cache.save(built, startedAt));
    }
    this.#inputs = new Set(this.#deps.inputs);
    this.#depsFailed = false;
  }

  async #buildLab(): Promise<esbuild.BuildResult<{ write: false }>> {
    this.#missing.clear();
    this.#labSource = null;
    return await (await this.#labContext()).rebuild();
  }

  #labContextStarting: Promise<esbuild.BuildContext<{ write: false }>> | null = null;
  #labContext(): Promise<esbuild.BuildContext<{ write: false }>> {
    if (this.#labCtx) return Promise.resolve(this.#labCtx);
    this.#labContextStarting ??= import("esbuild").then(({ context }) =>
      context({
        ...pageBuildOptions(this.root),
        entryPoints: [{ in: `${LAB_NS}:lab`, out: "lab" }],
        plugins: [this.#labEntry(), this.#boundaryImports(), trimVega(), denoSpecifiers(this.root)],
      })
    ).then((ctx) => (this.#labCtx = ctx)).finally(() => (this.#labContextStarting = null));
    return this.#labContextStarting;
  }

  /** The lab source the last lab build read (null until it read it). */
  #labSource: string | null = null;

  /**
   * Whether a resolved file belongs to the lab half: the lab file only. Its own helper modules
   * (`labs/v2-10/scenario.ts`) are shared too — a hot reload re-runs only cells whose source
   * changed, so an edit to a helper must reload the page, as an edit to `cells/` does.
   */
  #labSide(path: string): boolean {
    return path === this.labPath;
  }

  /** The generated lab entry: call-site capture off, the lab as `def`, its cells' lines. */
  #labEntry(): esbuild.Plugin {
    const { labPath, root } = this;
    return virtualModule(LAB_NS, async () => {
      const source = await Deno.readTextFile(labPath);
      this.#labSource = source;
      return {
        contents: `${labImportSource(labPath, root, source)}
export { def };`,
        resolveDir: dirname(labPath),
      };
    });
  }

  /**
   * Imports of shared modules become imports of their entry in the shared half, by URL; one the
   * shared half does not have yet is noted in `#missing` (the build is then redone).
   */
  #boundaryImports(): esbuild.Plugin {
    return {
      name: "syslab-boundary",
      setup: (build) => {
        build.onResolve({ filter: /.*/ }, async (a) => {
          if (
            a.pluginData === SKIP || a.kind === "entry-point" || a.path.startsWith(`${LAB_NS}:`)
          ) {
            return undefined;
          }
          const r = await build.resolve(a.path, {
            kind: a.kind,
            resolveDir: a.resolveDir,
            importer: a.importer,
            pluginData: SKIP,
          });
          if (r.errors.length) return { errors: r.errors };
          if (r.external || r.namespace !== "file" || this.#labSide(r.path)) {
            return {
              path: r.path,
              namespace: r.namespace,
              external: r.external,
              sideEffects: r.sideEffects,
              pluginData: r.pluginData,
              suffix: r.suffix,
            };
          }
          const name = this.#deps?.names.get(r.path);
          if (!name) this.#missing.add(r.path);
          return { path: `/__syslab/b/${name ?? "pending.js"}`, external: true };
        });
      },
    };
  }

  #collect(outputs: ReadonlyArray<{ path: string; contents: Uint8Array }>, ms: number): Build {
    const deps = this.#deps!;
    const files = new Map(deps.files);
    let lab = "";
    for (const f of outputs) {
      const name = outputName(f.path);
      files.set(name, f.contents);
      if (/^lab-[A-Z0-9]+\.js$/.test(name)) lab = name;
    }
    return {
      id: this.#next++,
      files,
      lab,
      deps: deps.deps,
      shared: [...deps.files.keys()].sort(),
      ms,
    };
  }
}
