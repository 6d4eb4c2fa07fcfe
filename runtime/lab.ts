/**
 * The lab file format: a typed builder. Each call declares one cell; a cell's references are the
 * names its function destructures (read by `params.ts`), so nothing is listed twice. The scope
 * type grows with every named cell, so `deno check` sees each value's type where it is read.
 *
 * ```ts
 * export default lab({ id: "v2-10", title: "The KV-Cache Memory Wall" })
 *   .input("seqLen", () => slider({ label: "Context", min: 512, max: 131072, value: 4096 }))
 *   .cell("kv", ({ seqLen }) => kvBytes(seqLen))
 *   .show(({ kv }) => md`Each user holds **${kv}** bytes.`);
 * ```
 */
import { hashSource } from "./hash.ts";
import type { InputSpec, InputView } from "./input.ts";
import { ParameterShapeError, referencedNames } from "./params.ts";

/** Catalog facts about a lab. */
export interface LabMeta {
  /** `v2-10` style (volume-number) or a slug such as `kv-cache-tax`. */
  id: string;
  title: string;
  subtitle?: string;
  /** Expected time in minutes. */
  minutes?: number;
  /** Course volume ("I", "II") or "tutorial". */
  volume?: string;
  topics?: string[];
  /** `ready`, `draft`… shown by `deno task lab --list`. */
  status?: string;
}

/** What every cell function receives as its second argument. */
export interface CellContext {
  /** Resolves when the cell is about to re-run or is deleted. */
  readonly invalidation: Promise<void>;
  /** Registers cleanup to run on invalidation (timers, listeners, workers). */
  onCleanup(fn: () => void): void;
}

/** Kinds of cell: an input (defines `name` and `$name`), a computed value, or a display. */
export type CellKind = "input" | "cell" | "show";

// deno-lint-ignore no-explicit-any
export type CellFn = (scope: any, ctx: CellContext) => unknown;

/** One declared cell, as the runtime sees it. */
export interface CellDef {
  readonly name: string;
  readonly kind: CellKind;
  readonly fn: CellFn;
  /** Names read, from the function's destructured parameter. */
  readonly refs: readonly string[];
  /** Set when the parameter list could not be read. */
  readonly shapeError?: string;
  /** Declaration line in the lab file (null when unknown). */
  line: number | null;
  /** Has a slot in the page. A plain cell's slot shows only a renderable value, an error, or a stop's output. */
  readonly display: boolean;
  /** Identity for hot reload: kind, name and source. */
  readonly hash: string;
  /** Uses the context argument (cleanup / invalidation). */
  readonly wantsContext: boolean;
}

/** A whole lab: its catalog facts and its cells in file order. */
export interface LabDefinition {
  readonly meta: LabMeta;
  readonly cells: readonly CellDef[];
}

type Scope = Record<string, unknown>;
type With<S, N extends string, T> = S & { [K in N]: T };

/** The builder a lab file chains; every method declares one cell and returns the builder. */
export class Lab<S extends Scope = Scope> implements LabDefinition {
  readonly cells: CellDef[] = [];
  #after: string | null = null;
  constructor(readonly meta: LabMeta) {}

  /**
   * Every cell declared from here on also waits on `name`: while `name` is stopped (a prediction
   * lock not yet committed) or failed, they show nothing. `after(null)` ends the section.
   * This is how an act's instruments stay hidden until its prediction is locked.
   */
  after(name: (keyof S & string) | null): this {
    this.#after = name;
    return this;
  }

  /** An input named `name`: `name` is its value, `$name` its element (to place it in a layout). */
  input<N extends string, T>(
    name: N,
    spec: (scope: S, ctx: CellContext) => InputSpec<T>,
  ): Lab<With<With<S, N, T>, `$${N}`, InputView<T>>> {
    this.cells.push(declare(name, "input", spec, true, this.#after));
    // deno-lint-ignore no-explicit-any
    return this as any;
  }

  /** A computed value named `name`; shown in the page when it renders (markup, chart…). */
  cell<N extends string, R>(
    name: N,
    fn: (scope: S, ctx: CellContext) => R,
  ): Lab<With<S, N, Awaited<R>>> {
    this.cells.push(declare(name, "cell", fn, true, this.#after));
    // deno-lint-ignore no-explicit-any
    return this as any;
  }

  /** A display cell. Named ones can be read by tests (`lab.html("header")`). */
  show(fn: (scope: S, ctx: CellContext) => unknown): Lab<S>;
  show(name: string, fn: (scope: S, ctx: CellContext) => unknown): Lab<S>;
  show(a: string | CellFn, b?: CellFn): Lab<S> {
    const fn = (typeof a === "function" ? a : b) as CellFn;
    const name = typeof a === "string" ? a : `#${this.cells.length + 1}`;
    this.cells.push(declare(name, "show", fn, true, this.#after));
    return this;
  }
}

/** Starts a lab. */
export function lab(meta: LabMeta): Lab<Record<never, never>> {
  return new Lab(meta);
}

function declare(
  name: string,
  kind: CellKind,
  fn: CellFn,
  display: boolean,
  after: string | null,
): CellDef {
  let refs: string[] = [];
  let shapeError: string | undefined;
  try {
    refs = referencedNames(fn);
  } catch (e) {
    if (!(e instanceof ParameterShapeError)) throw e;
    shapeError = e.message;
  }
  if (after !== null && after !== name && !refs.includes(after)) refs = [...refs, after];
  const source = Function.prototype.toString.call(fn);
  // Capturing the call site is cheap; formatting its stack into text is not (about 0.3 ms a
  // cell in a cold page), so the line is read from it only when someone asks.
  const site = captureSites ? new Error() : null;
  let line: number | null | undefined;
  const def = {
    name,
    kind,
    fn,
    refs,
    shapeError,
    line: null as number | null,
    display,
    hash: hashSource(`${kind}\0${name}\0${after}\0${source}`),
    wantsContext: fn.length >= 2,
  };
  Object.defineProperty(def, "line", {
    get: () => line === undefined ? (line = callerLine(site)) : line,
    set: (v: number | null) => void (line = v),
    enumerable: true,
  });
  return def;
}

let captureSites = true;

/**
 * Stops the builder from capturing each cell's call site. Page bundles set every cell's `line`
 * from the lab's source instead (a stack trace there points into the bundle anyway), and call this
 * before the lab module runs (`runtime/call-sites-off.ts`): under an inspector — devtools, the
 * browser tests, the bench — each trace captured in module code makes V8 re-parse the whole
 * bundle for its source positions, about 140 ms for an exported lab.
 */
export function skipCallSites(skip = true): void {
  captureSites = !skip;
}

/** The line of the lab file that called the builder, read from the stack trace of `site`. */
function callerLine(site: Error | null): number | null {
  const stack = site?.stack?.split("\n") ?? [];
  for (const frame of stack.slice(1)) {
    if (/[/\\]runtime[/\\]lab\.ts/.test(frame)) continue;
    const m = /:(\d+):\d+\)?\s*$/.exec(frame);
    return m ? Number(m[1]) : null;
  }
  return null;
}
