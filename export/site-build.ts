/**
 * `deno task export --all`: the site. What every page shares (the page runtime, cells/, lit,
 * Vega, the markdown engine, vega-lite) is written once under `assets/` with content-hashed names
 * and loaded with Subresource Integrity; each lab's page carries its pre-rendered cells, its
 * render-ahead data and its own code only (`site-bundle.ts`, `site-page.ts`, `site-loader.ts`).
 * Pages work from any static host and from `file://`. Plus `index.html` (`site.ts`) and a
 * `_headers` file marking the assets immutable.
 *
 * @module
 */
import { resolveLab } from "../runtime/catalog.ts";
import { CellTimeoutError } from "../runtime/errors.ts";
import type { LabMeta } from "../runtime/lab.ts";
import { runSandboxed } from "../runtime/sandbox/run.ts";
import { LAZY_MODULES } from "./chunks.ts";
import type { LabRenders } from "./render-task.ts";
import { exportSizeWarning } from "./single-file.ts";
import { siteIndex } from "./site.ts";
import { ASSETS_DIR, HEADERS_FILE, type SharedFile, sharedFile } from "./site-assets.ts";
import { bundleSite } from "./site-bundle.ts";
import { RUNTIME_FILE } from "./site-loader.ts";
import { sitePage } from "./site-page.ts";

const RENDER_TASK = new URL("./render-task.ts", import.meta.url);

/** Options of {@link buildSite}. */
export interface SiteOptions {
  /** How long a cell may run synchronously before the export stops (ms, default 5000). */
  timeoutMs?: number;
  /** Called before each lab is rendered (for a progress bar). */
  onLab?: (index: number, total: number, id: string) => void;
}

/** A built site, in memory: file texts by path relative to the site's folder. */
export interface BuiltSite {
  files: Map<string, string>;
  labs: LabMeta[];
  shared: SharedFile[];
  /** Each lab page's path (`<id>.html`) by id. */
  pages: Map<string, string>;
  /** Size warnings, one line each, prefixed with the lab's id. */
  warnings: string[];
}

/** Builds the site of the labs `ids` (ids or paths). */
export async function buildSite(
  ids: readonly string[],
  opts: SiteOptions = {},
): Promise<BuiltSite> {
  const urls = ids.map((id) => resolveLab(id));
  const bundling = bundleSite(urls);
  bundling.catch(() => {}); // awaited below, unless a lab fails first
  const renders: LabRenders[] = [];
  for (const [i, url] of urls.entries()) {
    opts.onLab?.(i, urls.length, ids[i]);
    const run = await runSandboxed<LabRenders>(url, RENDER_TASK, {
      limitMs: opts.timeoutMs ?? 5000,
    });
    if (run.timeouts.length) throw run.timeouts[0];
    if (run.error || !run.result) throw run.error ?? new CellTimeoutError("no result", [], "");
    renders.push(run.result);
  }
  const bundles = await bundling;
  const shared = [await sharedFile(RUNTIME_FILE, bundles.shared, "boot")];
  for (const [name, text] of bundles.chunks) {
    const m = LAZY_MODULES.find((x) => x.name === name)!;
    shared.push(await sharedFile(name, text, m.packed ? "lazy" : m.awaited ? "eager" : "boot"));
  }
  const files = new Map<string, string>();
  const pages = new Map<string, string>();
  const warnings: string[] = [];
  for (const [i, r] of renders.entries()) {
    const html = await sitePage({
      meta: r.meta,
      prerender: r.prerender,
      ahead: r.ahead,
      labBody: bundles.labs.get(urls[i].href)!,
      shared,
    });
    const over = exportSizeWarning(new TextEncoder().encode(html).length);
    warnings.push(...[...r.warnings, ...(over ? [over] : [])].map((w) => `${r.meta.id}: ${w}`));
    pages.set(r.meta.id, `${r.meta.id}.html`);
    files.set(`${r.meta.id}.html`, html);
  }
  for (const f of shared) files.set(`${ASSETS_DIR}/${f.file}`, f.text);
  const labs = renders.map((r) => r.meta);
  files.set("index.html", await siteIndex(labs));
  files.set("_headers", HEADERS_FILE);
  return { files, labs, shared, pages, warnings };
}

/**
 * Writes a built site into `dir` (each file atomically), and removes the shared files an earlier
 * export left in `dir/assets/` that no page references now.
 */
export async function writeSite(site: BuiltSite, dir: string): Promise<void> {
  for (const [path, text] of site.files) await writeAtomic(`${dir}/${path}`, text);
  const keep = new Set(site.shared.map((f) => f.file));
  for await (const e of Deno.readDir(`${dir}/${ASSETS_DIR}`)) {
    if (e.isFile && !keep.has(e.name) && /^[\w-]+-[0-9a-f]{16}\.js$/.test(e.name)) {
      await Deno.remove(`${dir}/${ASSETS_DIR}/${e.name}`);
    }
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}
