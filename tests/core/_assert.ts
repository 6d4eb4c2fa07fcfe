// Small assertion helpers over node:assert/strict with Deno-std-like names.
import nodeAssert from "node:assert/strict";

export function assert(cond: unknown, msg?: string): asserts cond {
  nodeAssert.ok(cond, msg);
}

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** |actual/expected − 1| ≤ tol. */
export function assertWithin(actual: number, expected: number, tol: number, what = ""): void {
  const err = actual / expected - 1;
  nodeAssert.ok(
    Number.isFinite(actual) && Math.abs(err) <= tol,
    `${what} ${actual} vs ${expected}: ${(err * 100).toFixed(1)} % (tolerance ${tol * 100} %)`,
  );
}

// deno-lint-ignore no-explicit-any
export function assertThrows<E extends Error>(fn: () => unknown, cls: new (...a: any[]) => E): E {
  try {
    fn();
  } catch (e) {
    nodeAssert.ok(e instanceof cls, `expected ${cls.name}, got ${e}`);
    return e as E;
  }
  throw new nodeAssert.AssertionError({ message: `expected ${cls.name} to be thrown` });
}
