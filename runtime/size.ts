/**
 * Size budgets: how much memory a cell's value holds, roughly, and the limits `--check` and
 * `export` warn past (a cell returning 20 M numbers passes every check but freezes the page; an
 * export of 141 MB mails badly). Warnings, not errors: the measured size is in the message.
 */
import { siteLabel } from "./errors.ts";
import type { HeadlessLab } from "./headless.ts";

/** Budgets in bytes. */
export const BUDGETS = {
  /** One cell's value, as held in the page (numbers 8 B, strings 2 B a character…). */
  cellValue: 16_000_000,
  /** One exported HTML file. */
  exportFile: 8_000_000,
} as const;

/**
 * An estimate of the bytes `value` holds (V8-ish: 8 per array slot or property, numbers and
 * booleans living in their slot, 2 per string character, typed arrays by their byteLength, keys of
 * objects, entries of maps and sets), counting shared objects once. Stops walking once the total passes `cap` (so a huge value costs little to measure)
 * and then returns a number above `cap`.
 */
export function approxBytes(value: unknown, cap = Number.MAX_SAFE_INTEGER): number {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let total = typeof value === "object" || typeof value === "string" ? 0 : 8;
  while (stack.length && total <= cap) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        total += 16 + 2 * v.length;
        continue;
      case "object":
        break;
      default:
        continue; // numbers and booleans (in their slot), functions, symbols, undefined
    }
    if (v === null || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) total += v.byteLength;
    else if (v instanceof ArrayBuffer) total += v.byteLength;
    else if (Array.isArray(v)) {
      total += 8 * v.length;
      for (let i = v.length - 1; i >= 0 && total <= cap; i--) stack.push(v[i]);
    } else if (v instanceof Map) {
      total += 16 * v.size;
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      total += 8 * v.size;
      for (const x of v) stack.push(x);
    } else if (typeof (v as { nodeType?: unknown }).nodeType !== "number") {
      for (const k of Object.keys(v)) {
        total += 8 + 2 * k.length;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return total;
}

/** `12.3 MB` (decimal megabytes, as file sizes are usually shown). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The cells a lab holds values over `BUDGETS.cellValue` in, one warning line each. */
export function valueWarnings(lab: HeadlessLab): string[] {
  const out: string[] = [];
  const cap = 64 * BUDGETS.cellValue;
  for (const c of lab.definition.cells) {
    const s = lab.state(c.name);
    if (s.status !== "ok") continue;
    const n = approxBytes(s.value, cap);
    if (n <= BUDGETS.cellValue) continue;
    out.push(
      `SizeWarning in ${siteLabel({ cell: c.name, line: c.line })}: its value holds ${
        n > cap ? `more than ${megabytes(cap)}` : `about ${megabytes(n)}`
      }, over the ${megabytes(BUDGETS.cellValue)} budget for one cell — the page keeps every ` +
        `value in memory and may freeze; sample or aggregate the data`,
    );
  }
  return out;
}
