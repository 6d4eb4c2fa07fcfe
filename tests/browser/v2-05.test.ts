/**
 * Lab v2-05 in the browser: commit a wrong Act I answer with the mouse, reload (still committed
 * and disabled, still wrong), move the microbatch slider with the keyboard and see the MFU chart's
 * point move in place; commit Act II, meet the OOM banner of the starting layout, deepen the
 * pipeline until it fits, cross the node boundary with TP 16 and come back. Then the exported
 * file from file://: the locks hold (nothing behind Act I before the commit) and a commit works
 * offline. With `V2_05_SHOTS=<dir>` it saves light, dark and 390 px screenshots.
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

const LAB = new URL("labs/v2-05.ts", ROOT);
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
    (ps) => ps.map((p) => `${p.getAttribute("d")}@${p.getAttribute("transform")}`).join("|"),
  );

browserSuite("v2-05: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  let wrong = "";

  await t.step("Act I: a wrong commit with the mouse; the chart appears", async () => {
    assert.equal((await slot(page, "act1Chart")).text, "");
    const right = await correctLetter(page, "act1");
    wrong = right === "A" ? "B" : "A";
    const lock = page.locator('[data-testid="act1-lock"]');
    await lock.getByLabel(new RegExp(`^${wrong}\\) ≈`)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    assert.match((await slot(page, "summary")).text, /WRONG/);
  });

  await t.step("reload: the commit is final", async () => {
    await page.waitForFunction(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.["v2-05"]
        ?.act1_prediction !== undefined
    );
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as W).__syslab);
    await settled(page);
    const v = await page.evaluate(() =>
      (globalThis as unknown as W).__syslab.engine.value("act1Lock")
    );
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
    const before = await paths(page, "act1Chart");
    const svg = await page.$('section[data-cell="act1Chart"] .syslab-chart-view svg');
    const mfuBefore = (await slot(page, "act1Metrics")).text;
    await page.locator('[data-testid="microbatches"] input[type="range"]').focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await settled(page);
    await page.waitForFunction(
      (b) =>
        [...document.querySelectorAll('section[data-cell="act1Chart"] .syslab-chart-view path')]
          .map((p) => `${p.getAttribute("d")}@${p.getAttribute("transform")}`).join("|") !== b,
      before,
      { timeout: 5000 },
    );
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    assert.notEqual((await slot(page, "act1Metrics")).text, mfuBefore);
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as W).__syslab.engine.value("microbatches")),
      48,
    );
  });

  await t.step("Act II: OOM, then a layout that fits, then TP across nodes and back", async () => {
    await set(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
    assert.match((await slot(page, "summary")).text, /OOM/);
    await set(page, "pp", 8);
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
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-05-light.png`, fullPage: true });
      for (
        const cell of ["act1Metrics", "act1Chart", "act2Metrics", "act2Memory", "act2Frontier"]
      ) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-05-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-05-390.png`, fullPage: true });
      for (const cell of ["act1Intro", "act1Metrics", "act2Controls", "act2Frontier"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v2-05-390-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${shots}/v2-05-dark.png`, fullPage: true });
    });
  }
  assert.deepEqual(errors, []);
});

browserOnlyTest("v2-05: the exported file from file:// holds its locks", async (browser) => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-v2-05-" });
  try {
    const { html } = await exportLab("v2-05");
    await stopExportBundler();
    const file = `${dir}/v2-05.html`;
    await Deno.writeTextFile(file, html);
    const ctx = await browser.newContext({ offline: true });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    await page.goto(`file://${file}`);
    await page.evaluate(() =>
      (globalThis as { __syslab?: { ready: Promise<void> } }).__syslab?.ready
    );
    // Nothing behind the lock in the file or the page before the commit.
    assert.equal((await slot(page, "act1Chart")).text, "");
    assert.doesNotMatch(html, /data-testid="act1-where"/);
    const right = await correctLetter(page, "act1");
    await page.evaluate(
      (a) => (globalThis as unknown as W).__syslab.setInput("act1Lock", a),
      right,
    );
    await page.waitForSelector('section[data-cell="act1Chart"] .syslab-chart-view svg', {
      timeout: 15000,
    });
    assert.match((await slot(page, "act1Reveal")).text, /Correct/);
    await page.reload();
    await page.evaluate(() =>
      (globalThis as { __syslab?: { ready: Promise<void> } }).__syslab?.ready
    );
    await settled(page);
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as W).__syslab.engine.value("act1Lock")),
      right,
      "the commit survives a reload from file://",
    );
    assert.deepEqual(problems, []);
    await ctx.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
