/**
 * The pre-render of an exported page: every displayed cell's first output as HTML, run headless.
 * It runs lab code, so the exporter calls it inside the sandbox (`render-task.ts`).
 */
import { inputsPlacedElsewhere } from "../runtime/graph.ts";
import { runLab } from "../runtime/headless.ts";
import { escapeHTML } from "../runtime/render.ts";
import { stateHTML } from "../runtime/state-html.ts";
import type { LabDefinition } from "../runtime/lab.ts";
import { valueWarnings } from "../runtime/size.ts";
import { type DrawnCharts, useDrawnCharts } from "../cells/outputs/chart-drawn.ts";

/**
 * Every displayed cell's first output, as the page shows it before any script runs; a chart
 * with a drawing in `drawn` shows it.
 */
export async function prerenderCells(def: LabDefinition, drawn: DrawnCharts = {}): Promise<string> {
  return (await prerenderWithWarnings(def, drawn)).html;
}

/** {@link prerenderCells}, and the cells whose values are over the size budget. */
export async function prerenderWithWarnings(
  def: LabDefinition,
  drawn: DrawnCharts = {},
): Promise<{ html: string; warnings: string[] }> {
  const lab = await runLab(def, { timeoutMs: 2000 });
  useDrawnCharts(drawn); // set and unset within this synchronous block
  try {
    const warnings = valueWarnings(lab);
    const hidden = inputsPlacedElsewhere(def);
    const html = def.cells
      .filter((c) => c.display && !(c.kind === "input" && hidden.has(c.name)))
      .map((c) => {
        const state = lab.state(c.name);
        const html = stateHTML(state, c.kind);
        return html
          ? `<section class="syslab-cell" data-cell="${
            escapeHTML(c.name)
          }" data-state="${state.status}">${html}</section>`
          : "";
      })
      .join("\n");
    return { html, warnings };
  } finally {
    useDrawnCharts(undefined);
    lab.dispose();
  }
}
