/**
 * The exported v2-10 opened from file:// in Chromium with the network off: zero network
 * requests, no console errors, every cell renders, moving a slider updates the chart, and
 * both charts run the Vega specs the exporter precompiled.
 */
import assert from "node:assert/strict";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { browserOnlyTest } from "./harness.ts";

browserOnlyTest(
  "export: v2-10 from file:// offline, strict CSP, live slider → chart",
  async (browser) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-export-" });
    try {
      const { html } = await exportLab("v2-10");
      await stopExportBundler();
      const file = `${dir}/v2-10.html`;
      await Deno.writeTextFile(file, html);
      const ctx = await browser.newContext({ offline: true });
      // Keep the pre-rendered header section as the parser makes it, to check hydration later.
      await ctx.addInitScript(() => {
        const mo = new MutationObserver(() => {
          const el = document.querySelector('section[data-cell="header"]');
          if (el) {
            (globalThis as { __preHeader?: Element }).__preHeader = el;
            mo.disconnect();
          }
        });
        mo.observe(document, { childList: true, subtree: true });
      });
      const page = await ctx.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith("file://")) requests.push(r.url());
      });
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`file://${file}`);
      await page.evaluate(() =>
        (globalThis as { __syslab?: { ready: Promise<void> } }).__syslab?.ready
      );
      // Hydrated in place: the lab took the pre-rendered sections over, no second copy.
      assert.ok(
        await page.evaluate(() =>
          (globalThis as { __preHeader?: Element }).__preHeader ===
            document.querySelector('section[data-cell="header"]')
        ),
        "the pre-rendered header section is the live one",
      );
      assert.equal(await page.locator('section[data-cell="header"]').count(), 1);
      // Commit the Act I prediction with real clicks.
      await page.locator("[data-testid=act1-lock] input[type=radio]").nth(2).check();
      await page.locator("[data-testid=act1-lock] button").first().click();
      await page.waitForSelector("[data-testid=act1-chart] svg");
      const svgBefore = await page.locator("section[data-cell=act1Chart] svg").innerHTML();
      // Move the context slider with the keyboard.
      const slider = page.locator("[data-testid=seq-len] input[type=range]");
      await slider.focus();
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(
        (before) =>
          document.querySelector("section[data-cell=act1Chart] svg")?.innerHTML !== before,
        svgBefore,
      );
      const errors = await page.locator("section.syslab-cell[data-state=error]").count();
      assert.equal(errors, 0, "every cell renders");
      const embeds = await page.locator("section[data-cell=act1Chart]").getAttribute(
        "data-syslab-embeds",
      );
      assert.equal(embeds, "1", "the slider updated the same Vega view");
      // vega-tooltip works under the CSP: hovering the selected point names its values.
      const point = page.locator("section[data-cell=act1Chart] svg .mark-symbol path").first();
      await point.scrollIntoViewIfNeeded();
      const box = (await point.boundingBox())!;
      const tip = () =>
        page.evaluate(() => document.getElementById("vg-tooltip-element")?.innerText ?? "");
      for (let i = 0; i < 20 && !/users\s+\d/.test(await tip()); i++) {
        // A hover can land between renders; nudge the pointer until the tooltip shows.
        await page.mouse.move(box.x + box.width / 2 + (i % 3) - 1, box.y + box.height / 2);
        await page.waitForTimeout(100);
      }
      assert.match(await tip(), /users\s+\d/);
      // Act II's chart too; both views run the exporter's precompiled Vega specs (no vega-lite).
      await page.locator(`[data-testid="act2-lock"] input[type=radio]`).nth(1).check();
      await page.locator(`[data-testid="act2-lock"] button`).first().click();
      await page.waitForSelector(`section[data-cell="act2Chart"] svg`);
      for (const cell of ["act1Chart", "act2Chart"]) {
        const from = await page.locator(`section[data-cell=${cell}]`).getAttribute(
          "data-syslab-spec",
        );
        assert.equal(from, "precompiled", `${cell}: the exported page's own Vega spec`);
      }
      assert.deepEqual(requests, [], "no network requests");
      assert.deepEqual(problems, [], "no console errors or CSP violations");
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
