/**
 * Dev server start → first page, as a student gets it: `deno run -A runtime/cli/lab.ts <lab>` in a
 * fresh Deno process (type check on, as `deno task lab` runs it), timed from the spawn until the
 * page, opened in an already running Chromium as soon as the server prints its URL, shows the
 * lab's first chart. Cold: an empty bundle cache (`$SYSLAB_CACHE`); warm: the next start with the
 * cache the cold one left. Each is run `runs` times; the medians are reported.
 */
import type { Browser } from "playwright-core";
import { quantile, round2 } from "./slider-latency.ts";

const CLI = new URL("../runtime/cli/lab.ts", import.meta.url);
const ROOT = new URL("../", import.meta.url);

/** What to start and what marks the first page as drawn. */
export interface StartTarget {
  /** Lab id or path, as `deno task lab` takes it. */
  lab: string;
  /** CSS selector that exists once the first chart is drawn. */
  drawn: string;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Installed before the page's scripts: notes (epoch ms) the frame in which `selector` first
 * matches. Polling from the page itself keeps the driver's selector engine (a script of its own,
 * evaluated in the page: 50–60 ms of the page's main thread on 2 cores) out of the time.
 */
export function noteDrawn(selector: string) {
  const w = globalThis as unknown as { __syslabDrawnAt?: number };
  const mo = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    mo.disconnect();
    requestAnimationFrame(() => (w.__syslabDrawnAt = performance.timeOrigin + performance.now()));
  });
  mo.observe(document, { childList: true, subtree: true });
}

/** Waits until the page noted its first chart; its epoch time in ms. */
export async function drawnAt(
  page: import("playwright-core").Page,
  timeoutMs: number,
): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const at = await page.evaluate("globalThis.__syslabDrawnAt ?? 0") as number;
    if (at) return at;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no first chart within ${timeoutMs / 1000} s`);
}

/** One start: ms from spawn to `target.drawn` in the page; the process is stopped after. */
export async function timeStart(
  browser: Browser,
  target: StartTarget,
  env: Record<string, string>,
): Promise<number> {
  const port = freePort();
  // the student's browser is open already: the tab exists before the server starts
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(noteDrawn, target.drawn);
  const t0 = performance.now();
  const epoch0 = performance.timeOrigin + t0;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI.pathname, target.lab, "--no-open", "--port", String(port)],
    cwd: ROOT.pathname,
    env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const errText = new Response(child.stderr).text();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    let url = "";
    const late = setTimeout(() => {
      if (Deno.env.get("SYSLAB_BENCH_VERBOSE")) console.error(`no URL yet after 20 s: ${out}`);
    }, 20_000);
    while (!url) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the dev server exited before its URL:\n${out}\n${await errText}`);
      out += value;
      url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1] ?? "";
    }
    clearTimeout(late);
    // keep reading so the child never blocks on a full pipe
    (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })().catch(() => {});
    const tUrl = performance.now() - t0;
    await page.goto(url);
    const tNav = performance.now() - t0;
    const drawn = await drawnAt(page, 30_000) - epoch0;
    if (Deno.env.get("SYSLAB_BENCH_VERBOSE")) {
      console.error(`url ${tUrl.toFixed(0)} loaded ${tNav.toFixed(0)} drawn ${drawn.toFixed(0)}`);
    }
    return drawn;
  } finally {
    await ctx.close().catch(() => {});
    try {
      child.kill("SIGTERM");
    } catch { /* gone */ }
    await child.status;
    const err = await errText.catch(() => "");
    if (err && Deno.env.get("SYSLAB_BENCH_VERBOSE")) console.error(`dev server stderr: ${err}`);
  }
}

/** Cold and warm start medians over `runs` pairs (each pair: empty cache, then that cache). */
export async function benchServerStart(
  browser: Browser,
  target: StartTarget,
  runs = 3,
): Promise<{ server_start_cold_ms: number; server_start_warm_ms: number }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const tmp = await Deno.makeTempDir({ prefix: "syslab-start-bench-" });
  try {
    for (let i = 0; i < runs; i++) {
      const env = {
        SYSLAB_CACHE: `${tmp}/cache-${i}`,
        SYSLAB_LEDGER: `${tmp}/ledger-${i}.json`,
        NO_COLOR: "1",
      };
      cold.push(await timeStart(browser, target, env));
      warm.push(await timeStart(browser, target, env));
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  if (Deno.env.get("SYSLAB_BENCH_VERBOSE")) {
    console.error(`cold ${cold.map((x) => x.toFixed(0))} warm ${warm.map((x) => x.toFixed(0))}`);
  }
  return {
    server_start_cold_ms: round2(quantile(cold, 0.5)),
    server_start_warm_ms: round2(quantile(warm, 0.5)),
  };
}

if (import.meta.main) {
  const { launchBrowser } = await import("../tests/browser/harness.ts");
  const browser = await launchBrowser();
  try {
    console.log(JSON.stringify(
      await benchServerStart(browser, {
        lab: Deno.args[0] ?? "gallery",
        drawn: Deno.args[1] ?? `section[data-cell="chartDemo"] .syslab-chart-view svg`,
      }, Number(Deno.env.get("RUNS") ?? 3)),
    ));
  } finally {
    await browser.close();
  }
}
