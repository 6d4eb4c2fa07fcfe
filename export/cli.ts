/**
 * `deno task export <id> [--out FILE]` and `deno task export --all [--out DIR]`.
 */
import { parseArgs } from "node:util";
import { labIds } from "../runtime/catalog.ts";
import { LabError } from "../runtime/errors.ts";
import { stopExportBundler } from "./bundle.ts";
import { exportLab } from "./single-file.ts";
import { progressBar } from "./site.ts";
import { buildSite, writeSite } from "./site-build.ts";

const USAGE = `usage:
  deno task export <id> [--out FILE]    one self-contained HTML file (default dist/<id>.html)
  deno task export --all [--out DIR]    the course site (default dist/site/): index.html, one
                                        page per lab holding only its own code and pre-rendered
                                        cells, and the code every page shares written once in
                                        assets/ (content-hashed names: cache forever; loaded with
                                        Subresource Integrity over http(s)); works from any static
                                        host and from file://
  --timeout MS                          a cell running longer than MS (5000) stops the export
The lab's code runs sandboxed: it may read the project; only the exporter writes the output.`;

/** Labs that are part of the course site (not the widget gallery). */
const NOT_PUBLISHED = new Set(["gallery"]);

/** The ids of the labs `export --all` publishes. */
export function siteLabIds(): string[] {
  return labIds().filter((id) => !NOT_PUBLISHED.has(id));
}

/** Entry point; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      all: { type: "boolean" },
      out: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return console.log(USAGE), 0;
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    console.error(`--timeout must be a whole number of milliseconds, not "${values.timeout}"`);
    return 2;
  }
  try {
    if (values.all) return await exportAll(values.out ?? "dist/site", timeoutMs);
    const id = positionals[0];
    if (!id) return console.error(USAGE), 2;
    const t0 = performance.now();
    const { meta, html, warnings } = await exportLab(id, { timeoutMs });
    warn(warnings);
    const out = values.out ?? `dist/${meta.id}.html`;
    await write(out, html);
    console.log(
      `exported ${meta.id} → ${out} (${kb(html)} KB, ${Math.round(performance.now() - t0)} ms)`,
    );
    return 0;
  } catch (e) {
    console.error(e instanceof LabError ? e.describe() : String((e as Error)?.stack ?? e));
    return 1;
  } finally {
    await stopExportBundler();
  }
}

/** Size warnings go to stderr, after the progress line. */
function warn(lines: readonly string[]): void {
  for (const w of lines) console.error(`warning: ${w}`);
}

async function exportAll(dir: string, timeoutMs: number | undefined): Promise<number> {
  const ids = siteLabIds();
  const tty = Deno.stderr.isTerminal();
  const show = (line: string) =>
    tty ? Deno.stderr.writeSync(new TextEncoder().encode(`\r${line}\x1b[K`)) : console.error(line);
  const t0 = performance.now();
  const site = await buildSite(ids, {
    timeoutMs,
    onLab: (i, total, id) => show(progressBar(i, total, id)),
  });
  await writeSite(site, dir);
  show(progressBar(ids.length, ids.length, "done"));
  if (tty) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
  warn(site.warnings);
  const shared = site.shared.reduce((n, f) => n + f.bytes, 0);
  const pages = [...site.pages.values()].map((p) => bytes(site.files.get(p)!));
  console.log(
    `exported ${ids.length} labs and index.html → ${dir}/ (shared ${
      Math.round(shared / 1024)
    } KB ` +
      `once in ${dir}/assets/, pages ${Math.round(Math.min(...pages) / 1024)}–${
        Math.round(Math.max(...pages) / 1024)
      } KB, ${Math.round(performance.now() - t0)} ms)`,
  );
  return 0;
}

async function write(path: string, text: string): Promise<void> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

const bytes = (s: string) => new TextEncoder().encode(s).length;
const kb = (s: string) => Math.round(bytes(s) / 1024);

if (import.meta.main) Deno.exit(await main(Deno.args));
