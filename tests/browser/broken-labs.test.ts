/**
 * Issue 8, in the page: each broken fixture shows a named, actionable error where the problem is,
 * and the unrelated cell `fine` still renders its value. (`--check` prints the same errors:
 * tests/runtime/fixtures.test.ts.) A syntax error stops the dev server's first build with the
 * file and line; a later bad save keeps the last good page (tests/browser/hot-reload.test.ts).
 */
import assert from "node:assert/strict";
import { browserSuite, type Page, ROOT } from "./harness.ts";

const fixture = (name: string) => new URL(`tests/fixtures/broken/${name}.ts`, ROOT);

/** Opens the page without waiting for the lab to settle (a fixture may never settle). */
async function openRaw(browser: import("playwright-core").Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.waitForSelector(`section[data-cell="fine"][data-state="ok"]`, { state: "attached" });
  return page;
}

const text = (page: Page, cell: string) => page.locator(`section[data-cell="${cell}"]`).innerText();

const cases: Array<[string, Record<string, RegExp>, string]> = [
  ["cycle", { a: /CycleError.*a → c → b → a/s, b: /CycleError/, c: /CycleError/ }, "2"],
  ["duplicate", { total: /DuplicateDefinitionError.*"total" is defined by 2 cells/s }, "2"],
  [
    "undefined-ref",
    {
      kv: /UndefinedReferenceError.*reads "seqLne".*did you mean "seqLen"\?/s,
      label: /reads "status", which no cell defines/,
    },
    "8192",
  ],
  [
    "throwing",
    {
      boom: /CellRuntimeError.*capacity must be positive/s,
      downstream: /waiting on boom, which has an error/,
      rejected: /RangeError: no GPU holds 1 users/,
    },
    "2",
  ],
];

for (const [name, expected, fine] of cases) {
  browserSuite(`broken lab in the page: ${name}`, { lab: fixture(name), watch: false }, async (
    _t,
    env,
  ) => {
    const page = await openRaw(env.browser, env.server.url);
    for (const [cell, re] of Object.entries(expected)) {
      assert.match(await text(page, cell), re, `${name}: cell ${cell}`);
    }
    assert.equal((await text(page, "fine")).trim(), fine);
  });
}

browserSuite("broken lab in the page: a cell that never settles blocks nothing else", {
  lab: fixture("never-settles"),
  watch: false,
}, async (_t, env) => {
  const page = await openRaw(env.browser, env.server.url);
  assert.equal((await text(page, "fine")).trim(), "2");
  await page.waitForTimeout(300);
  const state = await page.locator(`section[data-cell="forever"]`).getAttribute("data-state");
  assert.equal(state, "pending");
  assert.equal(
    await page.locator(`section[data-cell="forever"]`).getAttribute("aria-busy"),
    "true",
  );
});

browserSuite("broken lab in the page: a type error shows in the overlay, cells still run", {
  lab: fixture("type-error"),
  watch: false,
  typecheck: true,
}, async (_t, env) => {
  const page = await openRaw(env.browser, env.server.url);
  await page.waitForFunction(() => /TS2362/.test(document.body.innerText), undefined, {
    timeout: 20_000,
  });
  assert.match(await page.locator("body").innerText(), /type-error\.ts.*7/s);
  assert.equal((await text(page, "fine")).trim(), "2");
});
