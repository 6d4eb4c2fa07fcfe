/**
 * Site-mode figures (`export --all`): the bytes of the whole site, of its shared files and of each
 * lab's page; the same labs as single files, side by side; the bytes a second lab transfers after
 * a first (shared files cached), measured in Chromium against a static server on 127.0.0.1 that
 * serves the hashed files as immutable and compresses with gzip when asked, as static hosts do
 * (and, as a figure of its own, without compression); the export's wall time per lab (and a
 * single file's, side by side).
 *
 * Targets: a second lab transfers ≤ 200 KB; total site bytes ≤ shared + labs × 250 KB (the figure
 * `site_bytes_beyond_shared_per_lab` ≤ 250,000).
 */
import { siteLabIds } from "../export/cli.ts";
import { stopExportBundler } from "../export/bundle.ts";
import { exportLab } from "../export/single-file.ts";
import { buildSite, writeSite } from "../export/site-build.ts";
import { ASSETS_DIR } from "../export/site-assets.ts";
import { launchBrowser } from "../tests/browser/harness.ts";

const size = (s: string) => new TextEncoder().encode(s).length;

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A static server over `dir` counting the body bytes it sends; `compress` turns gzip on. */
function staticServer(dir: string) {
  const state = { sent: 0, requests: [] as string[], compress: true };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await Deno.readFile(`${dir}${path}`);
    } catch {
      return new Response("not found", { status: 404 });
    }
    const headers = new Headers({
      "content-type": path.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8",
      // Deno.serve compresses on its own unless told not to: the bench does it, to count it.
      "cache-control": path.startsWith(`/${ASSETS_DIR}/`)
        ? "public, max-age=31536000, immutable, no-transform"
        : "no-cache, no-transform",
    });
    let out: Uint8Array = body;
    if (state.compress && /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
      out = await gzip(body);
      headers.set("content-encoding", "gzip");
    }
    state.sent += out.length;
    state.requests.push(path);
    return new Response(out as Uint8Array<ArrayBuffer>, { headers });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, state, close: () => server.shutdown() };
}

/** Resolves once the server has had no request for 750 ms (the page's lazy loads are done). */
async function quiet(state: { requests: string[] }): Promise<void> {
  for (let seen = -1; seen !== state.requests.length;) {
    seen = state.requests.length;
    await new Promise((r) => setTimeout(r, 750));
  }
}

/** Run the site benchmarks; returns named figures. */
export async function benchSite(): Promise<Record<string, number>> {
  const ids = siteLabIds();
  const dir = await Deno.makeTempDir({ prefix: "syslab-bench-site-" });
  const figures: Record<string, number> = {};
  const browser = await launchBrowser();
  const server = staticServer(dir);
  try {
    const t0 = performance.now();
    const site = await buildSite(ids);
    await writeSite(site, dir);
    figures.site_export_all_ms_per_lab = Math.round((performance.now() - t0) / ids.length);
    await stopExportBundler();

    const shared = site.shared.reduce((n, f) => n + f.bytes, 0);
    const total = [...site.files.values()].reduce((n, text) => n + size(text), 0);
    const pages = ids.map((id) => [id, size(site.files.get(`${id}.html`)!)] as const);
    figures.site_labs = ids.length;
    figures.site_total_bytes = total;
    figures.site_shared_bytes = shared;
    figures.site_bytes_beyond_shared_per_lab = Math.round((total - shared) / ids.length);
    for (const [id, n] of pages) figures[`site_page_bytes_${id.replace(/-/g, "_")}`] = n;
    figures.site_page_max_bytes = Math.max(...pages.map(([, n]) => n));

    // The same labs as single files, for comparison.
    let singles = 0;
    const t1 = performance.now();
    for (const id of ids) singles += size((await exportLab(id, { site: true })).html);
    figures.single_file_export_ms_per_lab = Math.round((performance.now() - t1) / ids.length);
    await stopExportBundler();
    figures.single_files_total_bytes = singles;

    // First lab, then each other lab as the second, in a fresh profile each time.
    for (const compress of [true, false]) {
      server.state.compress = compress;
      let worst = 0, first = 0, worstLab = "";
      for (const second of ids) {
        const start = second === "v2-10" ? "v1-11" : "v2-10";
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        server.state.sent = 0;
        await page.goto(`${server.url}/${start}.html`);
        await page.waitForFunction(() => (globalThis as { __syslab?: unknown }).__syslab);
        await quiet(server.state);
        first = Math.max(first, server.state.sent);
        const cached = new Set(
          server.state.requests.filter((p) => p.startsWith(`/${ASSETS_DIR}/`)),
        );
        server.state.sent = 0;
        server.state.requests = [];
        await page.goto(`${server.url}/${second}.html`);
        await page.waitForFunction(() => (globalThis as { __syslab?: unknown }).__syslab);
        await page.evaluate(() =>
          (globalThis as unknown as { __syslab: { ready: Promise<void> } }).__syslab.ready
        );
        await quiet(server.state);
        const again = server.state.requests.filter((p) => cached.has(p));
        if (again.length) throw new Error(`${second}: shared files fetched again: ${again}`);
        if (server.state.sent > worst) [worst, worstLab] = [server.state.sent, second];
        const key = `site_second_lab_transfer_bytes${compress ? "" : "_uncompressed"}_${
          second.replace(/-/g, "_")
        }`;
        figures[key] = server.state.sent;
        await ctx.close();
      }
      const suffix = compress ? "" : "_uncompressed";
      figures[`site_second_lab_transfer_bytes${suffix}`] = worst;
      figures[`site_first_lab_transfer_bytes${suffix}`] = first;
      console.error(`site bench: the heaviest second lab${suffix} is ${worstLab}`);
    }
    return figures;
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
