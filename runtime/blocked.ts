/**
 * What a cell shows, and the `Blocked` marker that flows between variables in place of a value
 * when a cell throws, stops or cannot load: its descendants skip running and say which cell they
 * wait on.
 */
import type { LabError } from "./errors.ts";

/** What a cell shows right now. */
export type CellState =
  | { status: "pending" }
  | { status: "ok"; value: unknown }
  | { status: "error"; error: LabError }
  | { status: "stopped"; output: unknown }
  | { status: "waiting"; on: string; reason: "error" | "stopped" };

/** The value of a cell that failed or stopped (`root`), seen by it and every cell downstream. */
export class Blocked {
  constructor(
    readonly root: string,
    readonly reason: "error" | "stopped",
    readonly own: CellState,
  ) {}
}

export const PENDING: CellState = Object.freeze({ status: "pending" });

/** The state of cell `name` holding `value`: its own failure, or the ancestor it waits on. */
export function stateOf(name: string, value: unknown): CellState {
  if (!(value instanceof Blocked)) return { status: "ok", value };
  if (value.root === name) return value.own;
  return { status: "waiting", on: value.root, reason: value.reason };
}
