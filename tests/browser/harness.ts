/**
 * Browser test harness: headless Chromium from Debian (/usr/bin/chromium) driven by
 * playwright-core, plus an in-process dev server on a free port. One browser per test file;
 * everything is closed in `finally`. Without Chromium the tests are skipped with a loud warning,
 * except under `CI=true`, where they fail.
 */
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type DevServer, startDevServer } from "../../serve/server.ts";
import { stopBundler } from "../../serve/bundle.ts";

/** Where Debian's Chromium lives. */
export const CHROMIUM = Deno.env.get("SYSLAB_CHROMIUM") ?? "/usr/bin/chromium";

/**
 * The features playwright-core (the version pinned in deno.lock) disables: Chromium takes the
 * last `--disable-features`, so ours must repeat them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
];

/**
 * Chromium 156 builds its address bar's popup as a WebUI page (about 3 MB of JS) in every new
 * window, which a fresh browser context is: on a 2-core machine that page competes with the page
 * under test for the first second (measured: dev server's first chart 1.1–1.2 s with it,
 * 0.65–0.75 s without; `WebUIOmniboxPopup` and `WebUIOmniboxAimPopup` must both be off). A
 * student's browser built it once, at its own start, so tests and benches turn it off.
 */
const BROWSER_UI_FEATURES = [
  "WebUIOmniboxPopup",
  "WebUIOmniboxAimPopup",
  "WebUIOmniboxFullPopup",
  "PreloadTopChromeWebUI",
];

/** The flags that make Chromium quiet, offline and sandbox-free in containers. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES].join(",")}`,
];

/** The project root. */
export const ROOT = new URL("../../", import.meta.url);

function haveChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

const IS_CI = Deno.env.get("CI") === "true";
let warned = false;

/** Launches headless Chromium (fresh profile). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** What a browser suite's steps get. */
export interface BrowserEnv {
  browser: Browser;
  server: DevServer;
  /** A new page in a fresh context (own storage), at the lab's URL, after the lab settled. */
  open(opts?: { colorScheme?: "light" | "dark"; query?: string }): Promise<Page>;
  /** The ledger file this server writes. */
  ledgerPath: string;
  /** Console errors of every page `open` made, from its first request on. */
  consoleErrors: string[];
}

/** Options of a browser suite. */
export interface SuiteOptions {
  /** The lab file (default: the fixture lab). */
  lab?: URL;
  /** Run `deno check` in the dev server (default false: faster). */
  typecheck?: boolean;
  /** Watch sources (default true). */
  watch?: boolean;
  /** Runs before the server starts (e.g. writes a temporary lab); its URL replaces `lab`. */
  prepare?: () => Promise<URL | void>;
  /** Runs after everything closed. */
  cleanup?: () => Promise<void>;
}

/** The fixture lab the page tests use until / besides the gallery. */
export const MINI_LAB = new URL("tests/fixtures/labs/browser-mini.ts", ROOT);

/**
 * A `Deno.test` that owns one browser and one dev server for all its steps. Skipped (with a
 * warning) when Chromium is missing, unless `CI=true`.
 */
export function browserSuite(
  name: string,
  opts: SuiteOptions,
  fn: (t: Deno.TestContext, env: BrowserEnv) => Promise<void>,
): void {
  browserTest(name, async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-browser-" });
    const ledgerPath = `${dir}/ledger.json`;
    let browser: Browser | null = null;
    let server: DevServer | null = null;
    const contexts: BrowserContext[] = [];
    try {
      const prepared = await opts.prepare?.();
      server = await startDevServer(prepared ?? opts.lab ?? MINI_LAB, {
        port: 0,
        typecheck: opts.typecheck ?? false,
        watch: opts.watch ?? true,
        ledgerPath,
        log: () => {},
      });
      browser = await launchBrowser();
      const b = browser, s = server;
      const consoleErrors: string[] = [];
      const open: BrowserEnv["open"] = async (o = {}) => {
        const ctx = await b.newContext({ colorScheme: o.colorScheme ?? "light" });
        contexts.push(ctx);
        const page = await ctx.newPage();
        page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
        page.on("console", (m) => {
          if (m.type() === "error") consoleErrors.push(`${m.text()} ${m.location().url}`);
        });
        await page.goto(s.url + (o.query ?? ""));
        await page.waitForFunction(() => (globalThis as { __syslab?: unknown }).__syslab);
        await page.evaluate(() =>
          (globalThis as unknown as { __syslab: { ready: Promise<void> } }).__syslab.ready
        );
        return page;
      };
      await fn(t, { browser: b, server: s, open, ledgerPath, consoleErrors });
    } finally {
      for (const c of contexts) await c.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.close().catch(() => {});
      await stopBundler();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await opts.cleanup?.();
    }
  });
}

/** Waits until the lab in `page` settled (no cell computing). */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as { __syslab: { engine: { settled(): Promise<unknown> } } }).__syslab
      .engine.settled()
  );
}

/** A slot's `data-state` and trimmed text. */
export async function slot(page: Page, cell: string): Promise<{ state: string; text: string }> {
  return await page.$eval(`section[data-cell="${cell}"]`, (el) => ({
    state: (el as HTMLElement).dataset.state ?? "",
    text: (el.textContent ?? "").trim(),
  }));
}

export type { Page };

/**
 * A `Deno.test` with one browser and no dev server (exported pages opened from `file://`).
 * Skipped with a warning when Chromium is missing, unless `CI=true`.
 */
export function browserOnlyTest(name: string, fn: (browser: Browser) => Promise<void>): void {
  browserTest(name, async () => {
    const browser = await launchBrowser();
    try {
      await fn(browser);
    } finally {
      await browser.close().catch(() => {});
    }
  });
}

/**
 * A `Deno.test` that needs Chromium: skipped with one loud warning when it is missing, except
 * under `CI=true`, where it fails saying what to install.
 */
function browserTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  const have = haveChromium();
  if (!have && !IS_CI && !warned) {
    warned = true;
    console.warn(`SKIPPED browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  }
  Deno.test({
    name,
    ignore: !have && !IS_CI,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      if (!have) {
        throw new Error(`CI=true needs Chromium at ${CHROMIUM} for the browser tests; none found`);
      }
      await fn(t);
    },
  });
}

/** axe-core's serious and critical violations on `page` (id, impact, help, first nodes). */
export async function seriousViolations(
  page: Page,
): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>> {
  await page.addScriptTag({ path: new URL("node_modules/axe-core/axe.min.js", ROOT).pathname });
  const found = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const r = await (globalThis as any).axe.run(document, { resultTypes: ["violations"] });
    // deno-lint-ignore no-explicit-any
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      // deno-lint-ignore no-explicit-any
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(" ")),
    }));
  });
  return found.filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical");
}

/** The letter (A–D) of the option the lab in `page` computes as correct for act `act`. */
export function correctLetter(page: Page, act: string): Promise<string> {
  return page.evaluate((a) => {
    const s = (globalThis as unknown as {
      __syslab: { engine: { value(n: string): unknown } };
    }).__syslab;
    const p = s.engine.value(`${a}Prediction`) as { grade(v: string): { correct: boolean } };
    return ["A", "B", "C", "D"].find((l) => p.grade(l).correct)!;
  }, act);
}
