/**
 * The exporter's work that runs lab code, inside the sandbox (see `runtime/sandbox/run.ts`): the
 * renders ahead (charts, markdown, drawings) and the first output of every cell. The parent
 * bundles and assembles the page from this; it never runs the lab itself.
 */
import type { LabDefinition, LabMeta } from "../runtime/lab.ts";
import { renderAhead, type RenderedAhead } from "./ahead.ts";
import { prerenderWithWarnings } from "./prerender.ts";

/** What the sandbox returns to `exportLab`. */
export interface LabRenders {
  meta: LabMeta;
  ahead: RenderedAhead;
  prerender: string;
  warnings: string[];
}

/** The task (see `runtime/sandbox/child.ts`). */
export async function run(def: LabDefinition): Promise<LabRenders> {
  const ahead = await renderAhead(def);
  const { html, warnings } = await prerenderWithWarnings(def, ahead.firstPage);
  return { meta: def.meta, ahead, prerender: html, warnings };
}
