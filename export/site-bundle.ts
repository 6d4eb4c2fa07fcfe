/**
 * The bundles of a site (`export --all`): one shared bundle holding what the pages share (the
 * page runtime, cells/, lit, zod/mini, and the core and `labs/_shared` modules two or more labs
 * include), and per lab a small bundle holding only its own code (the lab, its folder, the core
 * modules no other lab uses). A lab bundle reaches a shared module through a stand-in reading
 * `globalThis.__syslabShared[<path>]`, which the shared bundle fills with what the labs import of
 * each module (by name, so esbuild still drops the rest); the lazy chunks (markdown, Vega,
 * vega-lite) are built as for a single file (`chunks.ts`). Every text is a function body, not a
 * module: site pages load shared files as classic scripts (module scripts do not load from
 * `file://`), and `site-assets.ts` wraps each body into its file.
 */
import * as esbuild from "esbuild";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { denoSpecifiers, trimVega } from "../serve/bundle.ts";
import { ROOT } from "../runtime/catalog.ts";
import { squeezeTemplatesPlugin } from "./templates.ts";
import { buildChunk, LAZY_MODULES, lazyChunksPlugin } from "./chunks.ts";
import { exportBuildOptions } from "./build-options.ts";
import { entrySource } from "./bundle.ts";

/** The global the shared bundle fills: module namespaces by root-relative path. */
export const SHARED_GLOBAL = "__syslabShared";

/** The bundled texts of a site. */
export interface SiteBundles {
  /** The shared bundle's body (runs once per page, before the lab's). */
  shared: string;
  /** The root-relative paths of the modules the shared bundle exposes, sorted. */
  sharedModules: string[];
  /** Each lab's body, by the lab file's URL (as given). */
  labs: Map<string, string>;
  /** The lazy chunks' script texts by name. */
  chunks: Array<[string, string]>;
}

const rootPath = () => fileURLToPath(ROOT).replace(/\/$/, "");

/**
 * Whether a resolved file may belong to one lab's page: the lab and its helpers (`labs/`), the
 * core physics, a lab outside the project. The rest (runtime/, cells/, packages) is shared.
 */
function labSide(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !rel.includes("node_modules") && (rel.startsWith("labs/") || rel.startsWith("core/") ||
    rel.startsWith("..") || rel.startsWith("tests/"));
}

/** What the labs import from one shared module: names, or `*` (the namespace). */
type Uses = Set<string>;

/**
 * Bundles every lab of a site, then the shared bundle for what they use. Besides runtime/, cells/
 * and the packages, a lab-side module two or more of the labs include (core's registries,
 * `labs/_shared/`) is shared too; such a module's imports are in all those labs as well, so the
 * shared half is closed under imports and no module is in a page twice.
 */
export async function bundleSite(labUrls: readonly URL[]): Promise<SiteBundles> {
  const root = rootPath();
  const chunking = Promise.all(
    LAZY_MODULES.map(async (m) => [m.name, await buildChunk(m, root)] as [string, string]),
  );
  // First pass: which lab-side modules each lab includes.
  const count = new Map<string, number>();
  for (const url of labUrls) {
    const seen = new Set<string>();
    await bundleLabBody(url, root, new Map(), new Set(), seen);
    for (const m of seen) count.set(m, (count.get(m) ?? 0) + 1);
  }
  const common = new Set([...count].filter(([, n]) => n >= 2).map(([m]) => m));
  const used = new Map<string, Uses>();
  const labs = new Map<string, string>();
  for (const url of labUrls) {
    labs.set(url.href, await bundleLabBody(url, root, used, common, new Set()));
  }
  return {
    shared: await bundleShared(used, root),
    sharedModules: [...used.keys()].sort(),
    labs,
    chunks: await chunking,
  };
}

const STDIN = "<stdin>";

/** One lab's body: its entry (mount over the pre-rendered cells), shared modules by stand-in. */
async function bundleLabBody(
  url: URL,
  root: string,
  used: Map<string, Uses>,
  common: ReadonlySet<string>,
  seen: Set<string>,
): Promise<string> {
  const labPath = fileURLToPath(url);
  const entry = entrySource(labPath, root, await Deno.readTextFile(labPath));
  /** Lab-side importer → its specifiers that resolved to a shared module → that module. */
  const crossings = new Map<string, Map<string, string>>();
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: dirname(labPath), sourcefile: STDIN, loader: "js" },
    ...exportBuildOptions(root),
    format: "esm",
    define: CLASSIC,
    plugins: [
      sharedStandIns(root, crossings, common, seen, labPath),
      trimVega(),
      denoSpecifiers(root),
    ],
  });
  for (const [importer, specs] of crossings) {
    const source = importer === STDIN ? entry : await Deno.readTextFile(importer);
    for (const [spec, names] of await importsOf(source, importer)) {
      const key = specs.get(spec);
      if (!key) continue;
      const uses = used.get(key) ?? new Set();
      for (const n of names) uses.add(n);
      used.set(key, uses);
    }
  }
  return functionBody(result.outputFiles[0].text);
}

/**
 * `import.meta.url` in a classic script: the page's URL, as a single file's inline module sees
 * it (the runtime's catalog computes a URL from it at load and never uses it in a page).
 */
const CLASSIC = { "import.meta.url": "document.baseURI" };

const SKIP = "syslab-site-skip";
const NS = "syslab-shared";

/**
 * Lab-bundle plugin: an import that resolves to a shared module (not lab-side, or in `common`)
 * becomes a CommonJS stand-in exporting that module's entry in the shared bundle; `crossings`
 * notes each such import, `seen` each lab-side module the lab includes.
 */
function sharedStandIns(
  root: string,
  crossings: Map<string, Map<string, string>>,
  common: ReadonlySet<string>,
  seen: Set<string>,
  labPath: string,
): esbuild.Plugin {
  return {
    name: "syslab-site-shared",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (a) => {
        if (a.pluginData === SKIP || a.namespace === NS) return undefined;
        const r = await build.resolve(a.path, {
          kind: a.kind,
          resolveDir: a.resolveDir,
          importer: a.importer,
          pluginData: SKIP,
        });
        if (r.errors.length) return { errors: r.errors };
        const key = relative(root, r.path);
        if (
          a.kind === "entry-point" || r.namespace !== "file" || r.external ||
          (labSide(root, r.path) && (r.path === labPath || !common.has(key)))
        ) {
          if (r.namespace === "file" && r.path !== labPath) seen.add(key);
          return { path: r.path, namespace: r.namespace, external: r.external };
        }
        const importer = !a.importer || a.importer.endsWith(STDIN)
          ? STDIN
          : a.importer.startsWith("/")
          ? a.importer
          : `${root}/${a.importer}`;
        const specs = crossings.get(importer) ?? new Map<string, string>();
        specs.set(a.path, key);
        crossings.set(importer, specs);
        return { path: key, namespace: NS };
      });
      build.onLoad({ filter: /.*/, namespace: NS }, (a) => ({
        contents: `module.exports = globalThis.${SHARED_GLOBAL}[${JSON.stringify(a.path)}];`,
        loader: "js",
      }));
    },
  };
}

/**
 * The value imports of a module (types dropped, as esbuild compiles it): for each specifier, the
 * names taken (`default` for a default import, `*` for a namespace, none for a bare import).
 */
export async function importsOf(
  source: string,
  path: string,
): Promise<Map<string, Set<string>>> {
  const loader = /\.tsx?$/.test(path) ? "ts" : "js";
  const { code } = await esbuild.transform(source, { loader, format: "esm", target: "es2022" });
  const out = new Map<string, Set<string>>();
  const take = (spec: string, names: string[]) => {
    const set = out.get(spec) ?? new Set<string>();
    for (const n of names) set.add(n);
    out.set(spec, set);
  };
  const braces = (list: string) =>
    list.split(",").map((x) => x.trim().split(/\s+as\s+/)[0].trim()).filter(Boolean);
  const spec = (quoted: string) => JSON.parse(quoted) as string;
  for (const m of code.matchAll(/^\s*import\s+([^"'(]*?)\s*from\s*("(?:[^"\\]|\\.)*")/gm)) {
    const clause = m[1];
    const list = /\{([^}]*)\}/.exec(clause);
    const rest = clause.replace(/\{[^}]*\}/, "").replace(/\*\s*as\s+[\w$]+/, "*");
    const names = list ? braces(list[1]) : [];
    if (rest.includes("*")) names.push("*");
    if (/[\w$]/.test(rest.replace(/\*/g, ""))) names.push("default");
    take(spec(m[2]), names);
  }
  for (const m of code.matchAll(/^\s*import\s*("(?:[^"\\]|\\.)*")/gm)) take(spec(m[1]), []);
  const reexports = /^\s*export\s*(\*[^"']*|\{[^}]*\})\s*from\s*("(?:[^"\\]|\\.)*")/gm;
  for (const m of code.matchAll(reexports)) {
    take(spec(m[2]), m[1].startsWith("*") ? ["*"] : braces(m[1].slice(1, -1)));
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)/g)) {
    take(spec(m[1]), ["*"]);
  }
  return out;
}

/**
 * The shared bundle's body: imports exactly what the labs use of each shared module (so esbuild
 * still drops the rest), and exposes it by path, live (getters).
 */
async function bundleShared(used: ReadonlyMap<string, Uses>, root: string): Promise<string> {
  // Call-site capture goes off before any other module runs (as in a single file's entry).
  const first = "runtime/call-sites-off.ts";
  const order = [first, ...[...used.keys()].sort().filter((m) => m !== first)];
  const imports: string[] = [];
  const entries: string[] = [];
  for (const [i, m] of order.entries()) {
    const spec = JSON.stringify(`${root}/${m}`);
    const names = [...(used.get(m) ?? [])].sort();
    if (names.includes("*")) {
      imports.push(`import * as m${i} from ${spec};`);
      entries.push(`${JSON.stringify(m)}: m${i}`);
      continue;
    }
    if (!names.length) {
      imports.push(`import ${spec};`);
      entries.push(`${JSON.stringify(m)}: { __esModule: true }`);
      continue;
    }
    const local = (j: number) => `m${i}_${j}`;
    imports.push(
      `import { ${names.map((n, j) => `${n} as ${local(j)}`).join(", ")} } from ${spec};`,
    );
    const getters = names.map((n, j) => `get ${JSON.stringify(n)}() { return ${local(j)}; }`);
    entries.push(`${JSON.stringify(m)}: { __esModule: true, ${getters.join(", ")} }`);
  }
  const result = await esbuild.build({
    stdin: {
      contents: `${imports.join("\n")}\nglobalThis.${SHARED_GLOBAL} = {\n${
        entries.join(",\n")
      }\n};\n`,
      resolveDir: root,
      sourcefile: "syslab-site-shared.js",
      loader: "js",
    },
    ...exportBuildOptions(root),
    format: "esm",
    define: CLASSIC,
    plugins: [
      siteChunkApi(root),
      lazyChunksPlugin(root),
      squeezeTemplatesPlugin(root, ["cells", "runtime"]),
      trimVega(),
      denoSpecifiers(root),
    ],
  });
  return functionBody(result.outputFiles[0].text);
}

/** Shared-bundle plugin: `runtime/chunk.ts` is `site-chunk.ts` (the site's chunks are files). */
function siteChunkApi(root: string): esbuild.Plugin {
  const chunkApi = `${root}/runtime/chunk.ts`;
  return {
    name: "syslab-site-chunk-api",
    setup(build) {
      build.onResolve(
        { filter: /chunk\.ts$/ },
        (a) =>
          resolve(a.resolveDir, a.path) === chunkApi
            ? { path: `${root}/export/site-chunk.ts` }
            : undefined,
      );
    },
  };
}

/**
 * An ES module bundle with no imports or exports as a function body, strict like the module it
 * was; throws a SyntaxError if it cannot be one (an import, export, top-level `await` or
 * `import.meta` left in it).
 */
export function functionBody(esm: string): string {
  const body = `"use strict";${esm.trim()}`;
  new Function(body); // throws a SyntaxError for top-level await or import.meta
  return body;
}
