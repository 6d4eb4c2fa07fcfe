/**
 * Issue 4's acceptance on the gallery (labs/gallery.ts): every input by mouse and by keyboard,
 * a chart updated in place, a throwing cell beside live ones, an act's lock gating its body (and
 * the engine refusing a second commit), the ledger across a reload, and axe-core in light and
 * dark mode.
 */
import assert from "node:assert/strict";
import { browserSuite, type Page, ROOT, seriousViolations, settled, slot } from "./harness.ts";

const GALLERY = new URL("labs/gallery.ts", ROOT);
type W = {
  __syslab: { engine: { value(n: string): unknown }; setInput(n: string, v: unknown): void };
};

const value = (page: Page, name: string) =>
  page.evaluate((n) => (globalThis as unknown as W).__syslab.engine.value(n), name);
const ctl = (page: Page, testid: string, css: string) =>
  page.locator(`[data-testid="${testid}"] ${css}`).first();

/** Waits until input `name` no longer equals `before`, and returns the new value. */
async function changed(page: Page, name: string, before: unknown): Promise<unknown> {
  await page.waitForFunction(
    ([n, b]) =>
      JSON.stringify((globalThis as unknown as W).__syslab.engine.value(n as string)) !== b,
    [name, JSON.stringify(before)],
    { timeout: 3000 },
  );
  await settled(page);
  return await value(page, name);
}

async function clickAt(page: Page, testid: string, css: string, fx: number) {
  await ctl(page, testid, css).scrollIntoViewIfNeeded();
  const box = (await ctl(page, testid, css).boundingBox())!;
  await page.mouse.click(box.x + box.width * fx, box.y + box.height / 2);
}

browserSuite("gallery: acceptance", { lab: GALLERY, watch: false }, async (t, env) => {
  const page = await env.open();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  const both = async (
    name: string,
    mouse: () => Promise<void>,
    keyboard: () => Promise<void>,
    expect?: [unknown, unknown],
  ) => {
    await t.step(`${name}: mouse and keyboard`, async () => {
      const v0 = await value(page, name);
      await mouse();
      const v1 = await changed(page, name, v0);
      await keyboard();
      const v2 = await changed(page, name, v1);
      if (expect) assert.deepEqual([v1, v2], expect);
    });
  };

  await both("seqLen", () => clickAt(page, "slider", "input", 0.95), async () => {
    await ctl(page, "slider", "input").focus();
    await page.keyboard.press("ArrowLeft");
  });
  await both("batch", () => clickAt(page, "slider-steps", "input", 0.02), async () => {
    await page.keyboard.press("ArrowRight");
  }, [1, 2]);
  await both("smoothing", () => clickAt(page, "slider-debounced", "input", 0.02), async () => {
    await page.keyboard.press("ArrowRight");
  }, [0, 0.05]);
  await both("budget", async () => {
    await ctl(page, "number", "input").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("120");
    await page.keyboard.press("Tab");
  }, async () => {
    await ctl(page, "number", "input").focus();
    await page.keyboard.press("ArrowUp");
  }, [120, 121]);
  await both(
    "precision",
    () => page.locator(`[data-testid="radio"] input`).nth(1).click(),
    () => page.keyboard.press("ArrowDown"),
    [1, 0.5],
  );
  await both("model", async () => {
    await ctl(page, "dropdown", "select").selectOption({ index: 0 });
  }, async () => {
    await ctl(page, "dropdown", "select").focus();
    await page.keyboard.press("ArrowDown");
  }, ["toy-7b", "toy-70b"]);
  await both(
    "paged",
    () => ctl(page, "checkbox", "input").click(),
    () => page.keyboard.press("Space"),
    [false, true],
  );
  await both(
    "emphasis",
    () => ctl(page, "switch", ".track").click(),
    () => page.keyboard.press("Space"),
    [true, false],
  );
  await both(
    "note",
    async () => {
      await ctl(page, "text", "input").click();
      await page.keyboard.type("hi");
    },
    () => page.keyboard.press("Backspace"),
    ["hi", "h"],
  );
  await both(
    "clicks",
    () => ctl(page, "button", "button").click(),
    () => page.keyboard.press("Enter"),
    [1, 2],
  );
  await both(
    "run",
    () => ctl(page, "run-button", "button").click(),
    () => page.keyboard.press("Space"),
    [1, 2],
  );
  await both(
    "view",
    () => page.locator(`[data-testid="tabs-input"] [role=tab]`).nth(1).click(),
    () => page.keyboard.press("ArrowLeft"),
    ["Users", "Memory"],
  );
  await both(
    "picked",
    () => page.locator(`[data-testid="table-input"] input`).nth(1).click(),
    async () => {
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space");
    },
  );
  await both("config", async () => {
    await page.locator(`[data-testid="form"] input`).first().fill("5");
    await ctl(page, "form", "button[type=submit]").click();
  }, async () => {
    await page.locator(`[data-testid="form"] input`).first().focus();
    await page.keyboard.press("ArrowUp");
    await ctl(page, "form", "button[type=submit]").focus();
    await page.keyboard.press("Enter");
  });
  await both(
    "context",
    () => page.locator(`[data-testid="context-toggle"] input`).nth(1).click(),
    () => page.keyboard.press("ArrowLeft"),
    ["edge", "cloud"],
  );

  await t.step(
    "a chart updates in place (same Vega view, no re-embed) when its input moves",
    async () => {
      const chart = `section[data-cell="chartDemo"]`;
      await page.waitForSelector(`${chart} svg`);
      const before = await page.$eval(chart, (el) => {
        const svg = el.querySelector(".syslab-chart-view svg") as unknown as { __mark?: number };
        svg.__mark = 42;
        return { embeds: (el as HTMLElement).dataset.syslabEmbeds, label: el.textContent };
      });
      await ctl(page, "slider", "input").focus();
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(
        ([sel, label]) => document.querySelector(sel as string)?.textContent !== label,
        [chart, before.label],
      );
      const after = await page.$eval(chart, (el) => ({
        embeds: (el as HTMLElement).dataset.syslabEmbeds,
        mark: (el.querySelector(".syslab-chart-view svg") as unknown as { __mark?: number }).__mark,
      }));
      assert.deepEqual(after, { embeds: before.embeds, mark: 42 });
    },
  );

  await t.step("a chart without a table still updates its caption in place", async () => {
    const cap = `section[data-cell="chartInLayout"] figcaption`;
    const batch = await page.evaluate(() =>
      (globalThis as unknown as { __syslab: { engine: { value(n: string): unknown } } }).__syslab
        .engine.value("batch")
    ) as number;
    assert.match((await page.textContent(cap)) ?? "", new RegExp(`at batch ${batch},`));
    const next = batch === 1 ? 2 : 1;
    await page.evaluate(
      (b) =>
        (globalThis as unknown as { __syslab: { setInput(n: string, v: unknown): void } }).__syslab
          .setInput("batch", b),
      next,
    );
    await page.waitForFunction(
      ([sel, want]) => document.querySelector(sel as string)?.textContent?.includes(want as string),
      [cap, `at batch ${next},`],
    );
  });

  await t.step("a throwing cell renders its error while the others update", async () => {
    const broken = await slot(page, "brokenOnPurpose");
    assert.equal(broken.state, "error");
    assert.match(broken.text, /brokenOnPurpose.*fails on purpose/);
    const kv0 = (await slot(page, "metrics")).text;
    await ctl(page, "slider", "input").focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(
      (t0) => document.querySelector(`section[data-cell="metrics"]`)?.textContent?.trim() !== t0,
      kv0,
    );
    assert.equal((await slot(page, "brokenOnPurpose")).state, "error");
  });

  await t.step("an act's lock gates its body until committed; the commit is final", async () => {
    assert.equal((await slot(page, "act1Descendant")).state, "stopped");
    assert.equal((await slot(page, "act1Descendant")).text, "");
    assert.doesNotMatch((await slot(page, "summary")).text, /Max users/);
    await page.locator(`[data-testid="prediction-lock"] input`).nth(2).click();
    await settled(page);
    assert.equal(
      (await slot(page, "act1Descendant")).state,
      "stopped",
      "choosing is not committing",
    );
    await ctl(page, "prediction-lock", "button").click();
    await settled(page);
    assert.equal(await value(page, "act1Lock"), "C");
    const d = await slot(page, "act1Descendant");
    assert.equal(d.state, "ok");
    assert.match(d.text, /you chose C/);
    assert.match((await slot(page, "summary")).text, /Max users/);
    // The engine refuses a second commit and a context switch, whatever the widget does.
    const refused = await page.evaluate(() => {
      const e = (globalThis as unknown as {
        __syslab: { engine: { setInput(n: string, v: unknown): void } };
      }).__syslab.engine;
      return ["act1Lock", "context"].map((n) => {
        try {
          e.setInput(n, n === "context" ? "edge" : "A");
          return "accepted";
        } catch (err) {
          return (err as Error).name;
        }
      });
    });
    assert.deepEqual(refused, ["InputLockedError", "InputLockedError"]);
    // the number lock by keyboard
    await ctl(page, "prediction-lock-number", "input").focus();
    await page.keyboard.type("150");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await settled(page);
    assert.equal(await value(page, "act2Lock"), 150);
  });

  await both(
    "reflect1",
    () => page.locator(`[data-testid="reflection"] input`).nth(0).click(),
    () => page.keyboard.press("ArrowDown"),
    ["A", "B"],
  );

  await t.step(
    "the ledger survives a reload (on disk, and in a fresh browser profile)",
    async () => {
      const onDisk = async () => {
        try {
          return JSON.parse(await Deno.readTextFile(env.ledgerPath)).labs?.gallery;
        } catch {
          return undefined;
        }
      };
      for (let i = 0; i < 50 && (await onDisk())?.act1_prediction !== "C"; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal((await onDisk())?.act1_prediction, "C");
      await page.reload();
      await page.waitForFunction(() => (globalThis as unknown as { __syslab?: unknown }).__syslab);
      await settled(page);
      const fresh = await env.open();
      await page.waitForTimeout(300);
      // the page's ledger store (localStorage, merged with the server's file) still has it
      for (const [which, p] of [["reloaded", page], ["fresh profile", fresh]] as const) {
        const ok = await p.waitForFunction(
          () =>
            JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs?.gallery
              ?.act1_prediction === "C",
          null,
          { timeout: 3000 },
        ).then(() => true, () => false);
        const stored = await p.evaluate(() => localStorage.getItem("syslab.ledger.v1"));
        assert.ok(ok, `${which}: ${stored}`);
      }
      assert.equal((await onDisk())?.act1_prediction, "C");
    },
  );

  await t.step("no uncaught page errors", () => {
    assert.deepEqual(errors, []);
  });
});

browserSuite(
  "gallery: axe-core, light and dark",
  { lab: GALLERY, watch: false },
  async (t, env) => {
    for (const colorScheme of ["light", "dark"] as const) {
      await t.step(`no serious or critical violations (${colorScheme})`, async () => {
        const page = await env.open({ colorScheme });
        await page.emulateMedia({ colorScheme });
        await page.waitForSelector(`section[data-cell="chartDemo"] svg`);
        const bad = await seriousViolations(page);
        assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));
      });
    }
    // A committed lock is disabled, and a disabled input is not dimmed (it was, to 2.9:1).
    await t.step({
      name: "no serious or critical violations once both acts are committed",
      fn: async () => {
        const page = await env.open();
        await page.waitForSelector(`section[data-cell="chartDemo"] svg`);
        await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("act1Lock", "B"));
        await settled(page);
        await page.evaluate(() => (globalThis as unknown as W).__syslab.setInput("act2Lock", 500));
        await settled(page);
        assert.equal((await slot(page, "act2Reveal")).state, "ok");
        const bad = await seriousViolations(page);
        assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));
      },
    });
  },
);
