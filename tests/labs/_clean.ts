/**
 * Shared by the course labs' headless tests: no cell error and nothing that must never reach the
 * page (NaN, Infinity, undefined, an object's default string, literal markdown `**`, and emoji:
 * an empty box wherever no emoji font is installed — `cells/icons.ts` draws icons instead).
 */
import assert from "node:assert/strict";
import type { HeadlessLab } from "../../runtime/mod.ts";
import { plainText } from "./_render.ts";

/** What must never appear in a rendered cell. */
export const BAD =
  /NaN|Infinity|undefined|\[object Object\]|\*\*|(?![\u00A9\u00AE\u2122\u2194-\u2199\u21A9\u21AA])\p{Extended_Pictographic}/u;

/** Fails on any cell error, or any displayed cell whose HTML matches {@link BAD}. */
export function assertClean(h: HeadlessLab, where: string): void {
  assert.deepEqual(h.errors().map((e) => e.describe()), [], where);
  for (const { cell, html } of h.htmlAll()) {
    assert.doesNotMatch(html, BAD, `${where}: cell ${cell}`);
  }
}

/** Does `cell` render an element with `data-testid="<testid>"`? */
export const has = (h: HeadlessLab, cell: string, testid: string): boolean =>
  h.html(cell).includes(`data-testid="${testid}"`);

/** What {@link assertCleanText} looks for in a cell's text. */
export const BAD_TEXT = ["NaN", "Infinity", "undefined", "**"];

/**
 * Fails on any cell error, or any displayed cell whose text (tags stripped: {@link plainText})
 * contains one of {@link BAD_TEXT}. Looser than {@link assertClean}: attributes and emoji pass.
 */
export function assertCleanText(h: HeadlessLab, where: string): void {
  assert.deepEqual(h.errors().map((e) => e.describe()), [], where);
  for (const { cell, html } of h.htmlAll()) {
    const t = plainText(html);
    for (const bad of BAD_TEXT) {
      assert.ok(!t.includes(bad), `${where}: cell ${cell} shows ${bad}`);
    }
  }
}
