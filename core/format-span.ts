/**
 * A duration in the unit a person reads it in: seconds up to 2 minutes, minutes up to 2 hours,
 * hours up to 3 days, then days (`formatSpan(11135)` → "3.1 h", `formatSpan(2475)` → "41.3 min").
 * Below a second it defers to `formatDuration` (ms, µs). Non-finite values show "—".
 *
 * @module
 */
import { formatDuration, formatNumber, MISSING } from "./format.ts";

/** `seconds` as s / min / h / d with `digits` decimals (module doc). */
export function formatSpan(seconds: number, digits = 1): string {
  if (!Number.isFinite(seconds)) return MISSING;
  const a = Math.abs(seconds);
  if (a < 1) return formatDuration(seconds, digits);
  if (a < 120) return `${formatNumber(seconds, digits)} s`;
  if (a < 7200) return `${formatNumber(seconds / 60, digits)} min`;
  if (a < 3 * 86400) return `${formatNumber(seconds / 3600, digits)} h`;
  return `${formatNumber(seconds / 86400, digits)} d`;
}
