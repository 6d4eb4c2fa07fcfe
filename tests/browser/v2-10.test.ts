/**
 * Lab v2-10 walkthrough in Chromium: predict, move sliders, read the overlay, trigger and clear
 * OOM (Act I and Act II), then reload and find the prediction in the design ledger (on disk and
 * in the page). Screenshots of both acts go to $SYSLAB_SHOTS when set.
 */
import assert from "node:assert/strict";
import { browserSuite, type Page, ROOT, settled } from "./harness.ts";

const LAB = new URL("labs/v2-10.ts", ROOT);
type W = {
  __syslab: { engine: { value(n: string): unknown }; setInput(n: string, v: unknown): void };
};
const value = (page: Page, name: string) =>
  page.evaluate((n) => (globalThis as unknown as W).__syslab.engine.value(n), name);
const text = (page: Page, cell: string) => page.locator(`section[data-cell="${cell}"]`).innerText();
const shots = Deno.env.get("SYSLAB_SHOTS");
/** The position (0–3) of the option the lab computes as correct for `act`. */
const rightIndex = (page: Page, act: string) =>
  page.evaluate((a) => {
    const p = (globalThis as unknown as W).__syslab.engine.value(`${a}Prediction`) as {
      grade(v: string): { correct: boolean };
    };
    return ["A", "B", "C", "D"].findIndex((l) => p.grade(l).correct);
  }, act);

browserSuite("v2-10: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  let right1 = -1, right2 = -1;
  await t.step("Act I: locked until the prediction is committed", async () => {
    assert.match(await text(page, "act1"), /Commit your prediction to continue/);
    assert.equal(await page.locator(`section[data-cell="act1Chart"] svg`).count(), 0);
    right1 = await rightIndex(page, "act1");
    await page.locator(`[data-testid="act1-lock"] input[type=radio]`).nth(right1).check();
    await page.locator(`[data-testid="act1-lock"] button`).first().click();
    await page.waitForSelector(`section[data-cell="act1Chart"] svg`);
    await settled(page);
    const overlay = await text(page, "act1Reveal");
    assert.match(overlay, /Ratio physics \/ pick = 1\.00×/);
    assert.match(overlay, /Correct\./);
  });

  await t.step("Act I: the context slider moves the calculator and the chart", async () => {
    const before = await value(page, "wall") as { maxUsers: number };
    const svg = await page.locator(`section[data-cell="act1Chart"] svg`).innerHTML();
    const slider = page.locator(`[data-testid="seq-len"] input[type=range]`);
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await settled(page);
    const after = await value(page, "wall") as { maxUsers: number };
    assert.equal(await value(page, "seqLen"), 8192);
    assert.ok(after.maxUsers < before.maxUsers / 1.9, `${before.maxUsers} → ${after.maxUsers}`);
    assert.notEqual(await page.locator(`section[data-cell="act1Chart"] svg`).innerHTML(), svg);
    assert.match(
      await text(page, "act1Metrics"),
      new RegExp(after.maxUsers.toLocaleString("en-US")),
    );
    if (shots) await page.screenshot({ path: `${shots}/v2-10-act1.png`, fullPage: true });
  });

  await t.step("Act I: OOM on one H100 appears and clears", async () => {
    await page.locator(`[data-testid="cluster"] input[type=radio]`).nth(0).check();
    await settled(page);
    assert.equal(await page.locator(`[data-testid="oom-act1"]`).count(), 1);
    assert.match(await text(page, "act1Verdict"), /weights alone \(141\.1 GB\) exceed/);
    await page.locator(`[data-testid="cluster"] input[type=radio]`).nth(1).check();
    await settled(page);
    assert.equal(await page.locator(`[data-testid="oom-act1"]`).count(), 0);
  });

  await t.step("Act II: predict, break the SLO and memory, then fix both", async () => {
    right2 = await rightIndex(page, "act2");
    await page.locator(`[data-testid="act2-lock"] input[type=radio]`).nth(right2).check();
    await page.locator(`[data-testid="act2-lock"] button`).first().click();
    await page.waitForSelector(`section[data-cell="act2Chart"] svg`);
    await settled(page);
    // The seed's default latency config (batch 4) cannot keep up with 4 requests/s.
    assert.equal(await page.locator(`[data-testid="slo-lat"]`).count(), 1);
    const batch = page.locator(`[data-testid="lat-batch"] input[type=range]`);
    await batch.focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await value(page, "latBatch"), 16);
    assert.equal(await page.locator(`[data-testid="slo-lat"]`).count(), 0);
    assert.equal(await page.locator(`[data-testid="slo-ok"]`).count(), 1);
    // Throughput config: the largest batch at the longest requests runs out of memory.
    await page.locator(`[data-testid="tput-batch"] input[type=range]`).focus();
    await page.keyboard.press("End");
    await page.locator(`[data-testid="tput-seq"] input[type=range]`).focus();
    await page.keyboard.press("End");
    await settled(page);
    assert.equal(await page.locator(`[data-testid="oom-tput"]`).count(), 1);
    await page.keyboard.press("Home");
    await settled(page);
    assert.equal(await page.locator(`[data-testid="oom-tput"]`).count(), 0);
    assert.match(await text(page, "act2Reveal"), /Correct/);
    if (shots) {
      await page.locator(`section[data-cell="act2Intro"]`).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/v2-10-act2.png`, fullPage: true });
    }
  });

  await t.step("reload: predictions and the design ledger survive", async () => {
    await page.waitForFunction(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.["v2-10"]
        ?.act1_prediction !== undefined
    );
    const l1 = "ABCD"[right1], l2 = "ABCD"[right2];
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as W).__syslab);
    await settled(page);
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.["v2-10"]
    );
    assert.equal(stored.act1_prediction, l1);
    assert.equal(stored.act1_correct, true);
    assert.equal(stored.predictions.act2_prediction, l2);
    assert.equal(stored.acts.act2.prediction, l2);
    const onDisk = JSON.parse(await Deno.readTextFile(env.ledgerPath)).labs["v2-10"];
    assert.equal(onDisk.act1_prediction, l1);
    // The locks are still committed, the HUD says so.
    assert.equal(await value(page, "act1Lock"), l1);
    assert.match(await text(page, "summary"), /Act I\nCORRECT/);
    const status = await page.$eval(
      `[data-testid="ledger-status"]`,
      (el) => (el.shadowRoot?.textContent ?? el.textContent ?? "").trim(),
    );
    assert.match(status, /saved/);
  });

  assert.deepEqual(errors, []);
  // Not even a failed request on a fresh page (no ledger yet is not an error).
  assert.deepEqual(env.consoleErrors, []);
});
