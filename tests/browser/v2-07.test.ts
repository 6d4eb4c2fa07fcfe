/**
 * Lab v2-07 in the browser: commit a wrong Act I answer with the mouse, reload and find it still
 * locked, move the fleet-size slider with the keyboard and see the MTBF chart change in place,
 * then in Act II drive goodput under the floor, make the checkpoint outlast the interval, and
 * undo both. The exported file opened from file:// with the network off works the same way.
 * With `V2_07_SHOTS=<dir>` it saves light, dark and 390 px screenshots after both commits.
 */
import assert from "node:assert/strict";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import {
  browserOnlyTest,
  browserSuite,
  correctLetter,
  type Page,
  ROOT,
  settled,
  slot,
} from "./harness.ts";

const LAB = new URL("labs/v2-07.ts", ROOT);
type W = {
  __syslab: {
    setInput(name: string, value: unknown): void;
    engine: { value(n: string): unknown };
    ready: Promise<void>;
  };
};

const set = async (page: Page, name: string, value: unknown) => {
  await page.evaluate(([n, v]) => (globalThis as unknown as W).__syslab.setInput(n as string, v), [
    name,
    value,
  ]);
  await settled(page);
};

const value = (page: Page, name: string) =>
  page.evaluate((n) => (globalThis as unknown as W).__syslab.engine.value(n), name);

/** Commits a wrong option of `act` with the mouse; returns its letter. */
async function commitWrong(page: Page, act: string): Promise<string> {
  const right = await correctLetter(page, act);
  const wrong = ["A", "B", "C", "D"].find((l) => l !== right)!;
  const lock = page.locator(`[data-testid="${act}-lock"]`);
  await lock.locator("input[type=radio]").nth("ABCD".indexOf(wrong)).check();
  await lock.getByRole("button", { name: "Commit prediction" }).click();
  await settled(page);
  return wrong;
}

const chartPaths = (page: Page, cell: string) =>
  page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps) => ps.map((p) => `${p.getAttribute("d")}@${p.getAttribute("transform")}`).join("|"),
  );

browserSuite("v2-07: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  let wrong = "";
  await t.step("a wrong Act I commit reveals the instruments and is graded wrong", async () => {
    assert.equal((await slot(page, "act1MtbfChart")).text, "");
    wrong = await commitWrong(page, "act1");
    await page.waitForSelector('section[data-cell="act1MtbfChart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    assert.match((await slot(page, "summary")).text, /WRONG/);
  });

  await t.step("reload: still committed, still wrong, the lock disabled", async () => {
    await page.reload();
    await page.evaluate(() => (globalThis as unknown as W).__syslab.ready);
    await settled(page);
    assert.equal(await value(page, "act1Lock"), wrong);
    const host = page.locator('section[data-cell="act1Lock"] syslab-prediction-lock');
    assert.equal(await host.getAttribute("disabled"), "");
    assert.equal(await host.locator("button").count(), 0);
    await page.waitForSelector('section[data-cell="act1MtbfChart"] svg', { timeout: 15000 });
  });

  await t.step("more GPUs: the MTBF falls and the chart moves in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1MtbfChart"] svg path').length > 3
    );
    const before = await chartPaths(page, "act1MtbfChart");
    const mtbfBefore = (await slot(page, "act1Metrics")).text;
    const svg = await page.$('section[data-cell="act1MtbfChart"] svg');
    await page.locator('[data-testid="gpus"] input[type="range"]').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await value(page, "gpus"), 16384); // 1,024 → 2,048 → 4,096 → 8,192 → 16,384
    await page.waitForFunction(
      (b) =>
        [...document.querySelectorAll('section[data-cell="act1MtbfChart"] .syslab-chart-view path')]
          .map((p) => `${p.getAttribute("d")}@${p.getAttribute("transform")}`).join("|") !== b,
      before,
      { timeout: 5000 },
    );
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    assert.notEqual((await slot(page, "act1Metrics")).text, mtbfBefore);
    assert.match((await slot(page, "act1Metrics")).text, /3\.1 h/);
  });

  await t.step("Act II: under the floor, write outlasts interval, and back", async () => {
    await set(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act2Verdict")).text, /Above the floor/);
    await set(page, "storageGBs", 2);
    assert.match((await slot(page, "act2Verdict")).text, /below the 90% floor/);
    assert.match((await slot(page, "summary")).text, /VIOLATED/);
    await set(page, "intervalMin", 5);
    await set(page, "storageGBs", 1);
    assert.match((await slot(page, "act2Verdict")).text, /longer to write/);
    await set(page, "storageGBs", 57.5);
    await set(page, "intervalMin", 45);
    assert.match((await slot(page, "act2Verdict")).text, /Above the floor/);
    assert.match((await slot(page, "summary")).text, /MET/);
  });

  const shots = Deno.env.get("V2_07_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await set(page, "storageGBs", 2);
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-07-light.png`, fullPage: true });
      for (
        const cell of ["act1Metrics", "act1PChart", "act1MtbfChart", "act2Chart", "act2Verdict"]
      ) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-07-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-07-390.png`, fullPage: true });
      for (const cell of ["act1Intro", "act1Metrics", "act2Chart", "act2Metrics"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-07-390-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-07-dark.png`, fullPage: true });
      await page.locator('section[data-cell="act2Chart"]').screenshot({
        path: `${shots}/v2-07-dark-act2Chart.png`,
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
      const { html } = await exportLab("v2-07");
      await stopExportBundler();
      const file = `${dir}/v2-07.html`;
      await Deno.writeTextFile(file, html);
      assert.ok(!/the answer is|you predicted/i.test(html));
      const ctx = await browser.newContext({ offline: true });
      const page = await ctx.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith("file://")) requests.push(r.url());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      await page.goto(`file://${file}`);
      await page.evaluate(() => (globalThis as unknown as W).__syslab.ready);
      await settled(page);
      const wrong = await commitWrong(page, "act1");
      await page.waitForSelector('section[data-cell="act1PChart"] svg', { timeout: 15000 });
      assert.equal(await page.locator("section.syslab-cell[data-state=error]").count(), 0);
      // Act II works from the file too: commit, then push goodput under the floor.
      await set(page, "act2Lock", await correctLetter(page, "act2"));
      await page.waitForSelector('section[data-cell="act2Chart"] svg', { timeout: 15000 });
      await set(page, "storageGBs", 2);
      assert.match((await slot(page, "act2Verdict")).text, /below the 90% floor/);
      // Reload from file://: still committed, the engine refuses another commit.
      await page.reload();
      await page.evaluate(() => (globalThis as unknown as W).__syslab.ready);
      await settled(page);
      assert.equal(await value(page, "act1Lock"), wrong);
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
      assert.deepEqual(problems, []);
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
