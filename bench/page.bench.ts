/**
 * Page benchmarks in headless Chromium with real input events, on the gallery:
 * slider → chart updated (median, p95), dev server start → first page (bundle cache empty, and
 * with the page's shared half cached), file save → page updated; and `deno task lab`'s own start
 * in a fresh process, cold and warm (`server-start.ts`).
 */
import { launchBrowser } from "../tests/browser/harness.ts";
import { tmpLab } from "../tests/serve/tmp-lab.ts";
import { startDevServer } from "../serve/server.ts";
import { stopBundler } from "../serve/bundle.ts";
import { quantile, round2 as round, sliderToChart } from "./slider-latency.ts";
import { benchServerStart, drawnAt, noteDrawn } from "./server-start.ts";

const GALLERY = new URL("../labs/gallery.ts", import.meta.url);
const PRESSES = 40;

/** Runs the page benchmarks; keys are in ms. */
export async function benchPage(): Promise<Record<string, number>> {
  const ledgerDir = await Deno.makeTempDir();
  const lab = await tmpLab(GALLERY, "gallery-bench.ts");
  const browser = await launchBrowser();
  let server: Awaited<ReturnType<typeof startDevServer>> | null = null;
  try {
    // server start → first page (chart drawn), npm packages installed: first with an empty
    // bundle cache (the whole page is built), then again with the shared half cached on disk
    // (what every later `deno task lab` gets while cells/, core/ and runtime/ are unchanged)
    const cacheDir = `${ledgerDir}/bundle-cache`;
    const start = async () => {
      const p = await (await browser.newContext()).newPage();
      await p.addInitScript(noteDrawn, `section[data-cell="chartDemo"] .syslab-chart-view svg`);
      const t0 = performance.now();
      const epoch0 = performance.timeOrigin + t0;
      const s = await startDevServer(lab.url, {
        port: 0,
        typecheck: false,
        ledgerPath: `${ledgerDir}/ledger.json`,
        log: () => {},
        cacheDir,
      });
      await p.goto(s.url);
      return { server: s, page: p, ms: await drawnAt(p, 30_000) - epoch0 };
    };
    const cold = await start();
    await cold.page.context().close();
    await cold.server.close();
    const warm = await start();
    server = warm.server;
    const page = warm.page;

    // slider → chart's SVG changed: keydown timestamp vs MutationObserver timestamp, in the page
    const lat = await sliderToChart(
      page,
      `[data-testid="slider"] input`,
      `section[data-cell="chartDemo"] .syslab-chart-view`,
      PRESSES,
      // another process edited the sources and the page reloaded: wait for it
      () =>
        page.waitForSelector(`section[data-cell="chartDemo"] .syslab-chart-view svg`).then(
          () => {},
        ),
    );

    // save → page updated: edit a cell's source, wait for the new text in the page
    const saves: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const marker = `bench-save-${i}`;
      const src = lab.source.replace(
        "A **neutral** note.",
        `A **neutral** note ${marker}.`,
      );
      const s0 = performance.now();
      await lab.write(src);
      await page.waitForFunction(
        (m) => document.querySelector(`section[data-cell="callouts"]`)?.textContent?.includes(m),
        marker,
        { timeout: 10_000 },
      ).catch(async (e) => {
        const dev = await page.evaluate(() =>
          JSON.stringify((globalThis as { __syslabDev?: unknown }).__syslabDev)
        );
        throw new Error(`the page did not update after a save: ${dev}`, { cause: e });
      });
      saves.push(performance.now() - s0);
      await page.waitForTimeout(100);
    }
    await page.context().close();
    await server.close();
    server = null;
    // `deno task lab` as a student runs it (own process, type check on): cold and warm. Last,
    // so the in-process figures above are taken as before.
    const started = await benchServerStart(browser, {
      lab: "gallery",
      drawn: `section[data-cell="chartDemo"] .syslab-chart-view svg`,
    });
    return {
      slider_to_chart_median_ms: round(quantile(lat, 0.5)),
      slider_to_chart_p95_ms: round(quantile(lat, 0.95)),
      server_start_to_first_page_ms: round(cold.ms),
      server_start_cached_to_first_page_ms: round(warm.ms),
      save_to_page_updated_ms: round(quantile(saves, 0.5)),
      ...started,
    };
  } finally {
    await browser.close().catch(() => {});
    await server?.close();
    await stopBundler();
    await lab.remove();
    await Deno.remove(ledgerDir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) console.log(JSON.stringify(await benchPage()));
