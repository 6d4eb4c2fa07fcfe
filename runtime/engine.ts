/**
 * The reactive engine: one @observablehq/runtime variable per cell (two per input: its element
 * spec `$name` and its value `name`). The Observable runtime gives topological, minimal,
 * glitch-free re-execution, implicit awaits, stale-result dropping and invalidation; this file
 * adds per-cell error isolation, stop-gates, the re-run trace and hot redefinition.
 *
 * Values flow between variables unwrapped; a cell that throws, stops or cannot load flows a
 * private `Blocked` marker instead, so its descendants skip running and say which cell they wait on.
 */
import { Blocked, type CellState, PENDING, stateOf } from "./blocked.ts";
import {
  CellRuntimeError,
  CellTimeoutError,
  type LabError,
  messageOf,
  siteLabel,
} from "./errors.ts";
import { analyze, type LabGraph } from "./graph.ts";
import type { InputSpec, InputView } from "./input.ts";
import type { CellContext, CellDef, LabDefinition } from "./lab.ts";
import { type Module, Runtime, type Variable } from "./observable.ts";
import { escapeHTML, isRenderable } from "./render.ts";
import { StopSignal } from "./stop.ts";
import { TraceLog, type UpdateTrace } from "./trace.ts";
import type { ActCommit } from "./act.ts";
import { InputLocks } from "./locks.ts";
import { Tally, VarObserver } from "./observer.ts";
import { type SettleReport, SettleWaiters } from "./settle.ts";

export type { CellState, SettleReport };

/** Hooks a host (the page, the headless runner) plugs in. */
export interface EngineHooks {
  /** A cell's state changed. */
  onState?(cell: CellDef, state: CellState): void;
  /** An act's lock was committed (by the student, or restored from the ledger). */
  onCommit?(commit: ActCommit): void;
  /** An update settled. */
  onTrace?(trace: UpdateTrace): void;
}

/** How an engine runs. */
export interface EngineOptions {
  /**
   * Time every cell run for the trace (the dev overlay's "ms each"). Off by default: two clock
   * reads cost more than a small cell (≈ 0.1–0.2 µs each in Deno), and only the dev tools show it.
   */
  timed?: boolean;
}

interface Slot {
  cell: CellDef;
  vars: Variable[];
}

const now = () => performance.now();

/** A running lab. */
export class LabEngine {
  readonly trace: TraceLog;
  /** Committed locks and the inputs frozen with them; `setInput` refuses to change them. */
  readonly locks = new InputLocks();
  #rt: Runtime;
  #module: Module;
  #def: LabDefinition;
  #graph: LabGraph;
  #slots = new Map<string, Slot>();
  /** The current variable of each name, with its latest value and whether it is computing. */
  #recs = new Map<string, VarObserver>();
  #idleCheck = () => this.#checkIdle();
  #tally = new Tally(this.#idleCheck);
  #inputValues = new Map<string, unknown>();
  #specs = new Map<string, InputSpec<unknown>>();
  #waiters = new SettleWaiters(() =>
    [...this.#recs.values()].filter((r) => r.computing).map((r) => r.name)
  );
  #hooks: EngineHooks;
  #dups = 0;
  #lives = new WeakMap<Variable, VarObserver>();

  constructor(def: LabDefinition, hooks: EngineHooks = {}, opts: EngineOptions = {}) {
    this.trace = new TraceLog(now, opts.timed ?? false);
    this.#hooks = hooks;
    this.#def = def;
    this.#rt = new Runtime(undefined, (name: string) => {
      throw new Error(`${name} is not defined by any cell`);
    });
    // Compute in a microtask, not on the next animation frame: an input event updates the page
    // before the browser paints. Generators still advance once per frame.
    const rt = this.#rt as Runtime & { _precomputes: unknown[] };
    const frame = typeof requestAnimationFrame === "function"
      ? requestAnimationFrame
      : (f: () => void) => setTimeout(f, 0);
    rt._computeSoon = function (this: typeof rt) {
      const wait = this._precomputes.length
        ? new Promise<void>((r) => frame(() => r()))
        : Promise.resolve();
      return wait.then(() => this._computeNow());
    };
    this.#module = this.#rt.module();
    this.#graph = analyze(def.cells);
    this.trace.begin(null);
    for (const cell of def.cells) this.#define(cell);
  }

  /** The lab being run. */
  get definition(): LabDefinition {
    return this.#def;
  }

  /** Load-time errors (duplicates, cycles, undefined references, unreadable cells). */
  get loadErrors(): readonly LabError[] {
    return this.#graph.errors;
  }

  /** The current state of a cell. */
  state(cell: string): CellState {
    const slot = this.#slots.get(cell);
    const rec = slot && this.#lives.get(slot.vars[0]);
    if (!slot || !rec || rec.computing || !rec.has) return PENDING;
    return stateOf(slot.cell.name, rec.value);
  }

  /** A defined name's current value; throws, naming the cell, when it is not available. */
  value(name: string): unknown {
    const rec = this.#recs.get(name);
    if (!rec?.has) {
      if (!this.#graph.definer.has(name)) throw new Error(`no cell defines "${name}"`);
      throw new Error(`"${name}" has not computed yet`);
    }
    const v = rec.value;
    if (v instanceof Blocked) {
      throw new Error(`"${name}" is not available: ${describeState(v.own)}`);
    }
    return v;
  }

  /** The input spec currently behind `$name` (null until it computed). */
  inputSpec(name: string): InputSpec<unknown> | null {
    return this.#specs.get(name) ?? null;
  }

  /** Sets an input by name; its transitive dependents re-run once each. */
  setInput(name: string, value: unknown): void {
    const { slot, v } = this.#accept(name, value);
    if (Object.is(this.#inputValues.get(name), v) && this.#recs.get(name)?.value === v) return;
    this.#inputValues.set(name, v);
    this.trace.begin(name);
    slot.vars[1].define(name, [`$${name}`], this.#inputDefinition(name));
    if (slot.cell.lock && v !== null && v !== undefined) this.#commit(slot.cell, v);
  }

  /**
   * Sets input `name` as {@link setInput} does, except that a value that commits an act's lock is
   * first handed to `durable` (the page writes it where a reload finds it) and applied only once
   * that settles: nothing behind the lock runs before, and `settled()` waits for it. Throws at
   * once what `setInput` would (not an input, a refused value, a held lock).
   */
  setInputDurably(
    name: string,
    value: unknown,
    durable: (commit: ActCommit) => Promise<void>,
  ): Promise<void> {
    const { slot, v } = this.#accept(name, value);
    if (!slot.cell.lock || v === null || v === undefined) {
      this.setInput(name, v);
      return Promise.resolve();
    }
    const commit = {
      act: slot.cell.lock.act,
      value: v as string | number,
      setup: this.#setup(slot.cell),
    };
    this.#tally.count++; // `settled()` waits for the write
    return durable(commit).catch(() => {}).then(() => {
      try {
        this.setInput(name, v);
      } finally {
        this.#tally.settled(true);
      }
    });
  }

  /** The input cell `name` and `value` coerced by its spec; throws if either is refused. */
  #accept(name: string, value: unknown): { slot: Slot; v: unknown } {
    const slot = this.#slots.get(name);
    if (!slot || slot.cell.kind !== "input") {
      const inputs = this.#def.cells.filter((c) => c.kind === "input").map((c) => c.name);
      throw new Error(`"${name}" is not an input; the inputs are: ${inputs.join(", ")}`);
    }
    const spec = this.#specs.get(name);
    const v = spec?.coerce ? spec.coerce(value) : value;
    this.locks.check(name, v);
    return { slot, v };
  }

  /** The current values of the inputs a lock's prediction reads (what its commit freezes). */
  #setup(cell: CellDef): Record<string, unknown> {
    const setup: Record<string, unknown> = {};
    for (const name of this.#inputsBehind(cell.lock!.prediction)) {
      if (this.#inputValues.has(name)) setup[name] = this.#inputValues.get(name);
      else {
        const spec = this.#specs.get(name);
        if (spec) setup[name] = spec.value;
      }
    }
    return setup;
  }

  /** An act's lock got its value: it and the inputs its prediction read freeze with it. */
  #commit(cell: CellDef, value: unknown): void {
    const setup = this.#setup(cell);
    this.locks.freeze(cell.name, value);
    for (const [k, v] of Object.entries(setup)) this.locks.freeze(k, v, cell.name);
    this.#hooks.onCommit?.({ act: cell.lock!.act, value: value as string | number, setup });
  }

  /** The inputs a cell reads, directly or through other cells (the scenario of a prediction). */
  #inputsBehind(cellName: string): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const walk = (name: string) => {
      const def = this.#graph.definer.get(name);
      if (!def || seen.has(def.name)) return;
      seen.add(def.name);
      if (def.kind === "input" && def.name !== cellName) out.add(def.name);
      for (const r of def.refs) walk(r);
    };
    walk(cellName);
    return [...out].sort();
  }

  /**
   * Re-applies a commit kept from an earlier visit: its frozen inputs first, then the lock.
   * A commit already held, or one the lab no longer accepts, is left alone.
   */
  restoreCommit(c: ActCommit): void {
    const lock = this.#def.cells.find((d) => d.lock?.act === c.act);
    if (!lock || this.locks.has(lock.name)) return;
    for (const [name, v] of Object.entries(c.setup)) {
      if (
        this.locks.has(name) || !this.#def.cells.some((d) => d.kind === "input" && d.name === name)
      ) continue;
      try {
        this.setInput(name, v);
      } catch { /* the lab changed: keep its default */ }
    }
    try {
      this.setInput(lock.name, c.value);
    } catch { /* an option the lab no longer has */ }
  }

  /**
   * "Start this lab over": releases every lock and opens every act's lock again (null), so the
   * next commit is a commit; the other inputs keep their values.
   */
  releaseLocks(): void {
    this.locks.clear();
    for (const cell of this.#def.cells) {
      if (cell.lock && this.#inputValues.get(cell.name) !== null) {
        if (this.#inputValues.has(cell.name)) this.setInput(cell.name, null);
      }
    }
  }

  /** Resolves once no cell is computing, or after `timeoutMs` with the cells still running. */
  settled(timeoutMs = 10_000): Promise<SettleReport> {
    const p = this.#waiters.add(timeoutMs);
    queueMicrotask(this.#idleCheck);
    return p;
  }

  /** Marks still-running cells as timed out (so `--check` can name them). */
  timeoutErrors(pending: readonly string[], ms: number): LabError[] {
    const cellOf = (n: string) => this.#def.cells.find((c) => c.name === n || `$${c.name}` === n);
    const stuck = new Set(pending.map((n) => cellOf(n)?.name ?? n));
    const errors: LabError[] = [];
    for (const name of stuck) {
      const cell = cellOf(name);
      if (cell?.refs.some((r) => stuck.has(r))) continue; // waits on a stuck ancestor
      const waiting = [...stuck].filter((n) => cellOf(n)?.refs.includes(name));
      errors.push(
        new CellTimeoutError(
          `did not settle within ${ms} ms${
            waiting.length ? `; ${waiting.map((w) => `"${w}"`).join(", ")} wait on it` : ""
          }`,
          [{ cell: name, line: cell?.line ?? null }],
          "a promise that never resolves holds up only this cell and the cells that read it",
        ),
      );
    }
    return errors;
  }

  /**
   * Hot reload: swaps in a new definition of the same lab. Cells whose source is unchanged keep
   * their values; inputs keep their values when the new spec accepts them.
   */
  redefine(def: LabDefinition): { changed: string[]; added: string[]; removed: string[] } {
    const old = this.#slots;
    const oldGraph = this.#graph;
    this.#def = def;
    this.#graph = analyze(def.cells);
    this.#slots = new Map();
    const changed: string[] = [], added: string[] = [];
    this.trace.begin(null);
    for (const cell of def.cells) {
      const prev = old.get(cell.name);
      const wasBroken = prev ? oldGraph.broken.has(prev.cell) : false;
      const isBroken = this.#graph.broken.has(cell);
      if (prev && prev.cell.hash === cell.hash && !wasBroken && !isBroken) {
        this.#slots.set(cell.name, { cell, vars: prev.vars });
        old.delete(cell.name);
        continue;
      }
      if (prev) {
        for (const v of prev.vars) this.#retire(v);
        old.delete(cell.name);
        changed.push(cell.name);
      } else added.push(cell.name);
      this.#define(cell);
    }
    const removed = [...old.keys()];
    for (const slot of old.values()) {
      for (const v of slot.vars) this.#retire(v);
      for (const n of [slot.cell.name, `$${slot.cell.name}`]) this.#recs.delete(n);
    }
    queueMicrotask(this.#idleCheck);
    return { changed, added, removed };
  }

  /** Stops every cell and runs their cleanup. */
  dispose(): void {
    this.#rt.dispose();
  }

  // ---- definition ----------------------------------------------------------------------------

  #define(cell: CellDef): void {
    const broken = this.#graph.broken.get(cell);
    const names = this.#uniqueNames(cell);
    const vars: Variable[] = [];
    if (cell.kind === "input") {
      const [viewName, valueName] = names;
      const view = this.#variable(cell, viewName, true);
      view.define(viewName, broken ? [] : this.#inputs(cell), this.#run(cell, broken, true));
      const value = this.#variable(cell, valueName, false);
      value.define(valueName, [viewName], this.#inputDefinition(cell.name));
      vars.push(view, value);
    } else {
      const v = this.#variable(cell, names[0], true);
      v.define(names[0], broken ? [] : this.#inputs(cell), this.#run(cell, broken, false));
      vars.push(v);
    }
    if (!this.#slots.has(cell.name)) this.#slots.set(cell.name, { cell, vars });
  }

  /** Variable names; a duplicate definer gets a private name so the first keeps the real one. */
  #uniqueNames(cell: CellDef): string[] {
    const base = cell.kind === "input" ? [`$${cell.name}`, cell.name] : [cell.name];
    const dup = this.#graph.definer.get(cell.name) !== cell && this.#graph.broken.has(cell);
    return dup ? base.map((n) => `${n}@duplicate${++this.#dups}`) : base;
  }

  #inputs(cell: CellDef): string[] {
    return cell.wantsContext ? [...cell.refs, "invalidation"] : [...cell.refs];
  }

  #variable(cell: CellDef, name: string, reportsState: boolean): Variable {
    // Hot path: no allocation per run. States are derived on demand from values and `computing`.
    const rec = new VarObserver(name, cell, reportsState, this.#hooks, this.#tally);
    this.#recs.set(name, rec);
    const v = this.#module.variable(rec);
    this.#lives.set(v, rec);
    return v;
  }

  /** Deletes a variable whose cell was changed or removed, silencing its last report. */
  #retire(v: Variable): void {
    this.#lives.get(v)?.retire();
    v.delete();
  }

  /** Wraps a cell function: skip when an input is blocked, time it, turn throws into states. */
  #run(cell: CellDef, broken: LabError | undefined, isInput: boolean) {
    if (broken) {
      const b = new Blocked(cell.name, "error", { status: "error", error: broken });
      return () => b;
    }
    const refs = cell.refs;
    const n = refs.length;
    const name = cell.name;
    const fn = cell.fn;
    const wantsContext = cell.wantsContext;
    const trace = this.trace;
    const timed = trace.timed;
    // One scope object per cell, reused: cells destructure it at call time and never keep it.
    const scope: Record<string, unknown> = {};
    const soft = cell.soft?.length ? refs.map((r) => cell.soft!.includes(r)) : null;
    return (...args: unknown[]) => {
      for (let i = 0; i < n; i++) {
        let a = args[i];
        if (a instanceof Blocked) {
          if (soft === null || !soft[i]) return a; // keeps the root cause: "waiting on <root>"
          a = undefined; // read softly: a lock never blocks the summary
        }
        scope[refs[i]] = a;
      }
      const ctx = wantsContext ? context(args[n] as Promise<void>) : undefined;
      const t0 = timed ? now() : 0;
      let out: unknown;
      try {
        out = fn(scope, ctx as CellContext);
      } catch (e) {
        trace.run(name, timed ? now() - t0 : 0);
        return this.#failure(cell, e);
      }
      if (out instanceof Promise) {
        return out.then(
          (v) => (trace.run(name, timed ? now() - t0 : 0), isInput ? this.#viewOf(cell, v) : v),
          (e) => (trace.run(name, timed ? now() - t0 : 0), this.#failure(cell, e)),
        );
      }
      trace.run(name, timed ? now() - t0 : 0);
      return isInput ? this.#viewOf(cell, out) : out;
    };
  }

  #failure(cell: CellDef, e: unknown): Blocked {
    if (e instanceof StopSignal) {
      return new Blocked(cell.name, "stopped", { status: "stopped", output: e.output });
    }
    const at = thrownAt(e);
    const err = new CellRuntimeError(
      `${messageOf(e)}${at && at !== cell.line ? ` (thrown at line ${at})` : ""}`,
      site(cell),
      e,
    );
    return new Blocked(cell.name, "error", { status: "error", error: err });
  }

  /** The `$name` value of an input: remembers the spec and renders it at the current value. */
  #viewOf(cell: CellDef, spec: unknown): InputView<unknown> | Blocked {
    if (!isInputSpec(spec)) {
      return this.#failure(
        cell,
        new TypeError("an input cell must return an input (slider, dropdown, …)"),
      );
    }
    this.#specs.set(cell.name, spec);
    const name = cell.name;
    const current = () => this.#inputValues.has(name) ? this.#inputValues.get(name) : spec.value;
    return {
      input: name,
      spec,
      html: () =>
        `<div class="syslab-input" data-syslab-input="${escapeHTML(name)}">${
          spec.html(current())
        }</div>`,
    };
  }

  /** The value variable of an input: the current value, kept while the new spec accepts it. */
  #inputDefinition(name: string) {
    return (view: unknown) => {
      if (view instanceof Blocked) return view;
      const spec = (view as InputView<unknown>).spec;
      if (this.#inputValues.has(name)) {
        const v = this.#inputValues.get(name);
        try {
          const kept = spec.coerce ? spec.coerce(v) : v;
          this.#inputValues.set(name, kept);
          return kept;
        } catch {
          this.#inputValues.delete(name);
        }
      }
      return spec.value;
    };
  }

  // ---- settling ------------------------------------------------------------------------------

  #checkIdle(): void {
    if (this.#tally.count || this.#rt._computing) return;
    const t = this.trace.end();
    if (t) this.#hooks.onTrace?.(t);
    this.#waiters.idle();
  }
}

function isInputSpec(v: unknown): v is InputSpec<unknown> {
  return typeof v === "object" && v !== null && "value" in v &&
    typeof (v as InputSpec<unknown>).html === "function" && !isRenderableOnly(v);
}

function isRenderableOnly(v: object): boolean {
  return isRenderable(v) && !("value" in v);
}

/** The lab-file line an error was thrown from: its first stack frame outside the runtime. */
function thrownAt(e: unknown): number | null {
  const stack = e instanceof Error ? e.stack?.split("\n").slice(1) ?? [] : [];
  for (const frame of stack) {
    if (/node_modules|[/\\]runtime[/\\]/.test(frame)) continue;
    // Only a TypeScript source frame has lab-file lines; a page bundle's frames do not.
    const m = /\.ts:(\d+):\d+\)?\s*$/.exec(frame);
    return m ? Number(m[1]) : null;
  }
  return null;
}

function context(invalidation: Promise<void>): CellContext {
  return {
    invalidation,
    onCleanup(fn) {
      invalidation.then(fn);
    },
  };
}

function site(cell: CellDef) {
  return { cell: cell.name, line: cell.line };
}

/** A one-line description of a state, for `--check` and error messages. */
export function describeState(s: CellState): string {
  switch (s.status) {
    case "pending":
      return "still running";
    case "ok":
      return "ok";
    case "error":
      return s.error.describe();
    case "stopped":
      return "stopped";
    case "waiting":
      return s.reason === "stopped"
        ? `ancestor stopped (${s.on})`
        : `waiting on cell "${s.on}", which failed`;
  }
}

export { siteLabel };
