/**
 * Shared by the course labs' browser walkthroughs (tests/browser/<id>.test.ts): set an input and
 * read a value, commit an act's lock with the mouse, wait for the lab after a reload or in a
 * second tab, see a chart change in place under a slider, save the light / 390 px / dark
 * screenshots, and export the lab to a file opened from file:// offline.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { correctLetter, type Page, settled, slot } from "./harness.ts";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";

/** The page's `__syslab` handle, as far as these helpers use it. */
type W = {
  __syslab: {
    ready: Promise<void>;
    setInput(name: string, value: unknown): void;
    engine: { value(n: string): unknown };
  };
};

/** Sets input `name` of the lab in `page` to `value` (as code, not the mouse) and waits. */
export async function setInput(page: Page, name: string, value: unknown): Promise<void> {
  await page.evaluate(([n, v]) => (globalThis as unknown as W).__syslab.setInput(n as string, v), [
    name,
    value,
  ]);
  await settled(page);
}

/** The value of `name` in the lab in `page`. */
export function inputValue(page: Page, name: string): Promise<unknown> {
  return page.evaluate((n) => (globalThis as unknown as W).__syslab.engine.value(n), name);
}

/** The first letter (A–D) that is not the option the lab computes as correct for `act`. */
export async function wrongLetter(page: Page, act: string): Promise<string> {
  const right = await correctLetter(page, act);
  return ["A", "B", "C", "D"].find((l) => l !== right)!;
}

/**
 * Picks `letter` in act `act`'s lock with the mouse, by its label (`<letter>) ` then `label`,
 * "≈" unless given), clicks "Commit prediction" and waits for the lab to settle.
 */
export async function commitWithMouse(
  page: Page,
  act: string,
  letter: string,
  label = "≈",
): Promise<void> {
  const lock = page.locator(`[data-testid="${act}-lock"]`);
  await lock.getByLabel(new RegExp(`^${letter}\\) ${label}`)).check();
  await lock.getByRole("button", { name: "Commit prediction" }).click();
  await settled(page);
}

/** The messages of `page`'s uncaught errors from now on (a walkthrough asserts none at its end). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/**
 * Act I as a student gets it wrong: each of `gated` is empty before the commit; a wrong letter
 * committed with the mouse ({@link commitWithMouse}, with `label`); then `gated[0]`'s svg is drawn
 * (15 s at most), the reveal says "Not quite" and the HUD matches `summary` (default /WRONG/).
 * Returns the letter.
 */
export async function commitWrongAct1(
  page: Page,
  gated: string[],
  o: { label?: string; summary?: RegExp } = {},
): Promise<string> {
  for (const cell of gated) assert.equal((await slot(page, cell)).text, "");
  const wrong = await wrongLetter(page, "act1");
  await commitWithMouse(page, "act1", wrong, o.label);
  await page.waitForSelector(`section[data-cell="${gated[0]}"] svg`, { timeout: 15000 });
  assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
  assert.match((await slot(page, "summary")).text, o.summary ?? /WRONG/);
  return wrong;
}

/** Waits until the lab in `page` exists, is ready and has settled (after a load or reload). */
export async function labReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as { __syslab?: unknown }).__syslab);
  await page.evaluate(() => (globalThis as unknown as W).__syslab.ready);
  await settled(page);
}

/** Reloads `page` and waits for its lab ({@link labReady}). */
export async function reloadLab(page: Page): Promise<void> {
  await page.reload();
  await labReady(page);
}

/** A second tab in `page`'s browser context (same storage) at its URL, its lab ready. */
export async function secondTab(page: Page): Promise<Page> {
  const tab = await page.context().newPage();
  await tab.goto(page.url());
  await labReady(tab);
  return tab;
}

/** Waits until the ledger in `page`'s localStorage holds lab `lab`'s `<act>_prediction`. */
export async function ledgerHolds(page: Page, lab: string, act = "act1"): Promise<void> {
  await page.waitForFunction(
    ([l, a]) =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.[l]
        ?.[`${a}_prediction`] !== undefined,
    [lab, act],
  );
}

/**
 * The outlines of the paths in `cell`'s chart view, joined: each path's `d`, or with
 * `withTransform` its `d@transform` (a point that moves by its transform changes it too).
 */
export function chartPaths(page: Page, cell: string, withTransform = false): Promise<string> {
  return page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps, t) =>
      ps.map((p) =>
        t ? `${p.getAttribute("d")}@${p.getAttribute("transform")}` : p.getAttribute("d") ?? ""
      )
        .join("|"),
    withTransform,
  );
}

/** How {@link slideMovesChart} moves a slider and which chart it watches. */
export interface SlideCheck {
  /** The slider's `data-testid`. */
  slider: string;
  /** How many ArrowRight presses. */
  steps: number;
  /** The chart's cell. */
  cell: string;
  /** The selector, inside the cell, of the element that must stay connected (default `svg`). */
  svg?: string;
  /** Compare paths with their transforms ({@link chartPaths}). */
  withTransform?: boolean;
}

/**
 * Presses ArrowRight `steps` times on the slider's range input (keyboard focus), waits (5 s at
 * most) until the chart's paths differ from before, and asserts the chart's svg is still the
 * same element: the view was updated in place, not rebuilt.
 */
export async function slideMovesChart(page: Page, c: SlideCheck): Promise<void> {
  const t = c.withTransform ?? false;
  const before = await chartPaths(page, c.cell, t);
  const svg = await page.$(`section[data-cell="${c.cell}"] ${c.svg ?? "svg"}`);
  await page.locator(`[data-testid="${c.slider}"] input[type="range"]`).focus();
  for (let i = 0; i < c.steps; i++) await page.keyboard.press("ArrowRight");
  await settled(page);
  await page.waitForFunction(
    ([cell, b, withT]) =>
      [...document.querySelectorAll(`section[data-cell="${cell}"] .syslab-chart-view path`)]
        .map((p) =>
          withT
            ? `${p.getAttribute("d")}@${p.getAttribute("transform")}`
            : p.getAttribute("d") ?? ""
        ).join("|") !== b,
    [c.cell, before, t] as const,
    { timeout: 5000 },
  );
  assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
}

/** Which screenshots {@link saveScreenshots} takes. */
export interface ShotPlan {
  /** The lab's id: the files' prefix. */
  id: string;
  /** The pause before each full-page shot (charts finish drawing), in ms. */
  waitMs: number;
  /** Cells shot one by one in light at 1280 px. */
  light: string[];
  /** Cells shot one by one at 390 px. */
  narrow: string[];
  /** Cells shot one by one in dark (default none). */
  dark?: string[];
}

/**
 * Saves to `dir`: `<id>-light.png` (full page) and `<id>-<cell>.png`; at 390 × 844
 * `<id>-390.png` and `<id>-390-<cell>.png`; back at 1280 × 800 in dark `<id>-dark.png` and
 * `<id>-dark-<cell>.png`. Leaves the page dark at 1280 × 800.
 */
export async function saveScreenshots(page: Page, dir: string, plan: ShotPlan): Promise<void> {
  const cells = async (names: string[], infix: string) => {
    for (const cell of names) {
      await page.locator(`section[data-cell="${cell}"]`).screenshot({
        path: `${dir}/${plan.id}-${infix}${cell}.png`,
      });
    }
  };
  await page.waitForTimeout(plan.waitMs);
  await page.screenshot({ path: `${dir}/${plan.id}-light.png`, fullPage: true });
  await cells(plan.light, "");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(plan.waitMs);
  await page.screenshot({ path: `${dir}/${plan.id}-390.png`, fullPage: true });
  await cells(plan.narrow, "390-");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(plan.waitMs);
  await page.screenshot({ path: `${dir}/${plan.id}-dark.png`, fullPage: true });
  await cells(plan.dark ?? [], "dark-");
}

/** Exports lab `id` as one file, `<dir>/<id>.html` (the export bundler stopped after). */
export async function exportToFile(
  id: string,
  dir: string,
): Promise<{ html: string; file: string }> {
  const { html } = await exportLab(id);
  await stopExportBundler();
  const file = `${dir}/${id}.html`;
  await Deno.writeTextFile(file, html);
  return { html, file };
}

/** An offline page and what it did that a test may forbid. */
export interface OfflinePage {
  ctx: BrowserContext;
  page: Page;
  /** Every request not to a file:// URL. */
  requests: string[];
  /** Uncaught page errors. */
  pageErrors: string[];
  /** Console messages of type error. */
  consoleErrors: string[];
}

/** A page in a new offline context of `browser`, recording requests and errors (not navigated). */
export async function offlinePage(browser: Browser): Promise<OfflinePage> {
  const ctx = await browser.newContext({ offline: true });
  const page = await ctx.newPage();
  const o: OfflinePage = { ctx, page, requests: [], pageErrors: [], consoleErrors: [] };
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) o.requests.push(r.url());
  });
  page.on("pageerror", (e) => o.pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") o.consoleErrors.push(m.text());
  });
  return o;
}
