/**
 * What a sandboxed lab run (`child.ts`) tells its parent (`run.ts`), one line each on stdout,
 * marked so the lab's own console output can be told apart and passed through:
 * `\x1e>i` a cell (index i; -1 is the lab module's top level) starts its synchronous part,
 * `\x1e<` it returned, `\x1e.` a heartbeat, `\x1e=` + JSON the task's result, `\x1e!` + JSON a
 * failure. `\x1e#` + JSON the cells' names and lines, once the lab is loaded.
 */

/** The marker that opens every protocol line. */
export const MARK = "\x1e";

/** One cell as the parent needs to name it. */
export interface CellName {
  name: string;
  line: number | null;
}

/** What the parent sends the child (as its one argument, JSON). */
export interface SandboxRequest {
  /** The lab file. */
  lab: string;
  /** The task module (file URL): exports `run(def, opts)` returning JSON-able data. */
  task: string;
  /** Cells not to run (they looped synchronously in an earlier attempt). */
  skip: string[];
  /** The task's own options (JSON). */
  options: unknown;
}

/** The message a skipped cell throws (the task leaves such cells out of its report). */
export const SKIPPED = "syslab: skipped, it did not return in an earlier run";
