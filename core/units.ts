/**
 * Unit constants. Everything inside core/ is a plain number in SI base units: bytes, seconds,
 * FLOP, FLOP/s, bytes/s. Multiply by a constant to convert *into* base units, divide to convert
 * out. Decimal (SI) and binary (IEC 80000-13) prefixes are distinct: 1 GB = 1e9 B, 1 GiB = 2^30 B.
 *
 * @module
 */

/** 1 kilobyte (SI, decimal) = 1e3 bytes. */
export const KB = 1e3;
/** 1 megabyte (SI, decimal) = 1e6 bytes. */
export const MB = 1e6;
/** 1 gigabyte (SI, decimal) = 1e9 bytes. Vendors' "80 GB" uses this label. */
export const GB = 1e9;
/** 1 terabyte (SI, decimal) = 1e12 bytes. */
export const TB = 1e12;
/** 1 kibibyte (IEC binary) = 2^10 bytes. */
export const KiB = 1024;
/** 1 mebibyte (IEC binary) = 2^20 bytes. */
export const MiB = 1024 ** 2;
/** 1 gibibyte (IEC binary) = 2^30 bytes. PyTorch/vLLM logs print this unit as "GiB". */
export const GiB = 1024 ** 3;
/** 1 tebibyte (IEC binary) = 2^40 bytes. */
export const TiB = 1024 ** 4;

/** 1 millisecond in seconds. */
export const MS = 1e-3;
/** 1 microsecond in seconds. */
export const US = 1e-6;
/** 1 nanosecond in seconds. */
export const NS = 1e-9;

/** 1 TFLOP/s in FLOP/s. */
export const TFLOPS = 1e12;
/** 1 GFLOP/s in FLOP/s. */
export const GFLOPS = 1e9;
/** 1 PFLOP/s in FLOP/s. */
export const PFLOPS = 1e15;
/** 1 GB/s (decimal) in bytes/s. */
export const GBps = 1e9;
/** 1 TB/s (decimal) in bytes/s. */
export const TBps = 1e12;

/** Billion (1e9), for parameter counts. */
export const BILLION = 1e9;
/** Million (1e6). */
export const MILLION = 1e6;

/** Convert bytes to decimal gigabytes (GB). */
export function toGB(bytes: number): number {
  return bytes / GB;
}

/** Convert bytes to binary gibibytes (GiB). */
export function toGiB(bytes: number): number {
  return bytes / GiB;
}

/** Convert seconds to milliseconds. */
export function toMs(seconds: number): number {
  return seconds / MS;
}
