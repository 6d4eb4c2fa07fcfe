/**
 * Lab v1-13 in the browser: commit Act I with the mouse, move the load slider with the keyboard
 * and see the P99 histogram's bars change in place, then commit Act II, start at one replica
 * (the unstable queue's banner) and add replicas until the target is met. With
 * `V1_13_SHOTS=<dir>` it also saves light, dark and 390 px screenshots after both commits.
 */
import assert from "node:assert/strict";
import { browserSuite, correctLetter, type Page, ROOT, settled, slot } from "./harness.ts";
import { act2Answer } from "../../labs/v1-13/scenario.ts";

const LAB = new URL("labs/v1-13.ts", ROOT);
type W = {
  __syslab: {
    setInput(name: string, value: unknown): void;
    engine: { value(n: string): unknown };
  };
};

const rightLetter = correctLetter;

/** The bars' outlines in a histogram cell. */
const bars = (page: Page, cell: string) =>
  page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps) => ps.map((p) => p.getAttribute("d") ?? "").join("|"),
  );

const set = async (page: Page, name: string, value: unknown) => {
  await page.evaluate(([n, v]) => (globalThis as unknown as W).__syslab.setInput(n as string, v), [
    name,
    value,
  ]);
  await settled(page);
};

browserSuite("v1-13: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await t.step("the lock gates Act I; committing it reveals the histogram", async () => {
    assert.equal((await slot(page, "act1Histogram")).text, "");
    const lock = page.locator('[data-testid="act1-lock"]');
    const right = await rightLetter(page, "act1");
    await lock.getByLabel(new RegExp(`^${right}\\) ≈`)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Histogram"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Correct\./);
  });

  await t.step("raising the load moves the histogram in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Histogram"] svg path').length > 5
    );
    const before = await bars(page, "act1Histogram");
    const p99Before = (await slot(page, "act1Metrics")).text;
    const svg = await page.$('section[data-cell="act1Histogram"] svg');
    await page.locator('[data-testid="load"] input[type="range"]').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    await settled(page);
    await page.waitForFunction(
      (b) =>
        [...document.querySelectorAll('section[data-cell="act1Histogram"] .syslab-chart-view path')]
          .map((p) => p.getAttribute("d") ?? "").join("|") !== b,
      before,
      { timeout: 5000 },
    );
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    assert.notEqual((await slot(page, "act1Metrics")).text, p99Before);
    const load = await page.evaluate(() =>
      (globalThis as unknown as W).__syslab.engine.value("load")
    );
    assert.equal(load, 95); // four steps right of 80 %: 85, 90, 93, 95
  });

  await t.step("Act II: one replica is unstable; the solver's count meets the target", async () => {
    await set(page, "load", 80);
    await set(page, "act2Lock", await rightLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
    assert.match((await slot(page, "act2Verdict")).text, /Queue unstable/);
    assert.match((await slot(page, "summary")).text, /FAILED/);
    await set(page, "replicaCount", act2Answer("chat") - 1);
    assert.match((await slot(page, "act2Verdict")).text, /target missed/);
    await set(page, "replicaCount", act2Answer("chat"));
    assert.match((await slot(page, "act2Verdict")).text, /Target met/);
    assert.match((await slot(page, "summary")).text, /MET/);
  });

  const shots = Deno.env.get("V1_13_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v1-13-light.png`, fullPage: true });
      for (const cell of ["act1Metrics", "act1Histogram", "act1Hockey", "act2Metrics"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v1-13-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v1-13-390.png`, fullPage: true });
      for (const cell of ["act1Intro", "act1Histogram", "act1Hockey", "act2Metrics"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v1-13-390-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v1-13-dark.png`, fullPage: true });
    });
  }
  assert.deepEqual(errors, []);
});
