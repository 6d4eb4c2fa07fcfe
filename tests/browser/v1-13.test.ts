/**
 * Lab v1-13 in the browser: commit Act I with the mouse, move the load slider with the keyboard
 * and see the P99 histogram's bars change in place, then commit Act II, start at one replica
 * (the unstable queue's banner) and add replicas until the target is met. With
 * `V1_13_SHOTS=<dir>` it also saves light, dark and 390 px screenshots after both commits.
 */
import assert from "node:assert/strict";
import { browserSuite, correctLetter, ROOT, slot } from "./harness.ts";
import {
  collectPageErrors,
  commitWithMouse,
  inputValue,
  saveScreenshots,
  setInput,
  slideMovesChart,
} from "./walk.ts";
import { act2Answer } from "../../labs/v1-13/scenario.ts";

const LAB = new URL("labs/v1-13.ts", ROOT);

browserSuite("v1-13: walkthrough", { lab: LAB, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors = collectPageErrors(page);

  await t.step("the lock gates Act I; committing it reveals the histogram", async () => {
    assert.equal((await slot(page, "act1Histogram")).text, "");
    await commitWithMouse(page, "act1", await correctLetter(page, "act1"));
    await page.waitForSelector('section[data-cell="act1Histogram"] svg', { timeout: 15000 });
    assert.match((await slot(page, "act1Reveal")).text, /Correct\./);
  });

  await t.step("raising the load moves the histogram in place", async () => {
    await page.waitForFunction(() =>
      document.querySelectorAll('section[data-cell="act1Histogram"] svg path').length > 5
    );
    const p99Before = (await slot(page, "act1Metrics")).text;
    await slideMovesChart(page, { slider: "load", steps: 4, cell: "act1Histogram" });
    assert.notEqual((await slot(page, "act1Metrics")).text, p99Before);
    assert.equal(await inputValue(page, "load"), 95); // four steps right of 80 %: 85, 90, 93, 95
  });

  await t.step("Act II: one replica is unstable; the solver's count meets the target", async () => {
    await setInput(page, "load", 80);
    await setInput(page, "act2Lock", await correctLetter(page, "act2"));
    await page.waitForSelector('section[data-cell="act2Verdict"] [data-testid="failure-banner"]');
    assert.match((await slot(page, "act2Verdict")).text, /Queue unstable/);
    assert.match((await slot(page, "summary")).text, /FAILED/);
    await setInput(page, "replicaCount", act2Answer("chat") - 1);
    assert.match((await slot(page, "act2Verdict")).text, /target missed/);
    await setInput(page, "replicaCount", act2Answer("chat"));
    assert.match((await slot(page, "act2Verdict")).text, /Target met/);
    assert.match((await slot(page, "summary")).text, /MET/);
  });

  const shots = Deno.env.get("V1_13_SHOTS");
  if (shots) {
    await t.step("screenshots", async () => {
      await saveScreenshots(page, shots, {
        id: "v1-13",
        waitMs: 500,
        light: ["act1Metrics", "act1Histogram", "act1Hockey", "act2Metrics"],
        narrow: ["act1Intro", "act1Histogram", "act1Hockey", "act2Metrics"],
      });
    });
  }
  assert.deepEqual(errors, []);
});
