/**
 * The re-run trace: for every update, which inputs changed, which cells ran, in which order and
 * for how long. Tests use it to prove minimal re-execution; the page's dev overlay shows it.
 */

/** One cell execution within an update. */
export interface CellRun {
  cell: string;
  ms: number;
}

/** One update: the inputs set (empty for the first load), the runs in order, the wall time. */
export interface UpdateTrace {
  id: number;
  inputs: string[];
  /** From the first input change (or load) to settle. */
  ms: number;
  /** The cells that ran, in order, with their times. */
  readonly runs: CellRun[];
}

/** An update being recorded: runs kept as two flat arrays (no object per run on the hot path). */
class Update implements UpdateTrace {
  ms = 0;
  readonly cells: string[] = [];
  readonly times: number[] = [];
  constructor(readonly id: number, readonly inputs: string[]) {}
  get runs(): CellRun[] {
    return this.cells.map((cell, i) => ({ cell, ms: this.times[i] }));
  }
  toJSON() {
    return { id: this.id, inputs: this.inputs, ms: this.ms, runs: this.runs };
  }
}

/** Keeps the most recent updates. */
export class TraceLog {
  readonly updates: UpdateTrace[] = [];
  #current: Update | null = null;
  #started = 0;
  #next = 0;
  constructor(private readonly now: () => number, private readonly keep = 50) {}

  /** Opens an update (or joins the open one) for an input change. */
  begin(input: string | null): void {
    if (!this.#current) {
      this.#current = new Update(this.#next++, []);
      this.#started = this.now();
    }
    if (input !== null && !this.#current.inputs.includes(input)) this.#current.inputs.push(input);
  }

  /** Records one cell run in the open update. */
  run(cell: string, ms: number): void {
    if (!this.#current) this.begin(null);
    this.#current!.cells.push(cell);
    this.#current!.times.push(ms);
  }

  /** Closes the open update, if any, and returns it. */
  end(): UpdateTrace | null {
    const t = this.#current;
    if (!t) return null;
    t.ms = this.now() - this.#started;
    this.#current = null;
    this.updates.push(t);
    if (this.updates.length > this.keep) this.updates.shift();
    return t;
  }

  /** The newest closed update. */
  get last(): UpdateTrace | undefined {
    return this.updates[this.updates.length - 1];
  }
}
