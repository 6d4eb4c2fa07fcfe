/**
 * `stop(condition, output?)`: the gate behind prediction locks (marimo's `mo.stop`). When the
 * condition holds, the cell shows `output` instead of running on, and every cell that reads it
 * waits with the state "ancestor stopped".
 */

/** Thrown by `stop`; the runtime catches it. Not an error. */
export class StopSignal {
  constructor(readonly output: unknown) {}
}

/** Stops the calling cell when `condition` is truthy, showing `output` in its place. */
export function stop(condition: unknown, output?: unknown): void {
  if (condition) throw new StopSignal(output);
}
