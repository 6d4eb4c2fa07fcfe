/**
 * What the page bundles share: the build result types, how a bundle imports its lab, and the
 * esbuild plugins every browser build uses (vega trimmed, Deno's `npm:` specifiers). The dev
 * server's two-half bundler is `lab-bundler.ts`; the exporter's single file is `export/bundle.ts`.
 * Source maps are off by default (they triple the output and a rebuild's time with it; cells
 * report their own source lines anyway); `SYSLAB_SOURCEMAP=1` turns them on for browser debugging.
 */
import type * as esbuild from "esbuild";

/** One successful build: output files by name, and which of them the page loads. */
export interface Build {
  id: number;
  files: Map<string, Uint8Array>;
  /** Output name of the lab entry (`lab-<hash>.js`). */
  lab: string;
  /** Output name of the page runtime's entry (`deps-<hash>.js`). */
  deps: string;
  /** The shared half's output names: unchanged ⇒ a hot reload (lab module only) is safe. */
  shared: string[];
  ms: number;
}

/** A failed build: esbuild's messages, formatted `file:line:col: text`. */
export interface BuildFailure {
  errors: string[];
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

const SOURCEMAPS = Deno.env.get("SYSLAB_SOURCEMAP") === "1";

/** Whether source maps are on (`SYSLAB_SOURCEMAP=1`); part of a cached build's identity. */
export const sourceMapsOn = SOURCEMAPS;

/** esbuild options both dev-page halves share: browser ESM in memory, served from `/__syslab/b`. */
export function pageBuildOptions(root: string) {
  return {
    bundle: true,
    format: "esm" as const,
    platform: "browser" as const,
    target: "es2022",
    write: false as const,
    outdir: "/__syslab/b",
    entryNames: "[name]-[hash]",
    sourcemap: SOURCEMAPS ? "linked" as const : false,
    sourcesContent: SOURCEMAPS,
    legalComments: "none" as const,
    logLevel: "silent" as const,
    absWorkingDir: root,
  };
}

/** An output file's name (`/__syslab/b/lab-X.js` → `lab-X.js`). */
export function outputName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** A plugin serving one generated module: imports of `<ns>:…` load `load()`'s JavaScript. */
export function virtualModule(
  ns: string,
  load: () => Promise<{ contents: string; resolveDir: string }>,
): esbuild.Plugin {
  return {
    name: `syslab-virtual-${ns}`,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${ns}:`) }, (a) => ({ path: a.path, namespace: ns }));
      build.onLoad(
        { filter: /.*/, namespace: ns },
        async () => ({ ...await load(), loader: "js" }),
      );
    },
  };
}

/** One esbuild message as `file:line:col: text` and the line. */
export function formatMessage(m: esbuild.Message): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${loc.file}:${loc.line}:${loc.column + 1}: ${m.text}\n  ${loc.lineText}`;
}

/** Stops esbuild's child process (call once when the server stops). */
export async function stopBundler(): Promise<void> {
  await (await import("esbuild")).stop();
}
