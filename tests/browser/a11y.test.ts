/**
 * Accessibility of every lab in the catalog, in Chromium: each lab opens in the dev server in
 * light and dark, every act is committed (its lock set to a sample value, in lesson order) so the
 * cells behind the locks render too, and axe-core must find no serious or critical violation
 * (colour contrast of chart labels included). At a 390 px phone width the page must not be wider
 * than the screen. Screenshots at 390 px go to $SYSLAB_SHOTS when set
 * (`a11y-<lab>-<scheme>.png`).
 */
import assert from "node:assert/strict";
import { labIds } from "../../runtime/catalog.ts";
import { browserSuite, type Page, ROOT, seriousViolations, settled } from "./harness.ts";

const LABS = Deno.env.get("SYSLAB_A11Y_LABS")?.split(",") ?? labIds();
const shots = Deno.env.get("SYSLAB_SHOTS");
const PHONE = { width: 390, height: 844 };
/** Cells that fail on purpose (the gallery shows what a failing cell looks like). */
const EXPECTED_ERRORS: Readonly<Record<string, readonly string[]>> = {
  gallery: ["brokenOnPurpose"],
};

type Handle = {
  __syslab: {
    engine: {
      value(n: string): unknown;
      settled(): Promise<unknown>;
      definition: { acts: Array<{ id: string }> };
    };
    setInput(n: string, v: unknown): void;
  };
};

/**
 * Commits every act in lesson order with its prediction's first sample value (a lock already
 * committed — the dev server's ledger file outlives a browser profile — is left as it is).
 * Returns the act ids committed or found committed.
 */
async function commitEveryAct(page: Page): Promise<string[]> {
  const acts = await page.evaluate(() =>
    (globalThis as unknown as Handle).__syslab.engine.definition.acts.map((a) => a.id)
  );
  for (const act of acts) {
    await settled(page);
    const result = await page.evaluate((a) => {
      const s = (globalThis as unknown as Handle).__syslab;
      if (s.engine.value(`${a}Lock`) !== null) return "already";
      const p = s.engine.value(`${a}Prediction`) as { input: { samples?: unknown[] } } | null;
      const sample = (p?.input.samples ?? []).find((v) => v !== null);
      if (sample === undefined) return `no sample for ${a}Lock`;
      s.setInput(`${a}Lock`, sample);
      return "committed";
    }, act);
    assert.ok(result === "committed" || result === "already", result);
  }
  await settled(page);
  // Every act's gate is open: its grade exists.
  for (const act of acts) {
    const grade = await page.evaluate(
      (a) => (globalThis as unknown as Handle).__syslab.engine.value(a),
      act,
    );
    assert.ok(grade !== null && grade !== undefined, `${act} committed`);
  }
  return acts;
}

for (const lab of LABS) {
  browserSuite(
    `a11y: ${lab} — no serious axe violation in light and dark with every act committed; fits 390 px`,
    { lab: new URL(`labs/${lab}.ts`, ROOT), watch: false },
    async (t, env) => {
      for (const colorScheme of ["light", "dark"] as const) {
        await t.step(`${colorScheme}`, async () => {
          const page = await env.open({ colorScheme });
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          await commitEveryAct(page);
          const broken = await page.$$eval(
            `section[data-state="error"]`,
            (els) =>
              els.map((e) => ({ cell: (e as HTMLElement).dataset.cell, text: e.textContent })),
          ).then((all) => all.filter((e) => !(EXPECTED_ERRORS[lab] ?? []).includes(e.cell ?? "")));
          assert.deepEqual(broken, [], `${lab} ${colorScheme}: no cell in error after the commits`);
          const found = await seriousViolations(page);
          assert.deepEqual(found, [], `${lab} ${colorScheme}: ${JSON.stringify(found, null, 1)}`);

          await page.setViewportSize(PHONE);
          await settled(page);
          // Let the charts' resize observers and layout run.
          await page.waitForTimeout(300);
          const widths = await page.evaluate(() => ({
            doc: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            screen: globalThis.innerWidth,
          }));
          assert.ok(
            widths.doc <= widths.screen && widths.body <= widths.screen,
            `${lab} ${colorScheme}: page ${widths.doc} px wide on a ${widths.screen} px screen`,
          );
          if (shots) {
            await page.screenshot({
              path: `${shots}/a11y-${lab}-${colorScheme}.png`,
              fullPage: true,
            });
          }
          assert.deepEqual(errors, [], `${lab} ${colorScheme}: page errors`);
          // On the phone too: what reflows or scrolls at 390 px must stay accessible.
          const phone = await seriousViolations(page);
          assert.deepEqual(phone, [], `${lab} ${colorScheme} 390 px: ${JSON.stringify(phone)}`);
          await page.context().close();
        });
      }
    },
  );
}
