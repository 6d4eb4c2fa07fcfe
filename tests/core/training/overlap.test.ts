/**
 * Bucketed all-reduce overlapped with backward (core/training/overlap.ts), the crossover solver
 * (crossover.ts) and the fabric lookup (fabrics.ts).
 */
import { assert, assertEquals } from "../_assert.ts";
import {
  backwardShare,
  bucketedAllReduce,
  collectiveCrossovers,
  collectiveTime,
  fitOf,
  lineCrossoverBytes,
  lookupCluster,
  lookupFabric,
} from "../../../core/training/mod.ts";

const fit = fitOf(lookupCluster("p6-b200"));
const G = 8e9;

Deno.test("one bucket without overlap is one all-reduce of everything, fully exposed", () => {
  const one = collectiveTime({ op: "all-reduce", bytes: G, ranks: 32, fit }).timeS;
  const r = bucketedAllReduce({ gradBytes: G, bucketBytes: 2 * G, backwardS: 1, ranks: 32, fit });
  assertEquals(r.buckets, 1);
  assert(Math.abs(r.commS - one) < 1e-12);
  // One bucket is ready only at the end of backward: nothing hides.
  assert(Math.abs(r.exposedS - one) < 1e-12);
  const off = bucketedAllReduce({
    gradBytes: G,
    bucketBytes: 25e6,
    backwardS: 1,
    ranks: 32,
    fit,
    overlap: false,
  });
  assertEquals(off.buckets, 320);
  assert(Math.abs(off.exposedS - off.commS) < 1e-9, "no overlap: all of it exposed");
});

Deno.test("bucket timeline: k = ⌈G/b⌉, FIFO stream, latency k·α, exposed = end − T", () => {
  const r = bucketedAllReduce({ gradBytes: G, bucketBytes: 3e9, backwardS: 0.3, ranks: 8, fit });
  assertEquals(r.buckets, 3);
  assertEquals(r.slots.map((s) => s.bytes), [3e9, 3e9, 2e9]);
  assertEquals(r.slots.map((s) => s.readyS), [0.3 * 3 / 8, 0.3 * 6 / 8, 0.3]);
  for (let i = 1; i < 3; i++) {
    assertEquals(r.slots[i].startS, Math.max(r.slots[i].readyS, r.slots[i - 1].endS));
  }
  assert(Math.abs(r.exposedS - (r.slots[2].endS - 0.3)) < 1e-12);
  assert(Math.abs(r.hiddenS + r.exposedS - r.commS) < 1e-12);
  const a = collectiveTime({ op: "all-reduce", bytes: 1, ranks: 8, fit }).timeS;
  // The stream's busy intervals cover exactly the buckets' transfers.
  const busy = r.busy.reduce((t, x) => t + x.endS - x.startS, 0);
  assert(Math.abs(busy - r.commS) < 1e-12);
  assert(Math.abs(r.latencyS - 3 * a) < 1e-12);
});

Deno.test("exposed communication is U-shaped in the bucket size across nodes", () => {
  const at = (b: number) =>
    bucketedAllReduce({ gradBytes: G, bucketBytes: b, backwardS: 0.15, ranks: 32, fit }).exposedS;
  const tiny = at(1e6), mid = at(500e6), whole = at(G);
  assert(mid < tiny && mid < whole, `${tiny} ${mid} ${whole}`);
  // 1 MB buckets over EFA pay the tree's latency (the fastest there) 8,000 times.
  assert(tiny > 4 * whole, `${tiny} vs ${whole}`);
});

Deno.test("backward share: 2/3 of the step's compute, 3/4 with full recomputation", () => {
  assertEquals(backwardShare("none"), 2 / 3);
  assertEquals(backwardShare("selective"), 2 / 3);
  assertEquals(backwardShare("full"), 3 / 4);
});

Deno.test("bad input gets a clear error", () => {
  for (const bad of [{ gradBytes: -1 }, { bucketBytes: 0 }, { backwardS: NaN }]) {
    let msg = "";
    try {
      bucketedAllReduce({ gradBytes: G, bucketBytes: 1e6, backwardS: 1, ranks: 8, fit, ...bad });
    } catch (e) {
      msg = (e as Error).message;
    }
    assert(msg.includes("bucketedAllReduce needs"), msg);
  }
});

Deno.test("line crossover S* = (α₂ − α₁)/(c₁ − c₂); none when one line always wins", () => {
  assertEquals(lineCrossoverBytes({ alpha: 1e-5, slope: 2e-9 }, { alpha: 5e-5, slope: 1e-9 }), 4e4);
  assertEquals(
    lineCrossoverBytes({ alpha: 1e-5, slope: 1e-9 }, { alpha: 5e-5, slope: 2e-9 }),
    null,
  );
  assertEquals(
    lineCrossoverBytes({ alpha: 1e-5, slope: 1e-9 }, { alpha: 5e-5, slope: 1e-9 }),
    null,
  );
});

Deno.test("collective crossovers: where the faster algorithm changes, both times equal there", () => {
  const base = { op: "all-reduce" as const, ranks: 32, fit };
  const x = collectiveCrossovers({ ...base, a: "ring", b: "tree" });
  assertEquals(x.length, 1);
  assertEquals([x[0].below, x[0].above], ["tree", "ring"]);
  const t = (alg: "ring" | "tree") =>
    collectiveTime({ ...base, bytes: x[0].bytes, algorithm: alg }).timeS;
  assert(Math.abs(t("ring") / t("tree") - 1) < 1e-6);
  // ≈ 152 MiB on 4 B200 nodes: the tree's α (fitted on J6 1 and 16 MiB) is below the ring's,
  // its bandwidth 2S per node vs the ring's 2(k − 1)/k·S (J6: tree at 128 MiB, ring at 1 GiB).
  assert(x[0].bytes > 128 * 2 ** 20 && x[0].bytes < 1024 * 2 ** 20, `${x[0].bytes}`);
  // Inside one node the in-switch reduction overtakes the ring above some size.
  const n = collectiveCrossovers({ op: "all-reduce", ranks: 8, fit, a: "ring", b: "nvls" });
  assertEquals(n.map((c) => c.above), ["nvls"]);
  let msg = "";
  try {
    collectiveCrossovers({ ...base, a: "ring", b: "nvls" });
  } catch (e) {
    msg = (e as Error).message;
  }
  assert(msg.includes("not available"), msg);
});

Deno.test("fabric lookup: datasheet rates; an unknown id names near matches", () => {
  assertEquals(lookupFabric("nvlink5").bytesPerS, 900e9);
  assertEquals(lookupFabric("efa-v4").bytesPerS, 50e9);
  let msg = "";
  try {
    lookupFabric("nvlink6");
  } catch (e) {
    msg = (e as Error).message;
  }
  assert(msg.includes("nvlink"), msg);
});
