/**
 * Lab v2-09 in the browser: commit a wrong Act I answer with the mouse (the reveal says so, a
 * reload keeps it locked), move the workload slider with the keyboard and see the breakdown
 * chart change in place, then commit Act II, find the default FP8-first plan missing the target
 * (the banner), climb the rungs the step needs with the real dropdowns until it is met, and undo
 * it. With `V2_09_SHOTS=<dir>` it also saves light, dark and 390 px screenshots.
 */
import assert from "node:assert/strict";
import { RUNG_NAMES } from "../../core/mod.ts";
import { browserOnlyTest, browserSuite, correctLetter, ROOT, settled, slot } from "./harness.ts";
import {
  collectPageErrors,
  commitWrongAct1,
  exportToFile,
  inputValue,
  labReady,
  offlinePage,
  reloadLab,
  saveScreenshots,
  setInput,
  slideMovesChart,
} from "./walk.ts";

const LAB = new URL("labs/v2-09.ts", ROOT);
browserSuite("v2-09: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors = collectPageErrors(page);

  await t.step("Act I: a wrong commit is graded wrong and survives a reload", async () => {
    await commitWrongAct1(page, ["act1Singles", "act1Breakdown"], {
      label: "",
      summary: /Act I\s*WRONG/,
    });
    await reloadLab(page);
    await page.waitForSelector('section[data-cell="act1Singles"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    const lock = page.locator('[data-testid="act1-lock"]');
    assert.equal(await lock.getByRole("button", { name: "Commit prediction" }).count(), 0);
  });

  await t.step("the workload slider moves the breakdown in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Breakdown"] svg path').length > 3
    );
    await slideMovesChart(page, { slider: "workload", steps: 6, cell: "act1Breakdown" });
    const w = await inputValue(page, "workload");
    assert.equal(w, 64); // six steps right of batch 1: 2, 4, 8, 16, 32, 64
    await setInput(page, "workload", 1);
  });

  await t.step("Act II: FP8 first misses the target; fusion + graphs + FP8 meets it", async () => {
    await setInput(page, "act2Lock", await correctLetter(page, "act2"));
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
      await saveScreenshots(page, shots, {
        id: "v2-09",
        waitMs: 500,
        light: ["act1Metrics", "act1Breakdown", "act1Singles", "act2Waterfall"],
        narrow: ["act2Controls", "act2Waterfall", "act2Table", "act2Metrics"],
        dark: ["act1Singles", "act2Waterfall"],
      });
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest("v2-09: the export works from file:// offline, locks hold", async (browser) => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-v2-09-" });
  try {
    const { file } = await exportToFile("v2-09", dir);
    const { ctx, page, pageErrors, consoleErrors } = await offlinePage(browser);
    await page.goto(`file://${file}`);
    await labReady(page);
    // Nothing behind the locks in the file.
    assert.equal((await slot(page, "act1Singles")).text, "");
    assert.equal((await slot(page, "act2Waterfall")).text, "");
    await setInput(page, "act1Lock", "A");
    await page.waitForSelector('section[data-cell="act1Singles"] svg', { timeout: 15000 });
    await setInput(page, "act2Lock", "B");
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
    await reloadLab(page);
    await page.waitForSelector('section[data-cell="act2Waterfall"] svg', { timeout: 15000 });
    const locks = [await inputValue(page, "act1Lock"), await inputValue(page, "act2Lock")];
    assert.deepEqual(locks, ["A", "B"]);
    assert.deepEqual([...pageErrors, ...consoleErrors], []);
    await ctx.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
