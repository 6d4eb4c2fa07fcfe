/**
 * Lab v2-06 in the browser: in the four-node context, commit a wrong Act I answer with the mouse,
 * reload and open a second tab (still committed, still wrong, the context frozen), move the GPU
 * slider with the keyboard and see the chart update in place, then drive Act II over the
 * exposed-communication budget and back. The exported file, opened from file:// offline, keeps
 * its lock across a reload too. With `V2_06_SHOTS=<dir>` it saves light, dark and 390 px
 * screenshots.
 */
import assert from "node:assert/strict";
import { browserOnlyTest, browserSuite, correctLetter, type Page, ROOT, slot } from "./harness.ts";
import {
  collectPageErrors,
  commitWithMouse,
  exportToFile,
  inputValue,
  labReady,
  ledgerHolds,
  offlinePage,
  reloadLab,
  saveScreenshots,
  secondTab,
  setInput,
  slideMovesChart,
  wrongLetter,
} from "./walk.ts";

const LAB = new URL("labs/v2-06.ts", ROOT);
/** The lock renders committed: a "Locked" badge, no commit button, the widget disabled. */
async function assertLocked(page: Page, where: string) {
  const host = page.locator('section[data-cell="act1Lock"] syslab-prediction-lock');
  await host.waitFor();
  assert.match(await host.evaluate((el) => el.shadowRoot?.textContent ?? ""), /Locked/, where);
  assert.equal(await host.locator("button").count(), 0, where);
  assert.equal(await host.getAttribute("disabled"), "", where);
}

/** Act II is reversible: overlap off brings the over-budget banner, back on clears it. */
async function overlapToggles(page: Page) {
  await setInput(page, "overlap", false);
  await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
  await setInput(page, "overlap", true);
  await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="budget-ok"]');
}

browserSuite("v2-06: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors = collectPageErrors(page);
  let wrong = "";

  await t.step("a wrong Act I commit in the four-node context reveals the chart", async () => {
    await setInput(page, "context", "cluster");
    assert.equal((await slot(page, "act1Chart")).text, "");
    wrong = await wrongLetter(page, "act1");
    await commitWithMouse(page, "act1", wrong);
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.doesNotMatch((await slot(page, "act1Reveal")).text, /Correct\./);
    assert.match((await slot(page, "summary")).text, /WRONG/);
  });

  await t.step("reload and a second tab: still committed, still wrong, context kept", async () => {
    await ledgerHolds(page, "v2-06");
    await reloadLab(page);
    assert.equal(await inputValue(page, "act1Lock"), wrong);
    assert.equal(await inputValue(page, "context"), "cluster");
    assert.match((await slot(page, "summary")).text, /WRONG/);
    await assertLocked(page, "after reload");
    const tab = await secondTab(page);
    assert.equal(await inputValue(tab, "act1Lock"), wrong);
    await assertLocked(tab, "second tab");
    assert.equal(await inputValue(tab, "context"), "cluster");
    await tab.close();
  });

  await t.step("more GPUs: the chart updates in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Chart"] .syslab-chart-view path').length > 3
    );
    await slideMovesChart(page, { slider: "gpus1", steps: 2, cell: "act1Chart" });
    assert.equal(await inputValue(page, "gpus1"), 128); // two steps right of 32: 64, 128
    await setInput(page, "gpus1", 32);
  });

  await t.step(
    "Act II: 25 MB buckets across nodes blow the budget; bf16 + 250 MB fix it",
    async () => {
      await setInput(page, "act2Lock", await correctLetter(page, "act2"));
      await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
      assert.match((await slot(page, "act2Verdict")).text, /over budget/);
      assert.match((await slot(page, "summary")).text, /VIOLATED/);
      await setInput(page, "bucketMb", 250);
      await setInput(page, "wire", "bf16");
      await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="budget-ok"]');
      assert.match((await slot(page, "summary")).text, /MET/);
      await overlapToggles(page);
    },
  );

  const shots = Deno.env.get("V2_06_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      for (const cell of ["act1Math", "act2Math"]) {
        await page.locator(`section[data-cell="${cell}"] summary`).first().click();
      }
      await page.waitForTimeout(600);
      for (const cell of ["act1Math", "act2Math"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-06-${cell}.png`,
        });
      }
      await saveScreenshots(page, shots, {
        id: "v2-06",
        waitMs: 600,
        light: [
          "act1Metrics",
          "act1Anatomy",
          "act1Chart",
          "act2Metrics",
          "act2Timeline",
          "act2Curve",
        ],
        narrow: ["act1Intro", "act1Chart", "act2Controls", "act2Metrics", "act2Curve"],
        dark: ["act1Chart", "act2Timeline", "act2Curve"],
      });
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest("v2-06: exported file from file:// offline keeps its lock", async (browser) => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-v2-06-" });
  try {
    const { html, file } = await exportToFile("v2-06", dir);
    assert.ok(!/the answer is|you predicted/i.test(html));
    const { ctx, page, requests, pageErrors, consoleErrors } = await offlinePage(browser);
    await page.goto(`file://${file}`);
    await labReady(page);
    // Before the commit the exported page shows nothing behind the lock.
    assert.equal((await slot(page, "act1Chart")).text, "");
    const wrong = await wrongLetter(page, "act1");
    await commitWithMouse(page, "act1", wrong);
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "summary")).text, /WRONG/);
    await reloadLab(page);
    assert.equal(await inputValue(page, "act1Lock"), wrong);
    await assertLocked(page, "export after reload");
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    // Act II works offline: its banner appears and clears.
    await setInput(page, "act2Lock", "A");
    await overlapToggles(page);
    const shots = Deno.env.get("V2_06_SHOTS");
    if (shots) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-06-export-node.png`, fullPage: true });
      for (const cell of ["act1Chart", "act1Algorithms", "act2Timeline", "act2Curve"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-06-node-${cell}.png`,
        });
      }
    }
    assert.deepEqual(requests, []);
    assert.deepEqual([...pageErrors, ...consoleErrors], []);
    await ctx.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
