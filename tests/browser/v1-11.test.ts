/**
 * Lab v1-11 in the browser: commit the Act I prediction with the mouse, move the matrix-size
 * slider with the keyboard and see the roofline chart's point move in place, then drive Act II
 * to the OOM and memory-bound failure banners and back.
 */
import assert from "node:assert/strict";
import { browserSuite, correctLetter, type Page, ROOT, settled, slot } from "./harness.ts";

const LAB = new URL("labs/v1-11.ts", ROOT);
type W = {
  __syslab: {
    setInput(name: string, value: unknown): void;
  };
};

const rightLetter = correctLetter;

/** The SVG transforms of the chart's symbol marks (ridge and workload point). */
const symbols = (page: Page, cell: string) =>
  page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps) => ps.map((p) => p.getAttribute("transform")).filter((t) => t && t !== "translate(6,6)"),
  );

const set = async (page: Page, name: string, value: unknown) => {
  await page.evaluate(([n, v]) => (globalThis as unknown as W).__syslab.setInput(n as string, v), [
    name,
    value,
  ]);
  await settled(page);
};

browserSuite("v1-11: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await t.step("the lock gates Act I; committing it reveals the roofline", async () => {
    assert.equal((await slot(page, "act1Chart")).text, "");
    const lock = page.locator('[data-testid="act1-lock"]');
    const right = await rightLetter(page, "act1");
    await lock.getByLabel(new RegExp(`^${right}\\) ≈`)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Correct\./);
  });

  await t.step("moving N moves the workload's point along the roof", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Chart"] svg path').length > 2
    );
    const before = await symbols(page, "act1Chart");
    const svg = await page.$('section[data-cell="act1Chart"] svg');
    await page.locator('[data-testid="n"] input[type="range"]').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    await settled(page);
    await page.waitForFunction(
      (b) =>
        JSON.stringify(
          [...document.querySelectorAll('section[data-cell="act1Chart"] .syslab-chart-view path')]
            .map((p) => p.getAttribute("transform")).filter((t) => t && t !== "translate(6,6)"),
        ) !== b,
      JSON.stringify(before),
      { timeout: 5000 },
    );
    assert.notDeepEqual(await symbols(page, "act1Chart"), before);
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    assert.match((await slot(page, "act1Metrics")).text, /compute-bound/);
  });

  await t.step("Act II: OOM and memory-bound banners, then the target met", async () => {
    await set(page, "act2Lock", await rightLetter(page, "act2"));
    await set(page, "gpu", "jetson-orin-nx");
    await set(page, "precision", "bf16");
    await set(page, "n2", 131072);
    assert.match((await slot(page, "act2Verdict")).text, /OOM/);
    await set(page, "n2", 64);
    assert.match((await slot(page, "act2Verdict")).text, /Memory-bound/);
    await set(page, "n2", 4096);
    assert.match((await slot(page, "act2Verdict")).text, /Target met/);
    assert.match((await slot(page, "summary")).text, /MET/);
  });
  assert.deepEqual(errors, []);
});
