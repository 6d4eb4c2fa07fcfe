/**
 * Lab v1-08 in the browser, as a student walks it: commit a wrong Act I answer with the mouse,
 * move the micro-batch slider with the keyboard (the stack chart changes in place), reload and
 * open a second tab (still committed, still wrong), commit Act II and find the OOM banner, make
 * it fit with the best plan's knobs and break it again; then the exported file from file://
 * offline (no request, the lock holds across a reload). With `V1_08_SHOTS=<dir>` it saves light,
 * dark and 390 px screenshots.
 */
import assert from "node:assert/strict";
import { browserSuite, correctLetter, type Page, ROOT, slot } from "./harness.ts";
import {
  collectPageErrors,
  commitWithMouse,
  commitWrongAct1,
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
} from "./walk.ts";
import { act2Best, act2Plans } from "../../labs/v1-08/scenario.ts";

const LAB = new URL("labs/v1-08.ts", ROOT);
/** The Act I lock renders committed: no options to pick, a "Locked" badge. */
const assertLocked = async (page: Page) => {
  const lock = page.locator('[data-testid="act1-lock"]');
  assert.equal(await lock.locator('input[type="radio"]').count(), 0);
  assert.match(await lock.locator(".locked").innerText(), /Locked/);
};

browserSuite("v1-08: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors = collectPageErrors(page);
  let wrong = "";

  await t.step("the lock gates Act I; a wrong commit reveals the stack", async () => {
    wrong = await commitWrongAct1(page, ["act1Chart"]);
  });

  await t.step("the micro-batch slider moves the stack in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Chart"] svg path').length > 5
    );
    await slideMovesChart(page, { slider: "micro1", steps: 1, cell: "act1Chart" });
    assert.equal(await inputValue(page, "microBatch1"), 8);
    assert.match((await slot(page, "act1Metrics")).text, /Peak per step/);
  });

  await t.step("reload and a second tab: the wrong commit is final", async () => {
    await ledgerHolds(page, "v1-08");
    await reloadLab(page);
    assert.equal(await inputValue(page, "act1Lock"), wrong);
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    await assertLocked(page);
    const tab = await secondTab(page);
    assert.equal(await inputValue(tab, "act1Lock"), wrong);
    assert.match((await slot(tab, "summary")).text, /WRONG/);
    await tab.close();
  });

  await t.step("Act II: the failed run is OOM; the best plan fits; back is OOM", async () => {
    await setInput(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
    assert.match((await slot(page, "act2Verdict")).text, /OOM/);
    assert.match((await slot(page, "summary")).text, /OOM/);
    const best = act2Plans("cloud")[act2Best("cloud")].design;
    await setInput(page, "setup", best.setup);
    await setInput(page, "microBatch2", best.microBatch);
    await setInput(page, "recompute", best.recompute);
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="fits-ok"]');
    assert.match((await slot(page, "act2Reveal")).text, /Correct/);
    await setInput(page, "setup", "mixed");
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
    await setInput(page, "setup", best.setup);
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="fits-ok"]');
  });

  const shots = Deno.env.get("V1_08_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await saveScreenshots(page, shots, {
        id: "v1-08",
        waitMs: 500,
        light: ["act1Metrics", "act1Chart", "act2Metrics", "act2Chart", "act2Tradeoff"],
        narrow: ["act1Chart", "act2Controls", "act2Metrics", "act2Chart"],
        dark: ["act2Chart"],
      });
      await page.emulateMedia({ colorScheme: "light" });
      // The other context, both acts committed, the math peeks open.
      const w = await env.open();
      w.once("dialog", (d) => d.accept());
      await Promise.all([
        w.waitForEvent("load"),
        w.getByRole("button", { name: "Start this lab over" }).click(),
      ]);
      await labReady(w);
      await setInput(w, "context", "workstation");
      await setInput(w, "act1Lock", await correctLetter(w, "act1"));
      await setInput(w, "act2Lock", await correctLetter(w, "act2"));
      await w.waitForSelector('section[data-cell="act2Chart"] svg', { timeout: 15000 });
      for (const d of await w.locator("details").all()) {
        await d.evaluate((e) => e.setAttribute("open", ""));
      }
      await w.waitForTimeout(500);
      await w.screenshot({ path: `${shots}/v1-08-workstation.png`, fullPage: true });
      for (const cell of ["act1Chart", "act1Math", "act2Verdict", "act2Math"]) {
        await w.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v1-08-workstation-${cell}.png`,
        });
      }
    });
  }
  assert.deepEqual(errors, []);

  await t.step("exported: from file:// offline, the lock holds across a reload", async () => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-v108-" });
    try {
      const { html, file } = await exportToFile("v1-08", dir);
      assert.doesNotMatch(html, /the answer is|you predicted/i);
      const { ctx, page: p, requests, pageErrors, consoleErrors } = await offlinePage(env.browser);
      const openIt = async () => {
        await p.goto(`file://${file}`);
        await labReady(p);
      };
      await openIt();
      assert.equal((await slot(p, "act1Chart")).text, "");
      await commitWithMouse(p, "act1", "A");
      await p.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
      await openIt();
      assert.equal(await inputValue(p, "act1Lock"), "A");
      await assertLocked(p);
      await p.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
      await setInput(p, "act2Lock", "B");
      await p.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
      assert.equal(await p.locator("section.syslab-cell[data-state=error]").count(), 0);
      assert.deepEqual(requests, []);
      assert.deepEqual([...pageErrors, ...consoleErrors], []);
      if (shots) await p.screenshot({ path: `${shots}/v1-08-export.png`, fullPage: true });
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
});
