// Shared by the notebook tests: every rendered cell of a headless lab, checked for values that
// must never reach the page.
import assert from "node:assert/strict";
import type { HeadlessLab } from "../../runtime/mod.ts";

/** Fails when any displayed cell's HTML contains NaN, Infinity or undefined. */
export function assertCleanRender(h: HeadlessLab, when: string): void {
  for (const { cell, html } of h.htmlAll()) {
    assert.doesNotMatch(html, /NaN|Infinity|undefined/, `${cell} (${when})`);
  }
  assert.deepEqual(h.errors().map((e) => e.describe()), [], when);
}

/** The text of a cell's HTML (tags stripped, entities for quotes decoded). */
export function text(h: HeadlessLab, cell: string): string {
  return h.html(cell).replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/\s+/g, " ");
}

/** The text of an HTML string: tags replaced by a space, white space folded (entities kept). */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
}
