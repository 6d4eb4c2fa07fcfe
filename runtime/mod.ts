/**
 * syslab's runtime: the lab file format, the reactive engine, the headless runner. It knows
 * nothing about ML; `cells/` builds the author's library on it and `core/` holds the physics.
 */
export {
  type CellContext,
  type CellDef,
  type CellKind,
  Lab,
  lab,
  type LabDefinition,
  type LabMeta,
} from "./lab.ts";
export { stop, StopSignal } from "./stop.ts";
export type { InputSpec, InputView, ViewElement } from "./input.ts";
export { escapeHTML, isRenderable, type Renderable, toHTML } from "./render.ts";
export {
  type CellState,
  describeState,
  type EngineHooks,
  LabEngine,
  type SettleReport,
} from "./engine.ts";
export { stateHTML } from "./state-html.ts";
export * from "./errors.ts";
export { analyze, definedNames, editDistance, nearNames } from "./graph.ts";
export { referencedNames } from "./params.ts";
export type { CellRun, UpdateTrace } from "./trace.ts";
export { HeadlessLab, runLab } from "./headless.ts";
export { importLab } from "./loader.ts";
export { catalog, labIds, normalizeId, resolveLab, ROOT } from "./catalog.ts";
