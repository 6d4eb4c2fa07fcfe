import { assertEquals } from "./_assert.ts";
import { formatSpan } from "../../core/mod.ts";

Deno.test("formatSpan: s, min, h, d by size; sub-second via formatDuration; non-finite '—'", () => {
  assertEquals(formatSpan(2.835), "2.8 s");
  assertEquals(formatSpan(249.6), "4.2 min");
  assertEquals(formatSpan(11135), "3.1 h");
  assertEquals(formatSpan(7 * 86400, 0), "7 d");
  assertEquals(formatSpan(0.0063, 1), "6.3 ms");
  assertEquals(formatSpan(Infinity), "—");
  assertEquals(formatSpan(NaN), "—");
});
