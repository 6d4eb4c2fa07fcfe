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
import {
  type ActGrade,
  type ActSummary,
  lockName,
  type PredictionDraft,
  predictionName,
  recordName,
} from "./act.ts";
import { hashSource } from "./hash.ts";
import type { InputSpec, InputView } from "./input.ts";
import { ParameterShapeError, referencedNames } from "./params.ts";
import { stop } from "./stop.ts";

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
  /** References read softly: a stopped or failed one arrives as `undefined` instead of blocking. */
  readonly soft?: readonly string[];
  /** Set on an act's lock input: its first non-null value is final (`engine.setInput` refuses another). */
  readonly lock?: { readonly act: string; readonly prediction: string };
  /** The act this cell belongs to (null: outside every act). */
  readonly act?: string | null;
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
  /** The acts in lesson order. */
  readonly acts: Array<{ id: string; title: string }> = [];
  /** The act whose body is being declared. */
  #act: string | null = null;
  constructor(readonly meta: LabMeta) {}

  /**
   * An act: its intro (the scenario, shown before the lock), its prediction, and its body — the
   * inputs, instruments, reveal, reflection and record behind the lock. Every cell of the body
   * waits on the commit; in it, `id` is the graded commit. An act waits on the act before it, so
   * the file reads in lesson order and nothing of act 2 runs before act 1 is committed. Inputs the
   * prediction reads (the context, the scenario's knobs) freeze at the commit.
   */
  act<A extends string, G extends ActGrade, S2 extends Scope>(
    id: A,
    decl: ActDecl<S, G>,
    body: (act: Lab<With<S, A, G>>) => Lab<S2>,
  ): Lab<S2> {
    if (this.#act !== null) {
      throw new Error(`act "${id}" is declared inside act "${this.#act}": acts do not nest`);
    }
    const prev = this.acts.at(-1)?.id;
    const wait = prev ? [prev] : [];
    this.acts.push({ id, title: decl.title });
    const site = { lab: this.meta.id, act: id };
    const pn = predictionName(id), ln = lockName(id);
    if (decl.intro) {
      this.#push(declare(`${id}Intro`, "show", decl.intro, { extra: wait, act: id }));
    }
    this.#push(
      declare(pn, "cell", decl.prediction, {
        extra: wait,
        display: false,
        act: id,
        run: (scope, ctx) => decl.prediction(scope as S, ctx).bind(site),
      }),
    );
    this.#push(
      declare(ln, "input", (s: Scope) => (s[pn] as { input: unknown }).input, {
        refs: [pn],
        lock: { act: id, prediction: pn },
        act: id,
      }),
    );
    this.#push(
      declare(id, "cell", (s: Scope) => {
        const p = s[pn] as { grade(v: unknown): unknown; waiting: unknown };
        const v = s[ln];
        if (v === null || v === undefined) stop(true, p.waiting);
        return p.grade(v);
      }, { refs: [ln, pn], act: id }),
    );
    this.#act = id;
    try {
      body(this as unknown as Lab<With<S, A, G>>);
    } finally {
      this.#act = null;
    }
    // deno-lint-ignore no-explicit-any
    return this as any;
  }

  /**
   * Inside an act: the reveal — prediction vs reality, built by the act's prediction — followed
   * by what `extra` returns (feedback that needs the act's instruments).
   */
  reveal(extra?: (scope: S, ctx: CellContext) => unknown): this {
    const act = this.#inAct("reveal");
    const pn = predictionName(act);
    const fn = extra ?? (() => undefined);
    this.#push(
      declare(`${act}Reveal`, "show", fn, {
        extra: [act, pn],
        act,
        run: (scope, ctx) => {
          const s = scope as Scope;
          const p = s[pn] as { reveal(g: unknown, x?: unknown): unknown };
          return p.reveal(s[act], extra ? extra(scope as S, ctx) : undefined);
        },
      }),
    );
    return this;
  }

  /**
   * Inside an act: what it contributes to the HUD and the ledger, computed behind its lock, so
   * the summary shows it only once the act is committed. Written whole per act.
   */
  record(fn: (scope: S, ctx: CellContext) => ActRecordInput): this {
    const act = this.#inAct("record");
    this.#push(declare(recordName(act), "cell", fn, { act }));
    return this;
  }

  /**
   * The lab's summary (HUD, ledger): a display cell that may read \`acts\`, every act's state —
   * open, or committed with its grade and record. It never waits on a lock: what is behind a
   * lock reaches it only after the commit.
   */
  summary(
    name: string,
    fn: (scope: S & { acts: readonly ActSummary[] }, ctx: CellContext) => unknown,
  ): this {
    if (this.#act !== null) throw new Error(`summary "${name}" must come after the acts`);
    if (!this.cells.some((c) => c.name === "acts")) {
      const recorded = new Set(this.cells.map((c) => c.name));
      this.#push(actsCell(this.acts, (id) => recorded.has(recordName(id))));
    }
    this.#push(declare(name, "show", fn as CellFn, {}));
    return this;
  }

  #inAct(what: string): string {
    if (this.#act === null) throw new Error(`.${what}() belongs inside an act`);
    return this.#act;
  }

  #push(def: CellDef): void {
    this.cells.push(def);
  }

  /** An input named `name`: `name` is its value, `$name` its element (to place it in a layout). */
  input<N extends string, T>(
    name: N,
    spec: (scope: S, ctx: CellContext) => InputSpec<T>,
  ): Lab<With<With<S, N, T>, `$${N}`, InputView<T>>> {
    this.#push(declare(name, "input", spec, this.#scoped()));
    // deno-lint-ignore no-explicit-any
    return this as any;
  }

  /** A computed value named `name`; shown in the page when it renders (markup, chart…). */
  cell<N extends string, R>(
    name: N,
    fn: (scope: S, ctx: CellContext) => R,
  ): Lab<With<S, N, Awaited<R>>> {
    this.#push(declare(name, "cell", fn, this.#scoped()));
    // deno-lint-ignore no-explicit-any
    return this as any;
  }

  /** A display cell. Named ones can be read by tests (`lab.html("header")`). */
  show(fn: (scope: S, ctx: CellContext) => unknown): Lab<S>;
  show(name: string, fn: (scope: S, ctx: CellContext) => unknown): Lab<S>;
  show(a: string | CellFn, b?: CellFn): Lab<S> {
    const fn = (typeof a === "function" ? a : b) as CellFn;
    const name = typeof a === "string" ? a : `#${this.cells.length + 1}`;
    this.#push(declare(name, "show", fn, this.#scoped()));
    return this;
  }

  /** Declaration options of a cell written by the author here: inside an act, after its gate. */
  #scoped(): DeclareOptions {
    return { extra: this.#act === null ? [] : [this.#act], act: this.#act };
  }
}

/** An act's declaration: its title, the scenario shown before the lock, and its prediction. */
export interface ActDecl<S, G extends ActGrade> {
  title: string;
  /** Shown above the lock; it must not read anything the commit reveals. */
  intro?: (scope: S, ctx: CellContext) => unknown;
  /** The prediction (`choicePrediction`, `numberPrediction` from cells/): options, and how the correct one is computed. */
  prediction: (scope: S, ctx: CellContext) => PredictionDraft<G>;
}

/** What \`.record()\` returns. */
export interface ActRecordInput {
  hud?: ReadonlyArray<readonly [string, string | number]>;
  ledger?: Readonly<Record<string, string | number | boolean | null>>;
}

/** The hidden \`acts\` cell: every act's state, read softly (a lock never blocks it). */
function actsCell(
  acts: ReadonlyArray<{ id: string; title: string }>,
  hasRecord: (id: string) => boolean,
): CellDef {
  const refs = acts.flatMap((a) => [
    lockName(a.id),
    a.id,
    ...(hasRecord(a.id) ? [recordName(a.id)] : []),
  ]);
  const run = (s: Scope): ActSummary[] =>
    acts.map((a) => {
      const lock = s[lockName(a.id)];
      const grade = s[a.id] as ActGrade | undefined;
      const record = s[recordName(a.id)] as ActSummary["record"];
      if (lock === undefined) return { id: a.id, title: a.title, status: "waiting" };
      if (lock === null || grade === undefined) return { id: a.id, title: a.title, status: "open" };
      return { id: a.id, title: a.title, status: "committed", grade, record };
    });
  return declare("acts", "cell", run as CellFn, { refs, soft: refs, display: false });
}

/** Starts a lab. */
export function lab(meta: LabMeta): Lab<Record<never, never>> {
  return new Lab(meta);
}

interface DeclareOptions {
  /** The references, when they are not read from `fn`'s parameter (generated cells). */
  refs?: readonly string[];
  /** References added to those read (the gate of the act the cell belongs to). */
  extra?: readonly string[];
  soft?: readonly string[];
  display?: boolean;
  lock?: CellDef["lock"];
  act?: string | null;
  /** What runs, when it is not `fn` itself (`fn` still gives the references and the identity). */
  run?: CellFn;
}

function declare(name: string, kind: CellKind, fn: CellFn, o: DeclareOptions): CellDef {
  let refs: string[] = [];
  let shapeError: string | undefined;
  if (o.refs) refs = [...o.refs];
  else {
    try {
      refs = referencedNames(fn);
    } catch (e) {
      if (!(e instanceof ParameterShapeError)) throw e;
      shapeError = e.message;
    }
  }
  for (const x of o.extra ?? []) if (x !== name && !refs.includes(x)) refs = [...refs, x];
  const source = Function.prototype.toString.call(fn);
  // Capturing the call site is cheap; formatting its stack into text is not (about 0.3 ms a
  // cell in a cold page), so the line is read from it only when someone asks.
  const site = captureSites ? new Error() : null;
  let line: number | null | undefined;
  const run = o.run ?? fn;
  const def = {
    name,
    kind,
    fn: run,
    refs,
    shapeError,
    line: null as number | null,
    display: o.display ?? true,
    hash: hashSource(`${kind}\0${name}\0${o.act ?? ""}\0${refs.join(",")}\0${source}`),
    wantsContext: fn.length >= 2,
    soft: o.soft,
    lock: o.lock,
    act: o.act ?? null,
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
