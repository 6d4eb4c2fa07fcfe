/**
 * The exported v2-10 opened from file:// in Chromium with the network off: zero network
 * requests, no console errors, every cell renders, moving a slider updates the chart, the chart
 * a prediction reveals shows the exporter's drawing first and its live view next with no blank
 * frame between, both charts run the Vega specs the exporter precompiled, and a chart the
 * exporter missed is compiled in the page by the packed vega-lite chunk.
 */
import assert from "node:assert/strict";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { siteIndex } from "../../export/site.ts";
import type { LabMeta } from "../../runtime/lab.ts";
import { browserOnlyTest, type Page, seriousViolations } from "./harness.ts";

/** Opens an exported lab from `file`, waits until it is live, then commits Act I's `answer`. */
async function openAndAnswer(page: Page, file: string, answer: string): Promise<void> {
  await page.goto(`file://${file}`);
  await page.evaluate(() =>
    (globalThis as { __syslab?: { ready: Promise<void> } }).__syslab?.ready
  );
  await page.evaluate(
    (a) =>
      (globalThis as unknown as { __syslab: { setInput(n: string, v: unknown): void } })
        .__syslab.setInput("act1Lock", a),
    answer,
  );
  await page.waitForSelector("section[data-cell=act1Chart][data-syslab-embeds] svg");
}

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
        // Every frame, what Act I's chart shows: nothing yet, a drawing, or a live view.
        const log = { firstSvg: "", blankFrames: 0 };
        (globalThis as { __chartLog?: typeof log }).__chartLog = log;
        const tick = () => {
          const fig = document.querySelector('section[data-cell="act1Chart"] figure.syslab-chart');
          if (fig) {
            const drawn = fig.hasAttribute("data-syslab-drawn");
            if (!fig.querySelector(".syslab-chart-view svg")) log.blankFrames++;
            else if (!log.firstSvg) log.firstSvg = drawn ? "drawn" : "live";
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
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
      // Nothing of the chart's data was in the file: the page draws the chart it reveals live.
      await page.waitForSelector("section[data-cell=act1Chart][data-syslab-embeds] svg");
      assert.equal(
        await page.evaluate(() =>
          (globalThis as { __chartLog?: { firstSvg: string } }).__chartLog?.firstSvg
        ),
        "live",
      );
      assert.equal(await page.locator("section[data-cell=act1Chart] svg").count(), 1);
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
      // Act II's chart too; both views run the structure the exporter compiled (no vega-lite).
      await page.locator(`[data-testid="act2-lock"] input[type=radio]`).nth(1).check();
      await page.locator(`[data-testid="act2-lock"] button`).first().click();
      await page.waitForSelector(`section[data-cell="act2Chart"][data-syslab-embeds] svg`);
      for (const cell of ["act1Chart", "act2Chart"]) {
        const from = await page.locator(`section[data-cell=${cell}]`).getAttribute(
          "data-syslab-spec",
        );
        assert.equal(
          from,
          "precompiled",
          `${cell}: the file's compiled structure, the page's data`,
        );
      }
      assert.deepEqual(requests, [], "no network requests");
      assert.deepEqual(problems, [], "no console errors or CSP violations");
      await ctx.close();

      // On a phone (390 px) nothing widens the page: wide charts, tables and selects scroll or
      // shrink inside their own boxes, and side-by-side inputs stack.
      const phone = await browser.newContext({
        offline: true,
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      const small = await phone.newPage();
      await openAndAnswer(small, file, "C");
      const widths = await small.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      assert.ok(widths[0] <= widths[1], `page ${widths[0]} px wide on a ${widths[1]} px screen`);
      // Derivations wrap and charts shrink: nothing hides its result in a scroll box.
      const scrolled = await small.evaluate(() =>
        Array.from(document.querySelectorAll(".syslab-math-wrap, .syslab-chart-view"))
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${el.className} ${el.scrollWidth}/${el.clientWidth}`)
      );
      assert.deepEqual(scrolled, [], "scroll boxes on a 390 px phone");
      // A student's export has no trace button; `?trace` opts in, and print hides it.
      assert.equal(await small.$(".syslab-dev"), null);
      await small.goto(`file://${file}?trace`);
      await small.waitForSelector(".syslab-dev");
      await small.emulateMedia({ media: "print" });
      assert.equal(
        await small.$eval(".syslab-dev", (el) => getComputedStyle(el).display),
        "none",
      );
      await phone.close();

      // The file holds no reveal in any form: no verdict, no overlay, no drawn or compiled chart
      // of a locked act.
      assert.doesNotMatch(html, /the answer is|you predicted/i);
      const data = html.replace(/<script type="module"[\s\S]*?<\/script>/g, "");
      assert.doesNotMatch(data, /Prediction vs reality|physics picks/, "in HTML, JSON or chunks");
      assert.doesNotMatch(html, /mark-area role-mark/, "no drawing of Act I's chart");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

browserOnlyTest(
  "export: a chart on the first page shows its drawing from the first frame until it is live",
  async (browser) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-export-" });
    try {
      const { html } = await exportLab("gallery");
      await stopExportBundler();
      const file = `${dir}/gallery.html`;
      await Deno.writeTextFile(file, html);
      const ctx = await browser.newContext({ offline: true });
      // Every frame from the first: does the chart show an SVG, and which (drawing or live)?
      await ctx.addInitScript(() => {
        const log = { frames: 0, blankFrames: 0, drawnFrames: 0, figures: new Set<Element>() };
        (globalThis as { __chartLog?: typeof log }).__chartLog = log;
        const tick = () => {
          const fig = document.querySelector('section[data-cell="chartDemo"] figure');
          if (fig) {
            log.frames++;
            log.figures.add(fig);
            if (!fig.querySelector(".syslab-chart-view svg")) log.blankFrames++;
            else if (fig.hasAttribute("data-syslab-drawn")) log.drawnFrames++;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`file://${file}`);
      await page.waitForSelector("section[data-cell=chartDemo][data-syslab-embeds] svg");
      await page.waitForTimeout(100);
      const log = await page.evaluate(() => {
        const l = (globalThis as {
          __chartLog?: {
            frames: number;
            blankFrames: number;
            drawnFrames: number;
            figures: Set<Element>;
          };
        }).__chartLog!;
        return { ...l, figures: l.figures.size };
      });
      const seen = JSON.stringify(log);
      assert.ok(log.drawnFrames >= 1, `the drawing was on screen before the live view: ${seen}`);
      assert.equal(log.blankFrames, 0, `never an empty chart: ${seen}`);
      assert.equal(log.figures, 1, `the live view took over the pre-rendered figure: ${seen}`);
      assert.equal(await page.locator("section[data-cell=chartDemo] svg").count(), 1);
      assert.deepEqual(problems, []);
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

browserOnlyTest(
  "export --all: the index's cards open their labs; axe finds nothing serious, light and dark",
  async (browser) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-site-" });
    try {
      const labs: LabMeta[] = [
        { id: "v1-11", title: "Hardware Roofline", volume: "I", minutes: 40, topics: ["roofline"] },
        { id: "v2-10", title: "The KV-Cache Memory Wall", volume: "II", minutes: 40 },
        { id: "kv-cache-tax", title: "KV-Cache: The Hidden Tax", volume: "tutorial" },
      ];
      await Deno.writeTextFile(`${dir}/index.html`, await siteIndex(labs));
      for (const m of labs) {
        await Deno.writeTextFile(`${dir}/${m.id}.html`, `<!doctype html><title>${m.id}</title>`);
      }
      for (const colorScheme of ["light", "dark"] as const) {
        // axe is injected as a script, which the index's CSP (no scripts at all) would refuse.
        const ctx = await browser.newContext({ offline: true, colorScheme, bypassCSP: true });
        const page = await ctx.newPage();
        await page.goto(`file://${dir}/index.html`);
        const groups = await page.locator("h2.syslab-group").allTextContents();
        assert.deepEqual(groups, ["Volume I", "Volume II", "Tutorials"]);
        assert.deepEqual(await seriousViolations(page), [], colorScheme);
        // The whole card is the link: a click near its bottom (on the topics) opens the lab.
        const card = page.locator(".syslab-card", { hasText: "Hardware Roofline" });
        const box = (await card.boundingBox())!;
        await page.mouse.click(box.x + 12, box.y + box.height - 8);
        await page.waitForURL(/v1-11\.html$/);
        await ctx.close();
      }
      // The visitor's own predictions, from the design ledger the labs write, under the CSP.
      const ctx = await browser.newContext({ offline: true });
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      await page.goto(`file://${dir}/index.html`);
      assert.equal(await page.locator(".syslab-card-progress").count(), 0, "nothing saved yet");
      await page.evaluate(() =>
        localStorage.setItem(
          "syslab.ledger.v1",
          JSON.stringify({
            version: 1,
            updatedAt: "2026-11-27T00:00:00.000Z",
            labs: {
              "v2-10": {
                savedAt: "2026-11-27T00:00:00.000Z",
                context: "latency",
                act1_prediction: "C",
                act1_correct: true,
                predictions: { act2_prediction: "A", act2_correct: false },
                decisions: {},
              },
              "v1-11": {
                savedAt: "2026-11-27T00:00:00.000Z",
                context: "cloud",
                predictions: {},
                decisions: {},
              },
            },
          }),
        )
      );
      await page.reload();
      // The index fills its cards from the ledger after load: wait for it (a loaded machine is slow).
      await page.locator(".syslab-card-progress").first().waitFor();
      assert.deepEqual(await page.locator(".syslab-card-progress").allTextContents(), [
        "Your predictions: 2 made, 1 correct",
      ]);
      assert.equal(
        await page.locator("[data-lab=v2-10] .syslab-card-progress").count(),
        1,
        "on the lab's own card; a lab only opened (v1-11) has no mark",
      );
      assert.deepEqual(problems, [], "the script runs under the index's CSP");
      await ctx.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
