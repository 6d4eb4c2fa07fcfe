/**
 * An exported page shows its pre-rendered cells before its module runs. When the student has
 * already committed one of the lab's predictions (kept in the design ledger in localStorage),
 * that pre-render's open lock must not show, not even for the first frames: a tiny classic script
 * in the head marks the document, and a CSS rule hides every not-yet-upgraded lock until the lab
 * renders it committed. The script is allowed by its hash like the page's others.
 *
 * @module
 */
import { STORAGE_KEY } from "../cells/ledger/store.ts";
import { earlyReadScript } from "../cells/ledger/commit-mirror.ts";

/**
 * The head script for lab `id` (deterministic text: same lab, same bytes). It also starts reading
 * the commits' IndexedDB copy (`earlyReadScript`), so the page's `ready` need not wait for it.
 */
export function committedMarkScript(id: string): string {
  const entry =
    `function E(){var l=JSON.parse(localStorage.getItem(${
      JSON.stringify(STORAGE_KEY)
    })||"{}").labs;return l&&l[${JSON.stringify(id)}]}` +
    `function M(){document.documentElement.setAttribute("data-syslab-committed","")}`;
  // Chromium may lose a localStorage write if the page reloads at once; the IndexedDB copy then
  // has the commit, and marks the page as soon as it is read (same attempt only, as the lab does).
  const fromMirror = `function(r){var e;try{e=E()}catch(_){}` +
    `if(r.commits&&r.commits.length&&r.attempt===(e&&e.attempt||0))M()}`;
  return `(function(){${entry}${earlyReadScript(id, fromMirror)}` +
    `try{var e=E();if(e&&e.acts&&Object.keys(e.acts).length)M()}catch(_){}})()`;
}

/** Hides the pre-rendered locks of a page the script marked, until the lab takes them over. */
export const COMMITTED_CSS =
  "html[data-syslab-committed] syslab-prediction-lock:not(:defined){visibility:hidden}";
