/**
 * Lab v1-08 in the browser, as a student walks it: commit a wrong Act I answer with the mouse,
 * move the micro-batch slider with the keyboard (the stack chart changes in place), reload and
 * open a second tab (still committed, still wrong), commit Act II and find the OOM banner, make
 * it fit with the best plan's knobs and break it again; then the exported file from file://
 * offline (no request, the lock holds across a reload). With `V1_08_SHOTS=<dir>` it saves light,
 * dark and 390 px screenshots.
 */
import assert from "node:assert/strict";
import { browserSuite, correctLetter, type Page, ROOT, settled, slot } from "./harness.ts";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { act2Best, act2Plans } from "../../labs/v1-08/scenario.ts";

const LAB = new URL("labs/v1-08.ts", ROOT);
type W = {
  __syslab: {
    ready: Promise<void>;
    setInput(name: string, value: unknown): void;
    engine: { value(n: string): unknown; settled(): Promise<unknown> };
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
/** The Act I lock renders committed: no options to pick, a "Locked" badge. */
const assertLocked = async (page: Page) => {
  const lock = page.locator('[data-testid="act1-lock"]');
  assert.equal(await lock.locator('input[type="radio"]').count(), 0);
  assert.match(await lock.locator(".locked").innerText(), /Locked/);
};
const paths = (page: Page, cell: string) =>
  page.$$eval(
    `section[data-cell="${cell}"] .syslab-chart-view path`,
    (ps) => ps.map((p) => p.getAttribute("d") ?? "").join("|"),
  );

browserSuite("v1-08: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  let wrong = "";

  await t.step("the lock gates Act I; a wrong commit reveals the stack", async () => {
    assert.equal((await slot(page, "act1Chart")).text, "");
    const right = await correctLetter(page, "act1");
    wrong = ["A", "B", "C", "D"].find((l) => l !== right)!;
    const lock = page.locator('[data-testid="act1-lock"]');
    await lock.getByLabel(new RegExp(`^${wrong}\\) ≈`)).check();
    await lock.getByRole("button", { name: "Commit prediction" }).click();
    await settled(page);
    await page.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    assert.match((await slot(page, "summary")).text, /WRONG/);
  });

  await t.step("the micro-batch slider moves the stack in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Chart"] svg path').length > 5
    );
    const before = await paths(page, "act1Chart");
    const svg = await page.$('section[data-cell="act1Chart"] svg');
    await page.locator('[data-testid="micro1"] input[type="range"]').focus();
    await page.keyboard.press("ArrowRight");
    await settled(page);
    await page.waitForFunction(
      (b) =>
        [...document.querySelectorAll('section[data-cell="act1Chart"] .syslab-chart-view path')]
          .map((p) => p.getAttribute("d") ?? "").join("|") !== b,
      before,
      { timeout: 5000 },
    );
    assert.ok(await svg!.evaluate((el) => el.isConnected), "the view was updated in place");
    assert.equal(await value(page, "microBatch1"), 8);
    assert.match((await slot(page, "act1Metrics")).text, /Peak per step/);
  });

  await t.step("reload and a second tab: the wrong commit is final", async () => {
    await page.waitForFunction(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.["v1-08"]
        ?.act1_prediction !== undefined
    );
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as W).__syslab);
    await page.evaluate(() => (globalThis as unknown as W).__syslab.ready);
    await settled(page);
    assert.equal(await value(page, "act1Lock"), wrong);
    assert.match((await slot(page, "act1Reveal")).text, /Not quite/);
    await assertLocked(page);
    const tab = await page.context().newPage();
    await tab.goto(page.url());
    await tab.waitForFunction(() => (globalThis as unknown as W).__syslab);
    await tab.evaluate(() => (globalThis as unknown as W).__syslab.ready);
    await settled(tab);
    assert.equal(await value(tab, "act1Lock"), wrong);
    assert.match((await slot(tab, "summary")).text, /WRONG/);
    await tab.close();
  });

  await t.step("Act II: the failed run is OOM; the best plan fits; back is OOM", async () => {
    await set(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
    assert.match((await slot(page, "act2Verdict")).text, /OOM/);
    assert.match((await slot(page, "summary")).text, /OOM/);
    const best = act2Plans("cloud")[act2Best("cloud")].design;
    await set(page, "setup", best.setup);
    await set(page, "microBatch2", best.microBatch);
    await set(page, "recompute", best.recompute);
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="fits-ok"]');
    assert.match((await slot(page, "act2Reveal")).text, /Correct/);
    await set(page, "setup", "mixed");
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
    await set(page, "setup", best.setup);
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="fits-ok"]');
  });

  const shots = Deno.env.get("V1_08_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v1-08-light.png`, fullPage: true });
      for (const cell of ["act1Metrics", "act1Chart", "act2Metrics", "act2Chart", "act2Tradeoff"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v1-08-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v1-08-390.png`, fullPage: true });
      for (const cell of ["act1Chart", "act2Controls", "act2Metrics", "act2Chart"]) {
        await page.locator(`section[data-cell="${cell}"]`).screenshot({
          path: `${shots}/v1-08-390-${cell}.png`,
        });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${shots}/v1-08-dark.png`, fullPage: true });
      await page.locator(`section[data-cell="act2Chart"]`).screenshot({
        path: `${shots}/v1-08-dark-act2Chart.png`,
      });
      await page.emulateMedia({ colorScheme: "light" });
      // The other context, both acts committed, the math peeks open.
      const w = await env.open();
      w.once("dialog", (d) => d.accept());
      await Promise.all([
        w.waitForEvent("load"),
        w.getByRole("button", { name: "Start this lab over" }).click(),
      ]);
      await w.waitForFunction(() => (globalThis as unknown as W).__syslab);
      await w.evaluate(() => (globalThis as unknown as W).__syslab.ready);
      await settled(w);
      await set(w, "context", "workstation");
      await set(w, "act1Lock", await correctLetter(w, "act1"));
      await set(w, "act2Lock", await correctLetter(w, "act2"));
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
      const { html } = await exportLab("v1-08");
      await stopExportBundler();
      assert.doesNotMatch(html, /the answer is|you predicted/i);
      const file = `${dir}/v1-08.html`;
      await Deno.writeTextFile(file, html);
      const ctx = await env.browser.newContext({ offline: true });
      const p = await ctx.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      p.on("request", (r) => {
        if (!r.url().startsWith("file://")) requests.push(r.url());
      });
      p.on("pageerror", (e) => problems.push(e.message));
      p.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      const openIt = async () => {
        await p.goto(`file://${file}`);
        await p.evaluate(() => (globalThis as unknown as W).__syslab?.ready);
        await settled(p);
      };
      await openIt();
      assert.equal((await slot(p, "act1Chart")).text, "");
      const lock = p.locator('[data-testid="act1-lock"]');
      await lock.getByLabel(/^A\) ≈/).check();
      await lock.getByRole("button", { name: "Commit prediction" }).click();
      await p.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
      await openIt();
      assert.equal(await value(p, "act1Lock"), "A");
      await assertLocked(p);
      await p.waitForSelector('section[data-cell="act1Chart"] svg', { timeout: 15000 });
      await set(p, "act2Lock", "B");
      await p.waitForSelector('section[data-cell="act2Verdict"] [data-testid="oom-banner"]');
      assert.equal(await p.locator("section.syslab-cell[data-state=error]").count(), 0);
      assert.deepEqual(requests, []);
      assert.deepEqual(problems, []);
      if (shots) await p.screenshot({ path: `${shots}/v1-08-export.png`, fullPage: true });
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
});
