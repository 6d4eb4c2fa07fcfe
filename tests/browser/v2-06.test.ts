/**
 * Lab v2-06 in the browser: in the four-node context, commit a wrong Act I answer with the mouse,
 * reload and open a second tab (still committed, still wrong, the context frozen), move the GPU
 * slider with the keyboard and see the chart update in place, then drive Act II over the
 * exposed-communication budget and back. The exported file, opened from file:// offline, keeps
 * its lock across a reload too. With `V2_06_SHOTS=<dir>` it saves light, dark and 390 px
 * screenshots.
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
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";

const LAB = new URL("labs/v2-06.ts", ROOT);
type W = {
  __syslab: {
    ready: Promise<void>;
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
const value = (page: Page, name: string) =>
  page.evaluate((n) => (globalThis as unknown as W).__syslab.engine.value(n), name);
/** The lock renders committed: a "Locked" badge, no commit button, the widget disabled. */
async function assertLocked(page: Page, where: string) {
  const host = page.locator('section[data-cell="act1Lock"] syslab-prediction-lock');
  await host.waitFor();
  assert.match(await host.evaluate((el) => el.shadowRoot?.textContent ?? ""), /Locked/, where);
  assert.equal(await host.locator("button").count(), 0, where);
  assert.equal(await host.getAttribute("disabled"), "", where);
}
const chartPaths = (page: Page, cell: string) =>
  page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps) => ps.map((p) => p.getAttribute("d") ?? "").join("|"),
  );

browserSuite("v2-06: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  let wrong = "";

  await t.step("a wrong Act I commit in the four-node context reveals the chart", async () => {
    await set(page, "context", "cluster");
    assert.equal((await slot(page, "act1Chart")).text, "");
    const right = await correctLetter(page, "act1");
    wrong = ["A", "B", "C", "D"].find((l) => l !== right)!;
    const lock = page.locator('[data-testid="act1-lock"]');
    await lock.getByLabel(new RegExp(`^${wrong}\\) ≈`)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.doesNotMatch((await slot(page, "act1Reveal")).text, /Correct\./);
    assert.match((await slot(page, "summary")).text, /WRONG/);
  });

  await t.step("reload and a second tab: still committed, still wrong, context kept", async () => {
    await page.waitForFunction(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.["v2-06"]
        ?.act1_prediction !== undefined
    );
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as W).__syslab);
    await settled(page);
    assert.equal(await value(page, "act1Lock"), wrong);
    assert.equal(await value(page, "context"), "cluster");
    assert.match((await slot(page, "summary")).text, /WRONG/);
    await assertLocked(page, "after reload");
    const tab = await page.context().newPage();
    await tab.goto(page.url());
    await tab.waitForFunction(() => (globalThis as unknown as W).__syslab);
    await settled(tab);
    assert.equal(await value(tab, "act1Lock"), wrong);
    await assertLocked(tab, "second tab");
    assert.equal(await value(tab, "context"), "cluster");
    await tab.close();
  });

  await t.step("more GPUs: the chart updates in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Chart"] .syslab-chart-view path').length > 3
    );
    const before = await chartPaths(page, "act1Chart");
    const svg = await page.$('section[data-cell="act1Chart"] svg');
    await page.locator('[data-testid="gpus1"] input[type="range"]').focus();
    for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowRight");
    await settled(page);
    await page.waitForFunction(
      (b) =>
        [...document.querySelectorAll('section[data-cell="act1Chart"] .syslab-chart-view path')]
          .map((p) => p.getAttribute("d") ?? "").join("|") !== b,
      before,
      { timeout: 5000 },
    );
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    assert.equal(await value(page, "gpus1"), 128); // two steps right of 32: 64, 128
    await set(page, "gpus1", 32);
  });

  await t.step(
    "Act II: 25 MB buckets across nodes blow the budget; bf16 + 250 MB fix it",
    async () => {
      await set(page, "act2Lock", await correctLetter(page, "act2"));
      await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
      assert.match((await slot(page, "act2Verdict")).text, /over budget/);
      assert.match((await slot(page, "summary")).text, /VIOLATED/);
      await set(page, "bucketMb", 250);
      await set(page, "wire", "bf16");
      await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="budget-ok"]');
      assert.match((await slot(page, "summary")).text, /MET/);
      await set(page, "overlap", false);
      await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
      await set(page, "overlap", true);
      await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="budget-ok"]');
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
      await page.screenshot({ path: `${shots}/v2-06-light.png`, fullPage: true });
      for (
        const cell of [
          "act1Metrics",
          "act1Anatomy",
          "act1Chart",
          "act2Metrics",
          "act2Timeline",
          "act2Curve",
        ]
      ) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-06-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-06-390.png`, fullPage: true });
      for (const cell of ["act1Intro", "act1Chart", "act2Controls", "act2Metrics", "act2Curve"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-06-390-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-06-dark.png`, fullPage: true });
      for (const cell of ["act1Chart", "act2Timeline", "act2Curve"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-06-dark-${cell}.png`,
        });
      }
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest("v2-06: exported file from file:// offline keeps its lock", async (browser) => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-v2-06-" });
  try {
    const { html } = await exportLab("v2-06");
    await stopExportBundler();
    assert.ok(!/the answer is|you predicted/i.test(html));
    const file = `${dir}/v2-06.html`;
    await Deno.writeTextFile(file, html);
    const ctx = await browser.newContext({ offline: true });
    const page = await ctx.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file://")) requests.push(r.url());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`file://${file}`);
    await page.evaluate(() => (globalThis as unknown as W).__syslab?.ready);
    // Before the commit the exported page shows nothing behind the lock.
    assert.equal((await slot(page, "act1Chart")).text, "");
    const right = await correctLetter(page, "act1");
    const wrong = ["A", "B", "C", "D"].find((l) => l !== right)!;
    const lock = page.locator('[data-testid="act1-lock"]');
    await lock.getByLabel(new RegExp(`^${wrong}\\) ≈`)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "summary")).text, /WRONG/);
    await page.reload();
    await page.evaluate(() => (globalThis as unknown as W).__syslab?.ready);
    await settled(page);
    assert.equal(await value(page, "act1Lock"), wrong);
    await assertLocked(page, "export after reload");
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    // Act II works offline: its banner appears and clears.
    await set(page, "act2Lock", "A");
    await set(page, "overlap", false);
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
    await set(page, "overlap", true);
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="budget-ok"]');
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
    assert.deepEqual(problems, []);
    await ctx.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
