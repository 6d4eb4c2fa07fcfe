/**
 * The page runtime (runtime/browser.ts) end to end on the fixture lab: inputs by mouse and
 * keyboard, in-place mounts, errors in place, stop-gates, the trace overlay, the ledger endpoint
 * across a reload.
 */
import assert from "node:assert/strict";
import { browserSuite, type Page, settled, slot } from "./harness.ts";

type W = {
  __syslab: {
    engine: { value(n: string): unknown };
    traces: Array<{ inputs: string[]; runs: Array<{ cell: string }> }>;
    setInput(n: string, v: unknown): void;
  };
};

const value = (page: Page, name: string) =>
  page.evaluate((n) => (globalThis as unknown as W).__syslab.engine.value(n), name);

browserSuite("page runtime on the fixture lab", {}, async (t, env) => {
  const page = await env.open();

  await t.step("every displayed cell has a slot, in file order, with a state", async () => {
    const cells = await page.$$eval(
      "section.syslab-cell",
      (els) => els.map((e) => [(e as HTMLElement).dataset.cell, (e as HTMLElement).dataset.state]),
    );
    assert.deepEqual(cells.map((c) => c[0]), [
      "n",
      "k",
      "locked",
      "sq", // a plain cell has a slot; it shows only renderable values (a number: nothing)
      "layout",
      "chart",
      "boom",
      "answer",
      "reveal",
    ]);
    assert.equal(await page.$eval(`section[data-cell="sq"]`, (e) => e.innerHTML), "");
    assert.equal(
      await page.$eval(`section[data-cell="k"]`, (e) => (e as HTMLElement).hidden),
      true,
    );
    assert.deepEqual(await slot(page, "reveal"), { state: "stopped", text: "" });
  });

  await t.step("a slider moves by keyboard and by mouse; one live element each", async () => {
    const n = page.locator(`section[data-cell="n"] input[type=range]`);
    await n.focus();
    await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await value(page, "n"), 4);
    assert.equal(await page.textContent("#sq"), "16");
    const box = (await n.boundingBox())!;
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    await settled(page);
    assert.equal(await value(page, "n"), 10);
    assert.equal(await page.textContent("#sq"), "100");
    // k lives inside the layout cell, not in its own slot
    const k = page.locator(`section[data-cell="layout"] [data-syslab-input="k"] input`);
    await k.focus();
    await page.keyboard.press("ArrowRight");
    await settled(page);
    assert.equal(await value(page, "k"), 3);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("type")), "range");
  });

  await t.step("a mounted output updates in place", async () => {
    const before = await page.$eval(
      `section[data-cell="chart"] svg`,
      (s) => (s as unknown as { __created: number }).__created,
    );
    await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("n", 2));
    await settled(page);
    const after = await page.$eval(`section[data-cell="chart"] svg`, (s) => [
      (s as unknown as { __created: number }).__created,
      s.getAttribute("aria-label"),
    ]);
    assert.deepEqual(after, [before, "bar 2"]);
    assert.equal(
      await page.$eval(`section[data-cell="n"] input`, (e) => (e as HTMLInputElement).value),
      "2",
    );
  });

  await t.step("a throwing cell shows its error in place; the others keep updating", async () => {
    await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("k", 7));
    await settled(page);
    const boom = await slot(page, "boom");
    assert.equal(boom.state, "error");
    assert.match(boom.text, /CellRuntimeError.*boom.*k is too big: 7/);
    await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("n", 5));
    await settled(page);
    assert.equal(await page.textContent("#sq"), "25");
    assert.equal((await slot(page, "boom")).state, "error");
    await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("k", 1));
    await settled(page);
    assert.deepEqual(await slot(page, "boom"), { state: "ok", text: "k ok: 1" });
  });

  await t.step(
    "a stop-gate holds its descendants until the box is ticked (mouse, keyboard)",
    async () => {
      assert.deepEqual(await slot(page, "reveal"), { state: "stopped", text: "" });
      await page.click(`section[data-cell="locked"] input[type=checkbox]`);
      await settled(page);
      assert.deepEqual(await slot(page, "reveal"), { state: "ok", text: "answer: 25" });
      await page.focus(`section[data-cell="locked"] input[type=checkbox]`);
      await page.keyboard.press("Space");
      await settled(page);
      assert.equal((await slot(page, "reveal")).state, "stopped");
    },
  );

  await t.step("the trace names the input and the cells that ran, in order", async () => {
    await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("n", 6));
    await settled(page);
    const last = await page.evaluate(() => {
      const tr = (globalThis as unknown as W).__syslab.traces;
      return JSON.parse(JSON.stringify(tr[tr.length - 1])) as W["__syslab"]["traces"][number];
    });
    assert.deepEqual(last.inputs, ["n"]);
    assert.deepEqual(
      last.runs.map((r) => r.cell).sort(),
      ["chart", "sq", "layout", "answer"].sort(),
    );
    await page.click(".syslab-dev-toggle");
    const text = await page.textContent(".syslab-trace");
    assert.match(text ?? "", /input n changed/);
    assert.match(text ?? "", /sq — /);
  });

  await t.step("?trace opens the overlay at once", async () => {
    const p = await env.open({ query: "?trace" });
    assert.equal(await p.$eval(".syslab-dev", (e) => e.hasAttribute("data-open")), true);
  });

  await t.step("the ledger endpoint keeps an entry across a reload", async () => {
    const put = await page.evaluate(async () => {
      const r = await fetch("/__syslab/ledger/browser-mini", {
        method: "PUT",
        body: JSON.stringify({
          savedAt: new Date().toISOString(),
          context: "cloud",
          predictions: { q1: "B" },
          decisions: {},
        }),
      });
      return r.status;
    });
    assert.equal(put, 200);
    await page.reload();
    const doc = await page.evaluate(async () => (await fetch("/__syslab/ledger")).json());
    assert.deepEqual(doc.labs["browser-mini"].predictions, { q1: "B" });
  });
});
