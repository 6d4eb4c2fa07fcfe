// Type declarations for npm:@observablehq/runtime@6 (the package ships none).
// Written from the package's src/{runtime,module,variable}.js; only what syslab uses is typed
// strictly, the rest is left out on purpose.

/** Receives a variable's state changes. */
export interface Observer<T = unknown> {
  pending?(): void;
  fulfilled?(value: T, name: string | null): void;
  rejected?(error: unknown, name: string | null): void;
}

/** A named or anonymous node of the dataflow graph. */
export interface Variable<T = unknown> {
  define(
    name: string | null,
    inputs: readonly string[],
    definition: (...inputs: never[]) => T | Promise<T>,
  ): this;
  define(inputs: readonly string[], definition: (...inputs: never[]) => T | Promise<T>): this;
  delete(): this;
  /** Private in the package, but stable since v4: the definition's name. */
  readonly _name: string | null;
}

/** A namespace of variables. */
export interface Module {
  variable<T = unknown>(
    observer?: Observer<T>,
    options?: { shadow?: Record<string, unknown> },
  ): Variable<T>;
  value(name: string): Promise<unknown>;
  builtin(name: string, value: unknown): void;
}

/** The scheduler that owns every module and computes dirty variables in topological order. */
export class Runtime {
  constructor(builtins?: Record<string, unknown>, global?: (name: string) => unknown);
  module(): Module;
  dispose(): void;
  /** Private: the pending compute promise, or null when idle. */
  _computing: Promise<void> | null;
  /** Private, writable on the prototype: schedules the next compute (rAF in browsers). */
  _computeSoon(): Promise<void>;
  _computeNow(): Promise<void>;
}

export class RuntimeError extends Error {
  constructor(message: string, input?: string);
  input?: string;
}
