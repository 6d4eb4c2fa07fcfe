/**
 * Runs a lab in Deno with no DOM: set inputs by name, await settle, read any value or any cell's
 * rendered HTML. Tests, `deno task lab <id> --check` and the exporter's pre-render all use it.
 */
import { type CellState, type EngineOptions, LabEngine, type SettleReport } from "./engine.ts";
import { CellRuntimeError, type LabError } from "./errors.ts";
import type { LabDefinition } from "./lab.ts";
import { importLab } from "./loader.ts";
import { stateHTML } from "./state-html.ts";
import type { UpdateTrace } from "./trace.ts";

/** A lab running headless. */
export class HeadlessLab {
  readonly engine: LabEngine;
  constructor(readonly definition: LabDefinition, opts: EngineOptions = {}) {
    this.engine = new LabEngine(definition, {}, opts);
  }

  /** Sets one input, or several at once (one update). */
  set(name: string, value: unknown): this;
  set(values: Record<string, unknown>): this;
  set(a: string | Record<string, unknown>, b?: unknown): this {
    const entries = typeof a === "string" ? [[a, b] as const] : Object.entries(a);
    for (const [k, v] of entries) this.engine.setInput(k, v);
    return this;
  }

  /**
   * "Start this lab over": releases every committed lock (and the inputs frozen with them), so a
   * test can commit again. Values stay as they are.
   */
  startOver(): this {
    this.engine.releaseLocks();
    return this;
  }

  /** Waits until every cell has settled (or `timeoutMs` passed). */
  settled(timeoutMs?: number): Promise<SettleReport> {
    return this.engine.settled(timeoutMs);
  }

  /** Sets inputs and waits for the update to settle; returns its trace. */
  async update(values: Record<string, unknown>): Promise<UpdateTrace> {
    this.set(values);
    await this.settled();
    return this.engine.trace.last!;
  }

  /** A defined name's value (throws when its cell failed or was stopped). */
  value<T = unknown>(name: string): T {
    return this.engine.value(name) as T;
  }

  /** A cell's state. */
  state(cell: string): CellState {
    return this.engine.state(cell);
  }

  /** A cell's rendered HTML, as the page shows it. */
  html(cell: string): string {
    const def = this.definition.cells.find((c) => c.name === cell);
    return stateHTML(this.engine.state(cell), def?.kind);
  }

  /** Every displayed cell's HTML, in file order. */
  htmlAll(): Array<{ cell: string; html: string }> {
    return this.definition.cells.filter((c) => c.display).map((c) => ({
      cell: c.name,
      html: this.html(c.name),
    }));
  }

  /** Load-time errors plus every cell that failed on its own (not ones waiting on another). */
  errors(): LabError[] {
    const out: LabError[] = [...this.engine.loadErrors];
    for (const c of this.definition.cells) {
      const s = this.engine.state(c.name);
      if (s.status === "error" && s.error instanceof CellRuntimeError) out.push(s.error);
    }
    return out;
  }

  /** The most recent update traces, oldest first. */
  get traces(): readonly UpdateTrace[] {
    return this.engine.trace.updates;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/**
 * Loads a lab (a definition, an id, or a path) headless and waits for its first settle;
 * `timed` records each cell run's time in the traces.
 */
export async function runLab(
  lab: LabDefinition | string,
  opts: { timeoutMs?: number } & EngineOptions = {},
): Promise<HeadlessLab> {
  const def = typeof lab === "string" ? await importLab(lab) : lab;
  const h = new HeadlessLab(def, { timed: opts.timed });
  await h.settled(opts.timeoutMs);
  return h;
}
