/**
 * A cell's state as markup: its value, its error in place (cell name and line), "waiting on
 * <cell>", or a stop-gate's output. Used by the page and by the headless runner alike.
 */
import type { CellState } from "./engine.ts";
import type { CellKind } from "./lab.ts";
import { escapeHTML, isRenderable, toHTML } from "./render.ts";

/**
 * The markup a cell shows in its state. A plain computed cell (`kind` "cell") shows its value
 * only when the value renders itself (markup, a chart); numbers and objects stay out of the page.
 */
export function stateHTML(state: CellState, kind: CellKind = "show"): string {
  if (kind === "cell" && state.status === "ok" && !isRenderable(state.value)) return "";
  if (kind === "cell" && state.status === "pending") return "";
  switch (state.status) {
    case "pending":
      return `<div class="syslab-pending" aria-busy="true">running…</div>`;
    case "ok":
      return toHTML(state.value);
    case "stopped":
      return toHTML(state.output);
    case "waiting":
      return state.reason === "stopped"
        ? ""
        : `<div class="syslab-waiting" role="status">waiting on <code>${
          escapeHTML(state.on)
        }</code>, which has an error</div>`;
    case "error": {
      const e = state.error;
      const where = e.cells.map((c) =>
        `<code>${escapeHTML(c.cell)}</code>${c.line ? ` (line ${c.line})` : ""}`
      ).join(", ");
      return `<div class="syslab-error" role="alert"><strong>${
        escapeHTML(e.name)
      }</strong> in ${where}: ${escapeHTML(e.message)}${
        e.hint ? `<div class="syslab-hint">${escapeHTML(e.hint)}</div>` : ""
      }</div>`;
    }
  }
}
