/**
 * The collective constants of core/training/collective-fits.ts re-derived from the measured
 * NCCL rows in core/data/nccl-rows.ts, so a documented fit cannot drift from its data.
 * Each line is `t = α + c·S` fitted by `fitAlphaBeta` on the rows the module doc names, with
 * t = S·F/busbw (F = 2(n − 1)/n, nccl-tests); then busbw = F/c (ring) or algbw = 1/c (NVLS).
 * A constant must equal the fit within its printed rounding (half its last digit).
 *
 * Constants that are not a fit are pinned with the reason, not faked:
 * - the Simple α of 336 µs is the A100 least-squares fit (J1 ≥ 128 MiB); it was a 400 µs
 *   override until the intra-node tree left "auto" (the +16 % it "fixed" at 128 MiB was the
 *   tree's). It is reused, assumed, on H200/B200/MI300X.
 * - H200 Simple busbw 366.6 GB/s is the mean of its two rows' busbw (J3 16 GiB, J4 8-GPU
 *   8 GiB ring), not `fitAlphaBeta`: the free fit gives α 450 µs and 369.6 GB/s (+0.8 %).
 * - B200 Simple busbw 677.8 GB/s is the median of the J5 ring rows (as the doc says).
 * - MI300X 46.2 GB/s per link is the mean of the two J10 rows' busbw/(n − 1); its α and LL
 *   line are A100's (no MI300X small-message rows exist).
 * - INTER_HOP_LATENCY_S (5 µs) is assumed; no row measures it.
 *
 * @module
 */
import { assert, assertEquals } from "../_assert.ts";
import { BUSBW_ROWS, type BusBwRow } from "../../../core/data/nccl-rows.ts";
import {
  busBwFactor,
  COLLECTIVE_FITS,
  EFA_FIT,
  fitAlphaBeta,
  INTER_HOP_LATENCY_S,
  NIC_EFFICIENCY,
} from "../../../core/training/mod.ts";

const MiB = 2 ** 20, US = 1e-6, GBs = 1e9;

const rows = (f: (r: BusBwRow) => boolean) => {
  const rs = BUSBW_ROWS.filter(f);
  assert(rs.length > 0, "no rows selected");
  return rs;
};
/** Measured time of an all-reduce row: t = S·F/busbw. */
const timeOf = (r: BusBwRow) => r.bytes * busBwFactor("all-reduce", r.ranks) / r.busBw;
/** fitAlphaBeta on the rows, as α and the bus / algorithm bandwidth of the slope. */
function fit(rs: readonly BusBwRow[]) {
  const n = rs[0].ranks;
  assert(rs.every((r) => r.ranks === n), "one rank count per fit");
  const f = fitAlphaBeta(rs.map((r) => ({ bytes: r.bytes, timeS: timeOf(r) })));
  return { alpha: f.alpha, busBw: busBwFactor("all-reduce", n) / f.slope, algBw: 1 / f.slope };
}
/** `constant` is `derived` rounded to `step` (half a step either way). */
function rounded(constant: number, derived: number, step: number, what: string) {
  assert(
    Math.abs(constant - derived) <= step / 2 * (1 + 1e-9),
    `${what}: constant ${constant} vs rows ${derived} (step ${step})`,
  );
}
const small = (r: BusBwRow) => r.bytes <= MiB;
const large = (r: BusBwRow) => r.bytes >= 128 * MiB;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)] : (s[m - 1] + s[m]) / 2;
};

Deno.test("A100 NVLink3 (J1): LL line and Simple busbw are fitAlphaBeta of the rows", () => {
  const c = COLLECTIVE_FITS["a100-nvlink3"];
  const ll = fit(rows((r) => r.row === "J1" && small(r)));
  rounded(c.ll.alpha / US, ll.alpha / US, 0.1, "A100 LL α µs");
  rounded(c.ll.busBw / GBs, ll.busBw / GBs, 0.1, "A100 LL busbw GB/s");
  const simple = fit(rows((r) => r.row === "J1" && large(r)));
  rounded(c.simple.busBw / GBs, simple.busBw / GBs, 0.1, "A100 Simple busbw GB/s");
  rounded(c.simple.alpha / US, simple.alpha / US, 1, "A100 Simple α µs");
  // LL128: the mid-size rows 1 MiB … 128 MiB.
  const ll128 = fit(rows((r) => r.row === "J1" && r.bytes >= MiB && r.bytes <= 128 * MiB));
  rounded(c.ll128.alpha / US, ll128.alpha / US, 0.1, "A100 LL128 α µs");
  rounded(c.ll128.busBw / GBs, ll128.busBw / GBs, 0.1, "A100 LL128 busbw GB/s");
});

Deno.test("H200 NVLink4 (J2–J4): LL and NVLS lines fitted; NVLS from 5 GPUs", () => {
  const c = COLLECTIVE_FITS["h200-nvlink4"];
  const ll = fit(rows((r) => r.row === "J2" && r.algorithm === "ring" && small(r)));
  rounded(c.ll.alpha / US, ll.alpha / US, 0.1, "H200 LL α µs");
  rounded(c.ll.busBw / GBs, ll.busBw / GBs, 0.1, "H200 LL busbw GB/s");
  const nvls = fit(
    rows((r) => r.system === "h200-nvlink4" && r.algorithm === "nvls" && r.ranks === 8 && large(r)),
  );
  rounded(c.nvls.alpha / US, nvls.alpha / US, 0.1, "H200 NVLS α µs");
  rounded(c.nvls.algBw / GBs, nvls.algBw / GBs, 0.1, "H200 NVLS algbw GB/s");
  const nvlsRanks = rows((r) => r.row === "J4" && r.algorithm === "nvls").map((r) => r.ranks);
  assertEquals(c.nvls.minRanks, Math.min(...nvlsRanks));
  // Simple (ring): the mean of the two 8-GPU ring rows, not a fitAlphaBeta line (doc above).
  const ring = rows((r) =>
    (r.row === "J3" || r.row === "J4") && r.algorithm === "ring" && r.ranks === 8
  );
  assertEquals(ring.length, 2);
  rounded(c.simple.busBw / GBs, mean(ring.map((r) => r.busBw)) / GBs, 0.1, "H200 Simple busbw");
  const free = fit(ring);
  assert(Math.abs(free.busBw / c.simple.busBw - 1) < 0.01, `free fit ${free.busBw}`);
  assertEquals(c.simple.alpha, COLLECTIVE_FITS["a100-nvlink3"].simple.alpha); // A100's, assumed
});

Deno.test("B200 NVLink5 (J5–J6): LL and NVLS lines fitted; Simple the J5 ring median", () => {
  const c = COLLECTIVE_FITS["b200-nvlink5"];
  const ll = fit(rows((r) => r.row === "J6" && r.system === "b200-nvlink5" && small(r)));
  rounded(c.ll.alpha / US, ll.alpha / US, 0.1, "B200 LL α µs");
  rounded(c.ll.busBw / GBs, ll.busBw / GBs, 0.1, "B200 LL busbw GB/s");
  const nvls = fit(
    rows((r) => r.system === "b200-nvlink5" && r.algorithm === "nvls" && r.ranks === 8 && large(r)),
  );
  rounded(c.nvls.alpha / US, nvls.alpha / US, 0.1, "B200 NVLS α µs");
  rounded(c.nvls.algBw / GBs, nvls.algBw / GBs, 0.1, "B200 NVLS algbw GB/s");
  const nvlsRanks = rows((r) => r.row === "J5" && r.algorithm === "nvls").map((r) => r.ranks);
  assertEquals(c.nvls.minRanks, Math.min(...nvlsRanks));
  const ring = rows((r) => r.row === "J5" && r.algorithm === "ring").map((r) => r.busBw);
  rounded(c.simple.busBw / GBs, median(ring) / GBs, 0.1, "B200 Simple busbw (median)");
  assertEquals(c.simple.alpha, COLLECTIVE_FITS["a100-nvlink3"].simple.alpha); // A100's, assumed
});

Deno.test("B200 4 × 8 over EFA (J6 ≥ 128 MiB): α_inter, per-GPU rate and NIC efficiency", () => {
  const rs = rows((r) => r.system === "b200-efa4" && large(r));
  const f = fit(rs);
  rounded(EFA_FIT.alpha / US, f.alpha / US, 1, "EFA α µs");
  // Multi-node ring: busbw = r·(n − 1)/(k − 1), so r = busbw·(k − 1)/(n − 1).
  const { ranks: n, nodes: k } = rs[0];
  const r = f.busBw * (k - 1) / (n - 1);
  rounded(EFA_FIT.perGpuBw / GBs, r / GBs, 0.01, "EFA per-GPU rate GB/s");
  // 8 × 400 Gb/s EFA per 8-GPU node = 50 GB/s per GPU; the efficiency is the rounded rate
  // ÷ 50 GB/s, so it carries the rate's rounding.
  const nic = 8 * 400e9 / 8 / 8;
  rounded(NIC_EFFICIENCY * nic / GBs, r / GBs, 0.01, "NIC efficiency × 50 GB/s");
  assertEquals(INTER_HOP_LATENCY_S, 5 * US); // assumed; no row measures it
});

Deno.test("B200 4 × 8 over EFA (J6 1 and 16 MiB): the tree's latency per inter-node level", () => {
  // Tree all-reduce: t = 2(g − 1)·h_intra + 2⌈log₂k⌉·h_level + 2S/(g·r) (collectives.ts); the
  // slope is fixed by r, α fitted (least squares on relative time) on the 4-node 1 and 16 MiB
  // rows, assuming NCCL ran its tree there (the rows do not say).
  const rs = rows((r) => r.system === "b200-efa4" && r.bytes >= MiB && r.bytes <= 16 * MiB);
  const g = 8, k = 4, c = 2 / (g * EFA_FIT.perGpuBw);
  let num = 0, den = 0;
  for (const r of rs) {
    const t = timeOf(r);
    num += (1 - c * r.bytes / t) / t;
    den += 1 / t ** 2;
  }
  const b = COLLECTIVE_FITS["b200-nvlink5"];
  const intra = 2 * (g - 1) * b.ll.alpha / (2 * (b.ranks - 1));
  const level = (num / den - intra) / (2 * Math.log2(k));
  rounded(EFA_FIT.treeLevelLatency / US, level / US, 0.1, "tree level latency µs");
});

Deno.test("MI300X (J10): per-link rate is the mean busbw/(n − 1) of its two rows", () => {
  const c = COLLECTIVE_FITS["mi300x-if"];
  const perLink = rows((r) => r.row === "J10").map((r) => r.busBw / (r.ranks - 1));
  assertEquals(perLink.length, 2);
  rounded(c.simple.busBw / GBs, mean(perLink) / GBs, 0.1, "MI300X per-link GB/s");
  // α and LL line: A100's (assumed; no MI300X small-message rows).
  const a100 = COLLECTIVE_FITS["a100-nvlink3"];
  assertEquals(c.simple.alpha, a100.simple.alpha);
  assertEquals(c.ll.alpha, a100.ll.alpha);
});
