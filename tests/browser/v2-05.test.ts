/**
 * Lab v2-05 in the browser: commit a wrong Act I answer with the mouse, reload (still committed
 * and disabled, still wrong), move the microbatch slider with the keyboard and see the MFU chart's
 * point move in place; commit Act II, meet the OOM banner of the starting layout, deepen the
 * pipeline until it fits, cross the node boundary with TP 16 and come back. Then the exported
 * file from file://: the locks hold (nothing behind Act I before the commit) and a commit works
 * offline. With `V2_05_SHOTS=<dir>` it saves light, dark and 390 px screenshots.
 */
import assert from "node:assert/strict";
import { browserOnlyTest, browserSuite, correctLetter, ROOT, settled, slot } from "./harness.ts";
import {
  collectPageErrors,
  commitWrongAct1,
  exportToFile,
  inputValue,
  labReady,
  ledgerHolds,
  offlinePage,
  reloadLab,
  saveScreenshots,
  setInput,
  slideMovesChart,
} from "./walk.ts";

const LAB = new URL("labs/v2-05.ts", ROOT);
browserSuite("v2-05: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors = collectPageErrors(page);
  let wrong = "";

  await t.step("Act I: a wrong commit with the mouse; the chart appears", async () => {
    wrong = await commitWrongAct1(page, ["act1Chart"]);
  });

  await t.step("reload: the commit is final", async () => {
    await ledgerHolds(page, "v2-05");
    await reloadLab(page);
    const v = await inputValue(page, "act1Lock");
    assert.equal(v, wrong);
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    const disabled = await page.locator('[data-testid="act1-lock"] input[type="radio"]')
      .evaluateAll(
        (els) => els.every((e) => (e as HTMLInputElement).disabled),
      );
    assert.ok(disabled, "the lock's options are disabled after a reload");
  });

  await t.step("more microbatches move the MFU point in place", async () => {
    await page.waitForSelector('section[data-cell="act1Chart"] .syslab-chart-view svg');
    const mfuBefore = (await slot(page, "act1Metrics")).text;
    await slideMovesChart(page, {
      slider: "microbatches",
      steps: 2,
      cell: "act1Chart",
      svg: ".syslab-chart-view svg",
      withTransform: true,
    });
    assert.notEqual((await slot(page, "act1Metrics")).text, mfuBefore);
    assert.equal(await inputValue(page, "microbatches"), 48);
  });

  await t.step("Act II: OOM, then a layout that fits, then TP across nodes and back", async () => {
    await setInput(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
    assert.match((await slot(page, "summary")).text, /OOM/);
    await setInput(page, "pp", 8);
    assert.match((await slot(page, "act2Verdict")).text, /Runs/);
    assert.match((await slot(page, "summary")).text, /OK/);
    await page.locator('[data-testid="tp"]').getByLabel("16 (two nodes)").check();
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /crosses the node boundary/);
    assert.match((await slot(page, "summary")).text, /FAILED/);
    await page.locator('[data-testid="tp"]').getByLabel("8", { exact: true }).check();
    await settled(page);
    assert.match((await slot(page, "act2Verdict")).text, /Runs/);
    await page.waitForSelector('section[data-cell="act2Frontier"] .syslab-chart-view svg');
  });

  const shots = Deno.env.get("V2_05_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await saveScreenshots(page, shots, {
        id: "v2-05",
        waitMs: 600,
        light: ["act1Metrics", "act1Chart", "act2Metrics", "act2Memory", "act2Frontier"],
        narrow: ["act1Intro", "act1Metrics", "act2Controls", "act2Frontier"],
      });
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest("v2-05: the exported file from file:// holds its locks", async (browser) => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-v2-05-" });
  try {
    const { html, file } = await exportToFile("v2-05", dir);
    const { ctx, page, requests, pageErrors, consoleErrors } = await offlinePage(browser);
    await page.goto(`file://${file}`);
    await labReady(page);
    // Nothing behind the lock in the file or the page before the commit.
    assert.equal((await slot(page, "act1Chart")).text, "");
    assert.doesNotMatch(html, /data-testid="act1-where"/);
    const right = await correctLetter(page, "act1");
    await setInput(page, "act1Lock", right);
    await page.waitForSelector('section[data-cell="act1Chart"] .syslab-chart-view svg', {
      timeout: 15000,
    });
    assert.match((await slot(page, "act1Reveal")).text, /Correct/);
    const before = await page.evaluate(() => localStorage.getItem("syslab.ledger.v1"));
    await reloadLab(page);
    assert.equal(
      await inputValue(page, "act1Lock"),
      right,
      `the commit survives a reload from file:// (ledger before the reload: ${before}; after: ${await page
        .evaluate(() => localStorage.getItem("syslab.ledger.v1"))})`,
    );
    assert.deepEqual(requests, [], "the exported file fetches nothing");
    assert.deepEqual([...pageErrors, ...consoleErrors], []);
    await ctx.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
