/**
 * The re-run trace: for every update, which inputs changed, which cells ran, in which order and
 * (when asked) for how long. Tests use it to prove minimal re-execution; the page's dev overlay
 * shows it.
 */

/** One cell execution within an update. */
export interface CellRun {
  cell: string;
  /** The cell's own time; null when the engine was not asked to time cells (`timed`). */
  ms: number | null;
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

/** A recorded update: runs kept as two flat arrays (no object per run). */
class Update implements UpdateTrace {
  ms = 0;
  cells: string[] = [];
  times: number[] | null = null;
  constructor(readonly id: number, readonly inputs: string[]) {}
  get runs(): CellRun[] {
    const times = this.times;
    return this.cells.map((cell, i) => ({ cell, ms: times ? times[i] : null }));
  }
  toJSON() {
    return { id: this.id, inputs: this.inputs, ms: this.ms, runs: this.runs };
  }
}

/**
 * Keeps the most recent updates. A timed log keeps each run's time; an untimed one only the
 * order (reading the clock twice per cell costs more than a small cell itself in Deno).
 */
export class TraceLog {
  readonly updates: UpdateTrace[] = [];
  #current: Update | null = null;
  #started = 0;
  #next = 0;
  // Scratch buffers reused by every update; `end()` copies out what was recorded.
  #cells: string[] = [];
  #times: number[] = [];
  #n = 0;
  constructor(
    private readonly now: () => number,
    readonly timed = true,
    private readonly keep = 50,
  ) {}

  /** Opens an update (or joins the open one) for an input change. */
  begin(input: string | null): void {
    if (!this.#current) {
      this.#current = new Update(this.#next++, []);
      this.#started = this.now();
    }
    if (input !== null && !this.#current.inputs.includes(input)) this.#current.inputs.push(input);
  }

  /** Records one cell run in the open update; `ms` is kept when the log is timed. */
  run(cell: string, ms: number): void {
    if (!this.#current) this.begin(null);
    const n = this.#n++;
    this.#cells[n] = cell;
    if (this.timed) this.#times[n] = ms;
  }

  /** Closes the open update, if any, and returns it. */
  end(): UpdateTrace | null {
    const t = this.#current;
    if (!t) return null;
    t.ms = this.now() - this.#started;
    t.cells = this.#cells.slice(0, this.#n);
    if (this.timed) t.times = this.#times.slice(0, this.#n);
    this.#n = 0;
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
