/**
 * Hot reload end to end: editing one cell's source re-runs only what changed and keeps the other
 * inputs' values and live elements; a syntax error keeps the last good page under an overlay; a
 * type error shows in the overlay; a change outside the lab reloads the page with inputs kept.
 */
import assert from "node:assert/strict";
import { type TmpLab, tmpLab } from "../serve/tmp-lab.ts";
import { browserSuite, MINI_LAB, type Page, settled } from "./harness.ts";

type W = {
  __syslab: {
    engine: { value(n: string): unknown };
    traces: Array<{ inputs: string[]; runs: Array<{ cell: string }> }>;
  };
  __syslabDev: { builds: number[] };
  __marker?: number;
};

let lab: TmpLab;

const sq = (page: Page) => page.textContent("#sq");

browserSuite("hot reload", {
  typecheck: true,
  prepare: async () => (lab = await tmpLab(MINI_LAB)).url,
  cleanup: () => lab.remove(),
}, async (t, env) => {
  const page = await env.open();

  await t.step(
    "editing one cell re-runs it and its readers; other inputs keep values",
    async () => {
      const k = page.locator(`[data-syslab-input="k"] input`);
      await k.focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
      await settled(page);
      await page.evaluate(() => {
        const w = globalThis as unknown as W;
        w.__marker = 1;
        (document.querySelector(`[data-syslab-input="k"] > *`) as unknown as { __mark: number })
          .__mark = 7;
      });
      assert.equal(await sq(page), "9");
      await lab.write(lab.source.replace("n * n", "n * n + 1000"));
      await page.waitForFunction(
        () => document.querySelector("#sq")?.textContent === "1009",
        null,
        {
          timeout: 10_000,
        },
      );
      await settled(page);
      const state = await page.evaluate(() => {
        const w = globalThis as unknown as W;
        const tr = w.__syslab.traces;
        const last = JSON.parse(JSON.stringify(tr[tr.length - 1]));
        return {
          marker: w.__marker,
          k: w.__syslab.engine.value("k"),
          mark: (document.querySelector(`[data-syslab-input="k"] > *`) as unknown as {
            __mark?: number;
          })?.__mark,
          builds: w.__syslabDev.builds.length,
          ran: last.runs.map((r: { cell: string }) => r.cell).sort(),
        };
      });
      assert.deepEqual(state, {
        marker: 1, // no page reload
        k: 5,
        mark: 7, // the same live element
        builds: 2,
        ran: ["answer", "layout", "sq"],
      });
    },
  );

  await t.step("a syntax error shows an overlay and keeps the last good page", async () => {
    await lab.write(lab.source.replace("n * n", "n * n +"));
    await page.waitForSelector(`.syslab-overlay[data-kind="build"]`, { timeout: 10_000 });
    assert.match((await page.textContent(".syslab-overlay"))!, /lab\.ts:\d+/);
    assert.equal(await sq(page), "1009");
    await page.evaluate(() =>
      (globalThis as unknown as { __syslab: { setInput(n: string, v: number): void } }).__syslab
        .setInput("n", 4)
    );
    await settled(page);
    assert.equal(await sq(page), "1016"); // the last good page is alive
    await lab.write(lab.source.replace("n * n", "n * n + 2000"));
    await page.waitForFunction(() => document.querySelector("#sq")?.textContent === "2016", null, {
      timeout: 10_000,
    });
    assert.equal(await page.$(`.syslab-overlay[data-kind="build"]`), null);
  });

  await t.step("a type error shows in the overlay (deno check in the background)", async () => {
    await lab.write(
      lab.source.replace(`boom.toUpperCase()`, `boom.toUpperCase()`)
        .replace(`.cell("sq", ({ n }) => n * n)`, `.cell("sq", ({ n }) => n.toFixed(0) * 2)`),
    );
    await page.waitForSelector(`.syslab-overlay[data-kind="types"]`, { timeout: 20_000 });
    assert.match((await page.textContent(`.syslab-overlay[data-kind="types"]`))!, /TS\d+/);
    await lab.write(lab.source);
    await page.waitForSelector(`.syslab-overlay[data-kind="types"]`, {
      state: "detached",
      timeout: 20_000,
    });
  });

  await t.step(
    "a change to the lab's imports reloads the page and keeps input values",
    async () => {
      await settled(page);
      const k = await page.evaluate(() => (globalThis as unknown as W).__syslab.engine.value("k"));
      await Deno.writeTextFile(
        new URL("side.ts", lab.url),
        "(globalThis as Record<string, unknown>).__side = 1;\n",
      );
      await lab.write(`import "./side.ts";\n${lab.source}`);
      await page.waitForFunction(() => !(globalThis as unknown as W).__marker, null, {
        timeout: 10_000,
      });
      await page.waitForFunction(() => (globalThis as unknown as W).__syslab);
      await settled(page);
      assert.equal(
        await page.evaluate(() => (globalThis as unknown as W).__syslab.engine.value("k")),
        k,
      );
    },
  );
});
