/**
 * Formatting for every number a lab shows. Never produces "NaN", "Infinity" or "undefined":
 * a non-finite input renders as the deliberate placeholder {@link MISSING} ("—").
 *
 * Decimal GB and binary GiB are different units and are always labelled as such.
 *
 * @module
 */
import { GB, GiB, KB, KiB, MB, MiB, TB, TiB } from "./units.ts";

/** The placeholder shown for a value that does not exist (non-finite input). */
export const MISSING = "—";

/** Options for {@link formatBytes}. */
export interface ByteFormatOptions {
  /** "GB" (decimal), "GiB" (binary), "auto-si" / "auto" (decimal, scaled), "auto-iec" (binary, scaled). */
  unit?: "B" | "KB" | "MB" | "GB" | "TB" | "KiB" | "MiB" | "GiB" | "TiB" | "auto" | "auto-iec";
  /** Digits after the decimal point (default 2). */
  digits?: number;
}

const UNIT_SIZE: Record<string, number> = {
  B: 1,
  KB,
  MB,
  GB,
  TB,
  KiB,
  MiB,
  GiB,
  TiB,
};

function fixed(x: number, digits: number): string {
  // Avoid "-0.00"; thousands separators in the integer part ("1,979.0 TFLOP/s", "1,484.2 ms").
  const s = x.toFixed(digits);
  if (/^-0(\.0+)?$/.test(s)) return s.slice(1);
  const [int, frac] = s.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/**
 * Format a byte count with an explicit, correct unit label and thousands separators:
 * `formatBytes(16.06e9)` → "16.06 GB", `formatBytes(16.06e9, {unit: "GiB"})` → "14.96 GiB",
 * `formatGB(1374e9, 0)` → "1,374 GB".
 */
export function formatBytes(bytes: number, opts: ByteFormatOptions = {}): string {
  if (!Number.isFinite(bytes)) return MISSING;
  const digits = opts.digits ?? 2;
  let unit = opts.unit ?? "auto";
  if (unit === "auto" || unit === "auto-iec") {
    const iec = unit === "auto-iec";
    const ladder = iec ? ["B", "KiB", "MiB", "GiB", "TiB"] : ["B", "KB", "MB", "GB", "TB"];
    const abs = Math.abs(bytes);
    unit = "B";
    for (const u of ladder) if (abs >= UNIT_SIZE[u]) unit = u as ByteFormatOptions["unit"] & string;
  }
  const size = UNIT_SIZE[unit as string];
  if (unit === "B") return `${formatCount(Math.round(bytes))} B`;
  return `${formatNumber(bytes / size, digits)} ${unit}`;
}

/** Bytes as decimal gigabytes: `formatGB(16.06e9)` → "16.06 GB". */
export function formatGB(bytes: number, digits = 2): string {
  return formatBytes(bytes, { unit: "GB", digits });
}

/** Bytes as binary gibibytes: `formatGiB(16.06e9)` → "14.96 GiB". */
export function formatGiB(bytes: number, digits = 2): string {
  return formatBytes(bytes, { unit: "GiB", digits });
}

/**
 * A duration in seconds, scaled to s / ms / µs / ns: `formatDuration(0.0081)` → "8.10 ms".
 */
export function formatDuration(seconds: number, digits = 2): string {
  if (!Number.isFinite(seconds)) return MISSING;
  const a = Math.abs(seconds);
  if (a >= 1) return `${fixed(seconds, digits)} s`;
  if (a >= 1e-3) return `${fixed(seconds * 1e3, digits)} ms`;
  if (a >= 1e-6) return `${fixed(seconds * 1e6, digits)} µs`;
  if (a === 0) return `0 ms`;
  return `${fixed(seconds * 1e9, digits)} ns`;
}

/** A duration in seconds shown in milliseconds: `formatMs(0.023)` → "23.00 ms". */
export function formatMs(seconds: number, digits = 2): string {
  if (!Number.isFinite(seconds)) return MISSING;
  return `${fixed(seconds * 1e3, digits)} ms`;
}

/** A duration in seconds shown in microseconds: `formatUs(2.6e-5)` → "26.0 µs". */
export function formatUs(seconds: number, digits = 1): string {
  if (!Number.isFinite(seconds)) return MISSING;
  return `${fixed(seconds * 1e6, digits)} µs`;
}

/** FLOP/s as TFLOP/s: `formatTflops(989.4e12)` → "989.4 TFLOP/s". */
export function formatTflops(flopsPerSecond: number, digits = 1): string {
  if (!Number.isFinite(flopsPerSecond)) return MISSING;
  return `${fixed(flopsPerSecond / 1e12, digits)} TFLOP/s`;
}

/** A FLOP count scaled to GFLOP / TFLOP / PFLOP: `formatFlops(8.18e9)` → "8.18 GFLOP". */
export function formatFlops(flop: number, digits = 2): string {
  if (!Number.isFinite(flop)) return MISSING;
  const a = Math.abs(flop);
  if (a >= 1e15) return `${fixed(flop / 1e15, digits)} PFLOP`;
  if (a >= 1e12) return `${fixed(flop / 1e12, digits)} TFLOP`;
  if (a >= 1e9) return `${fixed(flop / 1e9, digits)} GFLOP`;
  if (a >= 1e6) return `${fixed(flop / 1e6, digits)} MFLOP`;
  return `${formatCount(Math.round(flop))} FLOP`;
}

/** Bandwidth in bytes/s as decimal GB/s or TB/s: `formatBandwidth(3.35e12)` → "3.35 TB/s". */
export function formatBandwidth(bytesPerSecond: number, digits = 2): string {
  if (!Number.isFinite(bytesPerSecond)) return MISSING;
  if (Math.abs(bytesPerSecond) >= 1e12) return `${fixed(bytesPerSecond / 1e12, digits)} TB/s`;
  return `${fixed(bytesPerSecond / 1e9, digits)} GB/s`;
}

/** Tokens per second with thousands separators: `formatTokensPerS(3556.7)` → "3,557 tok/s". */
export function formatTokensPerS(tokensPerSecond: number, digits = 0): string {
  if (!Number.isFinite(tokensPerSecond)) return MISSING;
  return `${formatNumber(tokensPerSecond, digits)} tok/s`;
}

/** An integer count with thousands separators: `formatCount(5691)` → "5,691". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return MISSING;
  return formatNumber(Math.round(n), 0);
}

/** A number with thousands separators and fixed digits: `formatNumber(1234.5, 1)` → "1,234.5". */
export function formatNumber(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return MISSING;
  const s = fixed(x, digits);
  const neg = s.startsWith("-");
  const [int, frac] = (neg ? s.slice(1) : s).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (neg ? "-" : "") + grouped + (frac !== undefined ? "." + frac : "");
}

/** A fraction as a percentage: `formatPercent(0.611)` → "61.1%". */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return MISSING;
  return `${fixed(fraction * 100, digits)}%`;
}

/** A ratio as "×": `formatRatio(2.2)` → "2.20×". */
export function formatRatio(ratio: number, digits = 2): string {
  if (!Number.isFinite(ratio)) return MISSING;
  return `${fixed(ratio, digits)}×`;
}

/**
 * A count with its noun, singular for exactly one: `plural(1, "user")` → "1 user",
 * `plural(1374, "user")` → "1,374 users", `plural(2, "query", "queries")` → "2 queries".
 * Non-finite counts render as {@link MISSING} with the plural noun ("— users").
 */
export function plural(n: number, singular: string, pluralForm = singular + "s"): string {
  return `${formatCount(n)} ${Number.isFinite(n) && Math.round(n) === 1 ? singular : pluralForm}`;
}

/**
 * `part` as a share of `whole`, never clamped: weights that need 176 % of memory say "176%",
 * not "100%". `formatShare(1.76e11, 1e11)` → "176%". A zero or non-finite whole gives
 * {@link MISSING}.
 */
export function formatShare(part: number, whole: number, digits = 0): string {
  if (!(whole > 0) || !Number.isFinite(part) || !Number.isFinite(whole)) return MISSING;
  return formatPercent(part / whole, digits);
}
