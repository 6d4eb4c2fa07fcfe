/**
 * The page's shared half: everything a lab file imports (its helpers, `cells/`, `core/`,
 * `runtime/`, npm packages) plus the page runtime, bundled once with code splitting. Each module
 * the lab file imports directly (its "boundary") is an entry of its own, so the lab bundle can
 * import it by URL and every lab-side import of it shares one module instance (one lit, one set
 * of custom elements, one `StopSignal` class). A lab edit leaves this build alone; an edit to one
 * of its inputs rebuilds it (and the page reloads fully).
 */
import type * as esbuild from "esbuild";
import { resolve } from "node:path";
import {
  denoSpecifiers,
  formatMessage,
  outputName,
  pageBuildOptions,
  trimVega,
  virtualModule,
} from "./bundle.ts";

/** One build of the shared half. */
export interface DepsBuild {
  /** The boundary modules it was built for (absolute paths, sorted). */
  entries: string[];
  /** Output files by name. */
  files: Map<string, Uint8Array>;
  /** The page runtime's entry (`deps-<hash>.js`). */
  deps: string;
  /** Output name of each boundary module's entry, by absolute path. */
  names: Map<string, string>;
  /** Absolute paths of the source files it read (an edit to one of them makes it stale). */
  inputs: string[];
}

const DEPS_NS = "syslab-deps-entry";

/** Output base name of a boundary entry: its path under the root, as a slug (`cells-mod`). */
function entryOut(path: string, root: string, i: number): string {
  const rel = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  const slug = rel.replace(/^.*node_modules\//, "npm/").replace(/\.[jt]sx?$/, "")
    .replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(-60);
  return `m${i}-${slug || "module"}`;
}

/** An incremental build of the shared half for one set of boundary modules. */
export class DepsBundler {
  #ctx: esbuild.BuildContext<{ write: false; metafile: true }> | null = null;
  #entries: string[] = [];

  constructor(readonly root: string) {}

  /** Builds for `entries` (absolute paths); a new set of entries starts a new esbuild context. */
  async build(entries: readonly string[]): Promise<DepsBuild> {
    const sorted = [...new Set(entries)].sort();
    if (!this.#ctx || sorted.join("\n") !== this.#entries.join("\n")) {
      await this.#ctx?.dispose();
      const { context } = await import("esbuild");
      this.#ctx = await context(this.#options(sorted));
      this.#entries = sorted;
    }
    const result = await this.#ctx.rebuild();
    return this.#collect(result, sorted);
  }

  /** Stops the esbuild context. */
  async dispose(): Promise<void> {
    await this.#ctx?.dispose();
    this.#ctx = null;
  }

  #options(entries: string[]) {
    const root = this.root;
    return {
      ...pageBuildOptions(root),
      entryPoints: [
        { in: `${DEPS_NS}:deps`, out: "deps" },
        ...entries.map((p, i) => ({ in: p, out: entryOut(p, root, i) })),
      ],
      splitting: true,
      // Minified like the export (the lab half is not): on 2 cores the page parses 2.3 MB of
      // JS before its first chart, and minified it draws ~9% sooner (645 → 588 ms median, 12
      // visits each, same machine). SYSLAB_SOURCEMAP=1 maps it back to the sources.
      minify: true,
      metafile: true as const,
      chunkNames: "chunk-[hash]",
      plugins: [pageRuntimeEntry(root), trimVega(), denoSpecifiers(root)],
    };
  }

  #collect(result: esbuild.BuildResult<{ write: false; metafile: true }>, entries: string[]) {
    const files = new Map<string, Uint8Array>();
    for (const f of result.outputFiles) files.set(outputName(f.path), f.contents);
    const names = new Map<string, string>();
    let deps = "";
    for (const [out, meta] of Object.entries(result.metafile.outputs)) {
      const name = outputName(out);
      if (!meta.entryPoint || !name.endsWith(".js")) continue;
      if (meta.entryPoint.includes(`${DEPS_NS}:`)) deps = name;
      else names.set(resolve(this.root, meta.entryPoint), name);
    }
    const inputs = Object.keys(result.metafile.inputs)
      .filter((k) => !/^[\w-]+:/.test(k))
      .map((k) => resolve(this.root, k));
    return { entries, files, deps, names, inputs } satisfies DepsBuild;
  }
}

/** The generated `deps` entry: what the page's boot script calls. */
function pageRuntimeEntry(root: string): esbuild.Plugin {
  return virtualModule(DEPS_NS, () =>
    Promise.resolve({
      contents: [
        `export { mountLab } from ${JSON.stringify(`${root}/runtime/browser.ts`)};`,
        `export { connectDevServer, takeSavedInputs } from ${
          JSON.stringify(`${root}/serve/client.ts`)
        };`,
      ].join("\n"),
      resolveDir: root,
    }));
}

/** esbuild's failure messages as lines (`file:line:col: text`). */
export function buildErrors(e: unknown): string[] {
  const errs = (e as { errors?: esbuild.Message[] }).errors;
  if (errs?.length) return errs.map(formatMessage);
  return [String((e as Error)?.message ?? e)];
}
