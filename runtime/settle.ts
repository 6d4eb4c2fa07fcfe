/**
 * The promises `settled()` hands out: resolved when the engine falls idle, or at their deadline
 * with the cells still running. One timer serves every waiter and is re-armed only for an earlier
 * deadline (creating a timer per update costs ~5 µs in Deno, more than a 100-cell update's own
 * overhead); in Deno it holds the process open only while someone waits (`ref`/`unref`).
 */

/** The answer of `settled()`: which cells were still running when time ran out. */
export interface SettleReport {
  settled: boolean;
  pending: string[];
}

interface Waiter {
  deadline: number;
  resolve(r: SettleReport): void;
}

type Timer = ReturnType<typeof setTimeout>;
/** Holds the process open on `t` or lets it go (a Deno/Node timer object; a browser's is a number). */
const hold = (t: Timer, on: boolean) => {
  const o = t as unknown as { ref?(): void; unref?(): void };
  if (on) o.ref?.();
  else o.unref?.();
};
const now = () => performance.now();

/** The waiters of one engine; `running()` names the cells still computing. */
export class SettleWaiters {
  #list: Waiter[] = [];
  #timer: Timer | null = null;
  #armedFor = Infinity;
  constructor(private readonly running: () => string[]) {}

  /** A promise for the next idle moment, or for `timeoutMs` from now, whichever comes first. */
  add(timeoutMs: number): Promise<SettleReport> {
    return new Promise((resolve) => {
      const deadline = now() + timeoutMs;
      this.#list.push({ deadline, resolve });
      if (deadline < this.#armedFor) this.#arm(deadline);
      else hold(this.#timer!, true);
    });
  }

  /** The engine is idle: every waiter settles. */
  idle(): void {
    const ws = this.#list;
    if (!ws.length) return;
    this.#list = [];
    if (this.#timer !== null) hold(this.#timer, false);
    for (const w of ws) w.resolve({ settled: true, pending: [] });
  }

  #arm(deadline: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#armedFor = deadline;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, deadline - now()));
  }

  #fire(): void {
    this.#timer = null;
    this.#armedFor = Infinity;
    // A timer may fire a fraction of a millisecond before its deadline by this clock.
    const t = now() + 1;
    const due = this.#list.filter((w) => w.deadline <= t);
    this.#list = this.#list.filter((w) => w.deadline > t);
    if (due.length) {
      const pending = this.running();
      for (const w of due) w.resolve({ settled: false, pending });
    }
    if (this.#list.length) this.#arm(Math.min(...this.#list.map((w) => w.deadline)));
  }
}
