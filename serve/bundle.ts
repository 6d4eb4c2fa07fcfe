/**
 * Bundles a lab for the browser with esbuild (incremental, code-split). Source maps are off by
 * default — they triple the output and a rebuild's time with it (cells report their own source
 * lines anyway); `SYSLAB_SOURCEMAP=1` turns them on for browser debugging.
 *
 * Two entries: `deps` (the page runtime plus everything the lab file imports directly) and `lab`
 * (the lab file alone). Chunk names are content hashes, so after an edit to the lab file only the
 * `lab` entry changes; the browser imports it and reuses the already-loaded chunks (same URLs, same
 * module instances: one lit, one set of custom elements, one `StopSignal` class). When any other
 * output changes the page must reload fully (`hot: false`).
 */
import * as esbuild from "esbuild";
import { fileURLToPath as fromFileUrl } from "node:url";
import { dirname, resolve } from "node:path";

/** One successful build: output files by name, and which of them the page loads. */
export interface Build {
  id: number;
  files: Map<string, Uint8Array>;
  /** Output name of the lab entry (`lab-<hash>.js`). */
  lab: string;
  /** Output name of the deps entry (`deps-<hash>.js`). */
  deps: string;
  /** Every output name except the lab entry and its map: unchanged ⇒ hot reload is safe. */
  shared: string[];
  ms: number;
}

/** A failed build: esbuild's messages, formatted `file:line:col: text`. */
export interface BuildFailure {
  errors: string[];
}

const ENTRY_NS = "syslab-entry";
const SOURCEMAPS = Deno.env.get("SYSLAB_SOURCEMAP") === "1";
const IMPORT_RE = /^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s*)?["']([^"'\n]+)["']/gm;

/** The specifiers a module imports statically (type-only imports left out). */
export function directImports(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(IMPORT_RE)) out.add(m[1]);
  return [...out];
}

/**
 * How a page bundle imports its lab as `def`: call-site capture off, then each cell's line set
 * from the lab's source (stack traces in a page point into the bundle).
 */
export function labImportSource(labPath: string, root: string, source: string): string {
  return [
    `import ${JSON.stringify(`${root}/runtime/call-sites-off.ts`)};`,
    `import def from ${JSON.stringify(labPath)};`,
    `const lines = ${JSON.stringify(declaredLines(source))};`,
    `if (Array.isArray(def?.cells) && def.cells.length === lines.length) {`,
    `  def.cells.forEach((c, i) => { c.line = lines[i]; });`,
    `}`,
  ].join("\n");
}

/**
 * The line of each `.input(` / `.cell(` / `.show(` call in a lab's source, in order (comments
 * skipped). The page uses them when they are as many as the lab's cells.
 */
export function declaredLines(source: string): number[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, " "));
  const out: number[] = [];
  for (const m of code.matchAll(/\.(?:input|cell|show)\s*\(/g)) {
    out.push(code.slice(0, m.index).split("\n").length);
  }
  return out;
}

/** Incremental bundler for one lab file. */
export class LabBundler {
  #ctx: esbuild.BuildContext | null = null;
  #next = 1;
  readonly labPath: string;
  readonly root: string;

  constructor(labUrl: URL, rootUrl: URL) {
    this.labPath = fromFileUrl(labUrl);
    this.root = fromFileUrl(rootUrl).replace(/\/$/, "");
  }

  /** Builds (or rebuilds) the lab; a failure keeps nothing and returns the messages. */
  async build(): Promise<Build | BuildFailure> {
    const t0 = performance.now();
    try {
      if (!this.#ctx) this.#ctx = await esbuild.context(this.#options());
      const result = await this.#ctx.rebuild();
      return this.#collect(result, performance.now() - t0);
    } catch (e) {
      const errs = (e as { errors?: esbuild.Message[] }).errors;
      if (errs?.length) return { errors: errs.map(formatMessage) };
      return { errors: [String((e as Error)?.message ?? e)] };
    }
  }

  /** Stops the esbuild service for this lab. */
  async dispose(): Promise<void> {
    await this.#ctx?.dispose();
    this.#ctx = null;
  }

  #options(): esbuild.BuildOptions & { write: false } {
    return {
      entryPoints: [
        { in: `${ENTRY_NS}:deps`, out: "deps" },
        { in: `${ENTRY_NS}:lab`, out: "lab" },
      ],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      outdir: "/__syslab/b",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      sourcemap: SOURCEMAPS ? "linked" : false,
      sourcesContent: SOURCEMAPS,
      legalComments: "none",
      logLevel: "silent",
      absWorkingDir: this.root,
      plugins: [this.#entries(), trimVega(), denoSpecifiers(this.root)],
    };
  }

  /** The two generated entry modules. */
  #entries(): esbuild.Plugin {
    const lab = this.labPath;
    const root = this.root;
    return {
      name: "syslab-entries",
      setup(build) {
        build.onResolve(
          { filter: /^syslab-entry:/ },
          (a) => ({ path: a.path, namespace: ENTRY_NS }),
        );
        build.onLoad({ filter: /.*/, namespace: ENTRY_NS }, async (a) => {
          const source = await Deno.readTextFile(lab);
          if (a.path.endsWith(":lab")) {
            return {
              contents: `${labImportSource(lab, root, source)}\nexport { def };`,
              resolveDir: dirname(lab),
              loader: "js",
            };
          }
          const lines = directImports(source).map((s) =>
            `import ${JSON.stringify(s.startsWith(".") ? resolve(dirname(lab), s) : s)};`
          );
          return {
            contents: [
              `export { mountLab } from ${JSON.stringify(`${root}/runtime/browser.ts`)};`,
              `export { connectDevServer, takeSavedInputs } from ${
                JSON.stringify(`${root}/serve/client.ts`)
              };`,
              ...lines,
            ].join("\n"),
            resolveDir: dirname(lab),
            loader: "js",
          };
        });
      },
    };
  }

  #collect(result: esbuild.BuildResult<{ write: false }>, ms: number): Build {
    const files = new Map<string, Uint8Array>();
    let lab = "", deps = "";
    for (const f of result.outputFiles ?? []) {
      const name = f.path.slice(f.path.lastIndexOf("/") + 1);
      files.set(name, f.contents);
      if (/^lab-[A-Z0-9]+\.js$/.test(name)) lab = name;
      if (/^deps-[A-Z0-9]+\.js$/.test(name)) deps = name;
    }
    const shared = [...files.keys()].filter((n) => n !== lab && n !== `${lab}.map`).sort();
    return { id: this.#next++, files, lab, deps, shared, ms };
  }
}

/**
 * Vega packages the labs' charts never use: the transforms for geo, force, hierarchy, label,
 * regression, voronoi, wordcloud and crossfilter (vega imports each as a namespace and registers
 * what it finds) and vega-themes' named themes (we pass our own config). An empty module leaves
 * them out (about 100 KB of the page). A chart that needs one of those transforms shows vega's
 * "Unrecognized transform type" error in its cell; one that needs a map projection, geo math,
 * or CSV / TopoJSON data shows "… is not in the page bundle".
 */
export const UNUSED_VEGA_TRANSFORMS = [
  "vega-themes",
  "vega-geo",
  "vega-force",
  "vega-hierarchy",
  "vega-label",
  "vega-regression",
  "vega-voronoi",
  "vega-wordcloud",
  "vega-crossfilter",
];

/**
 * Modules replaced by a stand-in that exports the names their importers use: map projections and
 * geo expression functions (d3-geo), and CSV / TopoJSON parsing (labs hand charts JSON rows).
 */
const STAND_INS: Record<string, string> = {
  "vega-projection": standIn("map projection", ["projection", "getProjectionPath"]) +
    "export const projectionProperties = [];",
  "d3-geo": standIn("geo math", ["geoArea", "geoBounds", "geoCentroid", "geoGraticule"]),
  "d3-dsv": standIn("CSV parsing", ["dsvFormat"]),
  "topojson-client": standIn("TopoJSON", ["feature", "mesh"]),
};

/** A module whose named exports all throw "<what> is not in the page bundle". */
function standIn(what: string, names: string[]): string {
  return `const none = () => { throw new Error(${
    JSON.stringify(`${what} is not in the page bundle`)
  }); };
export const ${names.map((n) => `${n} = none`).join(", ")};
`;
}

/** Replaces the unused vega transform packages with an empty module. */
export function trimVega(): esbuild.Plugin {
  const names = [...UNUSED_VEGA_TRANSFORMS, ...Object.keys(STAND_INS)];
  const filter = new RegExp(`^(${names.join("|")})$`);
  return {
    name: "syslab-trim-vega",
    setup(build) {
      build.onResolve({ filter }, (a) => ({ path: a.path, namespace: "syslab-empty" }));
      build.onLoad({ filter: /.*/, namespace: "syslab-empty" }, (a) => ({
        contents: STAND_INS[a.path] ?? "export {};",
        loader: "js",
      }));
    },
  };
}

/** Resolves Deno's `npm:` and import-map specifiers through the project's node_modules. */
export function denoSpecifiers(root: string): esbuild.Plugin {
  return {
    name: "deno-specifiers",
    setup(build) {
      build.onResolve({ filter: /^npm:/ }, async (a) => {
        // npm:lit@3.3.3/decorators.js → lit/decorators.js; npm:/zod@4/mini → zod/mini
        const rest = a.path.slice(4).replace(/^\//, "");
        const m = /^((?:@[^/]+\/)?[^@/]+)(?:@[^/]+)?(\/.*)?$/.exec(rest);
        if (!m) return { errors: [{ text: `cannot read the npm specifier ${a.path}` }] };
        const r = await build.resolve(m[1] + (m[2] ?? ""), {
          kind: a.kind,
          resolveDir: root,
        });
        return r.errors.length ? { errors: r.errors } : { path: r.path };
      });
      build.onResolve({ filter: /^(jsr:|https?:)/ }, (a) => ({
        errors: [{ text: `${a.path}: only npm: and local imports can be bundled for the page` }],
      }));
      build.onResolve({ filter: /^node:/ }, (a) => ({
        errors: [{ text: `${a.path} is a Deno/Node module; it cannot run in the page` }],
      }));
    },
  };
}

function formatMessage(m: esbuild.Message): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${loc.file}:${loc.line}:${loc.column + 1}: ${m.text}\n  ${loc.lineText}`;
}

/** Stops esbuild's child process (call once when the server stops). */
export async function stopBundler(): Promise<void> {
  await esbuild.stop();
}
