/**
 * Lab v2-09 in the browser: commit a wrong Act I answer with the mouse (the reveal says so, a
 * reload keeps it locked), move the workload slider with the keyboard and see the breakdown
 * chart change in place, then commit Act II, find the default FP8-first plan missing the target
 * (the banner), climb the rungs the step needs with the real dropdowns until it is met, and undo
 * it. With `V2_09_SHOTS=<dir>` it also saves light, dark and 390 px screenshots.
 */
import assert from "node:assert/strict";
import { RUNG_NAMES } from "../../core/mod.ts";
import {
  browserOnlyTest,
  browserSuite,
  correctLetter,
  type Page,
  ROOT,
  settled,
  slot,
} from "./harness.ts";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";

const LAB = new URL("labs/v2-09.ts", ROOT);
type W = {
  __syslab: {
    setInput(name: string, value: unknown): void;
    engine: { value(n: string): unknown };
  };
};

const set = async (page: Page, name: string, value: unknown) => {
  await page.evaluate(([n, v]) => (globalThis as unknown as W).__syslab.setInput(n as string, v), [
    name,
    value,
  ]);
  await settled(page);
};

const paths = (page: Page, cell: string) =>
  page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps) => ps.map((p) => p.getAttribute("d") ?? "").join("|"),
  );

browserSuite("v2-09: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await t.step("Act I: a wrong commit is graded wrong and survives a reload", async () => {
    assert.equal((await slot(page, "act1Singles")).text, "");
    assert.equal((await slot(page, "act1Breakdown")).text, "");
    const right = await correctLetter(page, "act1");
    const wrong = ["A", "B", "C", "D"].find((l) => l !== right)!;
    const lock = page.locator('[data-testid="act1-lock"]');
    await lock.getByLabel(new RegExp(`^${wrong}\\) `)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Singles"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    assert.match((await slot(page, "summary")).text, /Act I\s*WRONG/);
    await page.reload();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Singles"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    assert.equal(await lock.getByRole("button", { name: "Commit prediction" }).count(), 0);
  });

  await t.step("the workload slider moves the breakdown in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Breakdown"] svg path').length > 3
    );
    const before = await paths(page, "act1Breakdown");
    const svg = await page.$('section[data-cell="act1Breakdown"] svg');
    await page.locator('[data-testid="workload"] input[type="range"]').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
    await settled(page);
    await page.waitForFunction(
      (b) =>
        [...document.querySelectorAll('section[data-cell="act1Breakdown"] .syslab-chart-view path')]
          .map((p) => p.getAttribute("d") ?? "").join("|") !== b,
      before,
      { timeout: 5000 },
    );
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    const w = await page.evaluate(() =>
      (globalThis as unknown as W).__syslab.engine.value("workload")
    );
    assert.equal(w, 64); // six steps right of batch 1: 2, 4, 8, 16, 32, 64
    await set(page, "workload", 1);
  });

  await t.step("Act II: FP8 first misses the target; fusion + graphs + FP8 meets it", async () => {
    await set(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Waterfall"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act2Verdict")).text, /Target missed/);
    assert.match((await slot(page, "summary")).text, /VIOLATED/);
    await page.locator('[data-testid="rung1"] select').selectOption({
      label: RUNG_NAMES["kernel-fusion"],
    });
    await page.locator('[data-testid="rung2"] select').selectOption({
      label: RUNG_NAMES["cuda-graphs"],
    });
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /Target missed/);
    await page.locator('[data-testid="rung3"] select').selectOption({ label: RUNG_NAMES["fp8"] });
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /Target met/);
    assert.match((await slot(page, "act2Metrics")).text, /stop rule: stop here/);
    assert.match((await slot(page, "summary")).text, /MET/);
    // Reversible both ways.
    await page.locator('[data-testid="rung3"] select').selectOption({ label: "— (stop here)" });
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /Target missed/);
    await page.locator('[data-testid="rung3"] select').selectOption({ label: RUNG_NAMES["fp8"] });
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /Target met/);
  });

  const shots = Deno.env.get("V2_09_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v2-09-light.png`, fullPage: true });
      for (const cell of ["act1Metrics", "act1Breakdown", "act1Singles", "act2Waterfall"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-09-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v2-09-390.png`, fullPage: true });
      for (const cell of ["act2Controls", "act2Waterfall", "act2Table", "act2Metrics"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-09-390-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v2-09-dark.png`, fullPage: true });
      for (const cell of ["act1Singles", "act2Waterfall"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-09-dark-${cell}.png`,
        });
      }
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest("v2-09: the export works from file:// offline, locks hold", async (browser) => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-v2-09-" });
  try {
    const { html } = await exportLab("v2-09");
    await stopExportBundler();
    const file = `${dir}/v2-09.html`;
    await Deno.writeTextFile(file, html);
    const ctx = await browser.newContext({ offline: true });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const ready = () =>
      page.evaluate(() => (globalThis as { __syslab?: { ready: Promise<void> } }).__syslab?.ready);
    await page.goto(`file://${file}`);
    await ready();
    // Nothing behind the locks in the file.
    assert.equal((await slot(page, "act1Singles")).text, "");
    assert.equal((await slot(page, "act2Waterfall")).text, "");
    await set(page, "act1Lock", "A");
    await page.waitForSelector('section[data-cell="act1Singles"] svg', { timeout: 15000 });
    await set(page, "act2Lock", "B");
    await page.waitForSelector('section[data-cell="act2Waterfall"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act2Verdict")).text, /Target missed/);
    await page.locator('[data-testid="rung1"] select').selectOption({
      label: RUNG_NAMES["kernel-fusion"],
    });
    await page.locator('[data-testid="rung2"] select').selectOption({
      label: RUNG_NAMES["cuda-graphs"],
    });
    await page.locator('[data-testid="rung3"] select').selectOption({ label: RUNG_NAMES["fp8"] });
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /Target met/);
    // Reload: both commits kept, the locks closed.
    await page.reload();
    await ready();
    await settled(page);
    await page.waitForSelector('section[data-cell="act2Waterfall"] svg', { timeout: 15000 });
    const locks = await page.evaluate(() => {
      const e = (globalThis as unknown as W).__syslab.engine;
      return [e.value("act1Lock"), e.value("act2Lock")];
    });
    assert.deepEqual(locks, ["A", "B"]);
    assert.deepEqual(problems, []);
    await ctx.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
