import { assertEquals } from "./_assert.ts";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatGB,
  formatGiB,
  formatMs,
  formatNumber,
  formatPercent,
  formatShare,
  formatTflops,
  formatTokensPerS,
  formatUs,
  MISSING,
  plural,
} from "../../core/mod.ts";

Deno.test("GB and GiB are labelled and differ", () => {
  assertEquals(formatGB(16_060_522_496), "16.06 GB");
  assertEquals(formatGiB(16_060_522_496), "14.96 GiB");
  assertEquals(formatGB(80e9), "80.00 GB");
  assertEquals(formatGiB(80e9), "74.51 GiB");
  assertEquals(formatBytes(131_072, { unit: "KiB", digits: 0 }), "128 KiB");
  assertEquals(formatBytes(131_072), "131.07 KB");
  assertEquals(formatBytes(5 * 1024 ** 2, { unit: "auto-iec" }), "5.00 MiB");
  assertEquals(formatBytes(512), "512 B");
});

Deno.test("times, rates, counts", () => {
  assertEquals(formatMs(0.023), "23.00 ms");
  assertEquals(formatUs(2.6217e-5), "26.2 µs");
  assertEquals(formatDuration(0.0081), "8.10 ms");
  assertEquals(formatDuration(2.5e-5), "25.00 µs");
  assertEquals(formatDuration(3.2), "3.20 s");
  assertEquals(formatTflops(989.4e12), "989.4 TFLOP/s");
  assertEquals(formatTokensPerS(3556.73), "3,557 tok/s");
  assertEquals(formatCount(5691), "5,691");
  assertEquals(formatCount(1_234_567), "1,234,567");
  assertEquals(formatNumber(-1234.5, 1), "-1,234.5");
  assertEquals(formatPercent(0.611), "61.1%");
});

Deno.test("never NaN / Infinity / undefined: the deliberate placeholder instead", () => {
  for (
    const f of [formatGB, formatGiB, formatMs, formatUs, formatTflops, formatCount, formatPercent]
  ) {
    assertEquals(f(NaN), MISSING);
    assertEquals(f(Infinity), MISSING);
  }
  assertEquals(formatBytes(-Infinity), MISSING);
  assertEquals(formatTokensPerS(NaN), "—");
  assertEquals(formatGB(-0.0001), "0.00 GB");
});

Deno.test("lab-text helpers: thousands separators in byte sizes, plural(), an unclamped share", () => {
  assertEquals(formatGB(1374e9, 0), "1,374 GB");
  assertEquals(formatBytes(1.5e15, { unit: "GB", digits: 1 }), "1,500,000.0 GB");
  assertEquals(plural(1, "user"), "1 user");
  assertEquals(plural(0, "user"), "0 users");
  assertEquals(plural(1374, "user"), "1,374 users");
  assertEquals(plural(1, "lab"), "1 lab");
  assertEquals(plural(2, "query", "queries"), "2 queries");
  assertEquals(plural(NaN, "user"), "— users");
  assertEquals(formatShare(1.76e11, 1e11), "176%");
  assertEquals(formatShare(5, 0), "—");
});
