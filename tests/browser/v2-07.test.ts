/**
 * Lab v2-07 in the browser: commit a wrong Act I answer with the mouse, reload and find it still
 * locked, move the fleet-size slider with the keyboard and see the MTBF chart change in place,
 * then in Act II drive goodput under the floor, make the checkpoint outlast the interval, and
 * undo both. The exported file opened from file:// with the network off works the same way.
 * With `V2_07_SHOTS=<dir>` it saves light, dark and 390 px screenshots after both commits.
 */
import assert from "node:assert/strict";
import {
  browserOnlyTest,
  browserSuite,
  correctLetter,
  type Page,
  ROOT,
  settled,
  slot,
} from "./harness.ts";
import {
  collectPageErrors,
  exportToFile,
  inputValue,
  labReady,
  offlinePage,
  reloadLab,
  saveScreenshots,
  setInput,
  slideMovesChart,
  wrongLetter,
} from "./walk.ts";

const LAB = new URL("labs/v2-07.ts", ROOT);
/** What the export test calls on the page's handle directly. */
type W = { __syslab: { setInput(name: string, value: unknown): void } };

/** Commits a wrong option of `act` with the mouse (its radio, by position); returns its letter. */
async function commitWrong(page: Page, act: string): Promise<string> {
  const wrong = await wrongLetter(page, act);
  const lock = page.locator(`[data-testid="${act}-lock"]`);
  await lock.locator("input[type=radio]").nth("ABCD".indexOf(wrong)).check();
  await lock.getByRole("button", { name: "Commit prediction" }).click();
  await settled(page);
  return wrong;
}

browserSuite("v2-07: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors = collectPageErrors(page);

  let wrong = "";
  await t.step("a wrong Act I commit reveals the instruments and is graded wrong", async () => {
    assert.equal((await slot(page, "act1MtbfChart")).text, "");
    wrong = await commitWrong(page, "act1");
    await page.waitForSelector('section[data-cell="act1MtbfChart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    assert.match((await slot(page, "summary")).text, /WRONG/);
  });

  await t.step("reload: still committed, still wrong, the lock disabled", async () => {
    await reloadLab(page);
    assert.equal(await inputValue(page, "act1Lock"), wrong);
    const host = page.locator('section[data-cell="act1Lock"] syslab-prediction-lock');
    assert.equal(await host.getAttribute("disabled"), "");
    assert.equal(await host.locator("button").count(), 0);
    await page.waitForSelector('section[data-cell="act1MtbfChart"] svg', { timeout: 15000 });
  });

  await t.step("more GPUs: the MTBF falls and the chart moves in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1MtbfChart"] svg path').length > 3
    );
    const mtbfBefore = (await slot(page, "act1Metrics")).text;
    await slideMovesChart(page, {
      slider: "gpus",
      steps: 4,
      cell: "act1MtbfChart",
      withTransform: true,
    });
    assert.equal(await inputValue(page, "gpus"), 16384); // 1,024 → 2,048 → 4,096 → 8,192 → 16,384
    assert.notEqual((await slot(page, "act1Metrics")).text, mtbfBefore);
    assert.match((await slot(page, "act1Metrics")).text, /3\.1 h/);
  });

  await t.step("Act II: under the floor, write outlasts interval, and back", async () => {
    await setInput(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act2Verdict")).text, /Above the floor/);
    await setInput(page, "storageGBs", 2);
    assert.match((await slot(page, "act2Verdict")).text, /below the 90% floor/);
    assert.match((await slot(page, "summary")).text, /VIOLATED/);
    await setInput(page, "intervalMin", 5);
    await setInput(page, "storageGBs", 1);
    assert.match((await slot(page, "act2Verdict")).text, /longer to write/);
    await setInput(page, "storageGBs", 57.5);
    await setInput(page, "intervalMin", 45);
    assert.match((await slot(page, "act2Verdict")).text, /Above the floor/);
    assert.match((await slot(page, "summary")).text, /MET/);
  });

  const shots = Deno.env.get("V2_07_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await setInput(page, "storageGBs", 2);
      await saveScreenshots(page, shots, {
        id: "v2-07",
        waitMs: 600,
        light: ["act1Metrics", "act1PChart", "act1MtbfChart", "act2Chart", "act2Verdict"],
        narrow: ["act1Intro", "act1Metrics", "act2Chart", "act2Metrics"],
        dark: ["act2Chart"],
      });
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest(
  "v2-07: the export works from file:// offline and keeps its locks",
  async (browser) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-v207-" });
    try {
      const { html, file } = await exportToFile("v2-07", dir);
      assert.ok(!/the answer is|you predicted/i.test(html));
      const { ctx, page, requests, pageErrors, consoleErrors } = await offlinePage(browser);
      await page.goto(`file://${file}`);
      await labReady(page);
      const wrong = await commitWrong(page, "act1");
      await page.waitForSelector('section[data-cell="act1PChart"] svg', { timeout: 15000 });
      assert.equal(await page.locator("section.syslab-cell[data-state=error]").count(), 0);
      // Act II works from the file too: commit, then push goodput under the floor.
      await setInput(page, "act2Lock", await correctLetter(page, "act2"));
      await page.waitForSelector('section[data-cell="act2Chart"] svg', { timeout: 15000 });
      await setInput(page, "storageGBs", 2);
      assert.match((await slot(page, "act2Verdict")).text, /below the 90% floor/);
      // Reload from file://: still committed, the engine refuses another commit.
      await reloadLab(page);
      assert.equal(await inputValue(page, "act1Lock"), wrong);
      const refused = await page.evaluate(() => {
        try {
          (globalThis as unknown as W).__syslab.setInput("act1Lock", "A");
          (globalThis as unknown as W).__syslab.setInput("act1Lock", "B");
          return "accepted";
        } catch (e) {
          return (e as Error).name;
        }
      });
      assert.equal(refused, "InputLockedError");
      assert.deepEqual(requests, []);
      assert.deepEqual([...pageErrors, ...consoleErrors], []);
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
