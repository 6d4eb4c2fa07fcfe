/**
 * Where the exported v2-10's first chart spends its time (a diagnostic, not a suite of
 * `deno task bench`): for each of `RUNS` first visits (fresh profile, file://), the page-clock
 * times at which the lab's module published `__syslab` (module parsed, compiled and run), the
 * HTML was parsed (DOMContentLoaded), the lab was live (`ready`; Act I is committed then) and the
 * chart's SVG was in the page. Prints one JSON line per run, then the medians.
 *
 * `deno run -A bench/export-phases.ts [file.html]` (default: exports v2-10 first).
 */
import { exportLab } from "../export/single-file.ts";
import { stopExportBundler } from "../export/bundle.ts";
import { launchBrowser } from "../tests/browser/harness.ts";
import { quantile } from "./slider-latency.ts";

type Marks = Record<"handle" | "DCL" | "ready" | "svg", number>;

/** Installed before the page's scripts: notes each phase in `__phases`. */
function notePhases() {
  const w = globalThis as unknown as Record<string, unknown> & { __phases: Record<string, number> };
  w.__phases = {};
  const mark = (name: string) => (w.__phases[name] = Math.round(performance.now()));
  document.addEventListener("DOMContentLoaded", () => mark("DCL"));
  let handle: { ready: Promise<void>; setInput(n: string, v: unknown): void } | undefined;
  Object.defineProperty(globalThis, "__syslab", {
    configurable: true,
    get: () => handle,
    set(h) {
      handle = h;
      mark("handle");
      h.ready.then(() => {
        mark("ready");
        h.setInput("act1Lock", "C");
        const found = () => document.querySelector("section[data-cell=act1Chart] svg");
        const mo = new MutationObserver(() => {
          if (!found()) return;
          mo.disconnect();
          mark("svg");
        });
        mo.observe(document.documentElement, { childList: true, subtree: true });
      });
    },
  });
}

async function main() {
  const runs = Number(Deno.env.get("RUNS") ?? 5);
  let file = Deno.args[0];
  if (!file) {
    const { html } = await exportLab("v2-10");
    await stopExportBundler();
    file = await Deno.makeTempFile({ prefix: "syslab-phases-", suffix: ".html" });
    await Deno.writeTextFile(file, html);
  }
  const browser = await launchBrowser();
  const all: Marks[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ offline: true });
      await ctx.addInitScript(notePhases);
      const page = await ctx.newPage();
      await page.goto(`file://${file}`);
      await page.waitForFunction(() =>
        "svg" in (globalThis as unknown as { __phases: object }).__phases
      );
      const m = await page.evaluate(() => (globalThis as unknown as { __phases: Marks }).__phases);
      console.log(JSON.stringify(m));
      all.push(m);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  const median = (k: keyof Marks) => quantile(all.map((m) => m[k]), 0.5);
  console.log(JSON.stringify({
    median: {
      handle: median("handle"),
      DCL: median("DCL"),
      ready: median("ready"),
      svg: median("svg"),
    },
  }));
}

if (import.meta.main) await main();
