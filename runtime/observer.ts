/**
 * The observer of one runtime variable: keeps its latest value and whether it is computing, and
 * counts computing variables into the engine's shared tally, which says when all is settled.
 * One class for every variable, so the runtime's calls into observers stay monomorphic and a
 * run allocates nothing here.
 */
import { Blocked, PENDING, stateOf } from "./blocked.ts";
import type { EngineHooks } from "./engine.ts";
import { CellRuntimeError, messageOf } from "./errors.ts";
import type { CellDef } from "./lab.ts";

/** How many variables are computing; `idle` runs (in a microtask) when that falls to zero. */
export class Tally {
  count = 0;
  readonly #idle: () => void;
  constructor(idle: () => void) {
    this.#idle = idle;
  }
  /** A variable reported a value (`was` computing, or a generator's next yield). */
  settled(was: boolean): void {
    if (was) this.count--;
    if (this.count === 0) queueMicrotask(this.#idle);
  }
}

/** A variable's bookkeeping, updated in place by the runtime's reports. */
export class VarObserver {
  /** Set when the variable is deleted: it still reports `fulfilled(undefined)` once. */
  retired = false;
  computing = false;
  has = false;
  value: unknown = undefined;
  constructor(
    readonly name: string,
    readonly cell: CellDef,
    /** Whether this variable's changes are the cell's (an input's value variable is not). */
    readonly reportsState: boolean,
    readonly hooks: EngineHooks,
    readonly tally: Tally,
  ) {}

  pending(): void {
    if (this.retired) return;
    if (!this.computing) (this.computing = true, this.tally.count++);
    if (this.reportsState && this.hooks.onState) this.hooks.onState(this.cell, PENDING);
  }

  fulfilled(value: unknown): void {
    if (this.retired) return;
    this.#got(value);
  }

  rejected(error: unknown): void {
    if (this.retired) return;
    // Only runtime-level failures arrive here: cells never throw into the runtime.
    const cell = this.cell;
    const e = new CellRuntimeError(
      messageOf(error),
      { cell: cell.name, line: cell.line },
      error,
    );
    this.#got(new Blocked(cell.name, "error", { status: "error", error: e }));
  }

  /** Stops counting this variable (it was deleted). */
  retire(): void {
    this.retired = true;
    if (this.computing) (this.computing = false, this.tally.count--);
  }

  #got(value: unknown): void {
    this.value = value;
    this.has = true;
    if (this.reportsState && this.hooks.onState) {
      this.hooks.onState(this.cell, stateOf(this.cell.name, value));
    }
    const was = this.computing;
    this.computing = false;
    this.tally.settled(was);
  }
}
