/**
 * The lazy chunks of an exported page (see `runtime/chunk.ts`): which modules they hold, how each
 * is built (a minified IIFE that registers the module under its name), and the esbuild plugin
 * that makes the page bundle import a chunk's module through a stand-in calling `loadChunk`.
 * Only functions can be imported from a lazy module: the stand-in forwards each call.
 */
import * as esbuild from "esbuild";
import { denoSpecifiers, trimVega } from "../serve/bundle.ts";
import { CHUNKS_GLOBAL } from "../runtime/chunk.ts";
import { exportBuildOptions } from "./build-options.ts";

/** One lazy chunk: its module (a path under the root, or a package) and the names used. */
export interface LazyModule {
  name: string;
  /** `cells/…` (relative to the root) or a package name. */
  module: string;
  exports: readonly string[];
  /**
   * Packages the chunk imports through another: vega-lite takes four helpers from `vega`, which
   * re-exports them from `vega-util`; importing `vega` whole would put all of vega in the chunk.
   */
  aliases?: Readonly<Record<string, string>>;
  /**
   * Stored packed (raw deflate, base64: a third of the bytes, about the same gzipped), for a
   * module the page only reaches asynchronously, after `chunkReady(name)`.
   */
  packed?: boolean;
  /**
   * Every export is an async function: the stand-in awaits `chunkReady(name)` before the call,
   * so callers need not know of the chunk, and it may sit after the page's module.
   */
  awaited?: boolean;
}

/**
 * The markdown and TeX engine; Vega (needed only once a chart goes live, after its drawing shows);
 * vega-lite (used only for a chart the exporter did not compile).
 */
export const LAZY_MODULES: readonly LazyModule[] = [
  {
    name: "markdown",
    module: "cells/outputs/markdown-engine.ts",
    exports: ["parseMarkdown", "tex"],
  },
  {
    name: "vega",
    module: "cells/outputs/vega-view.ts",
    exports: ["createVegaView"],
    awaited: true,
  },
  {
    name: "vega-lite",
    module: "vega-lite",
    exports: ["compile"],
    aliases: { vega: "vega-util" },
    packed: true,
  },
];

const isPackage = (m: LazyModule) => !m.module.includes("/") || m.module.startsWith("@");

/** Builds one chunk's script text. */
export async function buildChunk(m: LazyModule, root: string): Promise<string> {
  const target = isPackage(m) ? m.module : `${root}/${m.module}`;
  const result = await esbuild.build({
    stdin: {
      contents: `import * as m from ${JSON.stringify(target)};\n` +
        `(globalThis.${CHUNKS_GLOBAL} ??= {})[${JSON.stringify(m.name)}] = m;`,
      resolveDir: root,
      sourcefile: `syslab-chunk-${m.name}.js`,
      loader: "js",
    },
    ...exportBuildOptions(root),
    format: "iife",
    plugins: [aliasesPlugin(m.aliases ?? {}), trimVega(), denoSpecifiers(root)],
  });
  return result.outputFiles[0].text;
}

/** Resolves each aliased package as its stand-in, from the importing file's folder. */
function aliasesPlugin(aliases: Readonly<Record<string, string>>): esbuild.Plugin {
  const names = Object.keys(aliases);
  return {
    name: "syslab-chunk-aliases",
    setup(build) {
      if (!names.length) return;
      const filter = new RegExp(
        `^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`,
      );
      build.onResolve(
        { filter },
        (a) => build.resolve(aliases[a.path], { kind: a.kind, resolveDir: a.resolveDir }),
      );
    },
  };
}

/** Page-bundle plugin: imports of a lazy module resolve to a stand-in that loads its chunk. */
export function lazyChunksPlugin(root: string, modules = LAZY_MODULES): esbuild.Plugin {
  const byPath = new Map(
    modules.filter((m) => !isPackage(m)).map((m) => [`${root}/${m.module}`, m]),
  );
  const byPackage = new Map(modules.filter(isPackage).map((m) => [m.module, m]));
  return {
    name: "syslab-lazy-chunks",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (a) => {
        if (a.namespace === "syslab-lazy" || a.pluginData === "syslab-lazy-skip") return;
        const pkg = byPackage.get(a.path);
        if (pkg) return { path: pkg.name, namespace: "syslab-lazy" };
        if (!a.path.startsWith(".") && !a.path.startsWith("/")) return;
        const r = await build.resolve(a.path, {
          kind: a.kind,
          resolveDir: a.resolveDir,
          importer: a.importer,
          pluginData: "syslab-lazy-skip",
        });
        const m = byPath.get(r.path);
        return m ? { path: m.name, namespace: "syslab-lazy" } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "syslab-lazy" }, (a) => {
        const m = modules.find((x) => x.name === a.path)!;
        return {
          contents: [
            `import { chunkReady, loadChunk } from ${JSON.stringify(`${root}/runtime/chunk.ts`)};`,
            ...m.exports.map((e) => standIn(m, e)),
          ].join("\n"),
          resolveDir: root,
          loader: "js",
        };
      });
    },
  };
}

/** The stand-in of export `e` of lazy module `m`: a function forwarding each call to the chunk. */
function standIn(m: LazyModule, e: string): string {
  const name = JSON.stringify(m.name);
  return m.awaited
    ? `export async function ${e}(...args) { await chunkReady(${name}); return loadChunk(${name}).${e}(...args); }`
    : `export function ${e}(...args) { return loadChunk(${name}).${e}(...args); }`;
}
