import { assert, assertEquals, assertWithin } from "../_assert.ts";
import { runSim } from "../../../core/cli/sim.ts";
import { parseByteSize } from "../../../core/cli/train.ts";
import {
  collectiveTime,
  fitOf,
  lookupCluster,
  trainingMemory,
} from "../../../core/training/mod.ts";

const C2 = [
  "train",
  "--model",
  "megatron-gpt-175b",
  "--cluster",
  "dgx-a100",
  "--tp",
  "8",
  "--pp",
  "8",
  "--vpp",
  "3",
  "--sp",
  "--recompute",
  "selective",
  "--global-batch",
  "64",
  "--seq",
  "2048",
];

Deno.test("sim train --json: memory stack, step and time to train come from core", () => {
  const r = runSim([...C2, "--tokens", "300e9", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const m = trainingMemory({
    model: "megatron-gpt-175b",
    cluster: "dgx-a100",
    tp: 8,
    pp: 8,
    vpp: 3,
    sp: true,
    recompute: "selective",
    globalBatch: 64,
    seq: 2048,
    microBatch: 1,
  });
  assertEquals(j.memory.total_bytes, Math.round(m.total));
  assertEquals(j.memory.fits, true);
  assertEquals(j.layout.microbatches, 64);
  assertWithin(j.step.step_time_ms, 13750, 0.1, "C2 SP + selective 13.75 s");
  assert(j.step.mfu > 0.45 && j.step.mfu < 0.6);
  assertEquals(j.time_to_train.steps, Math.ceil(300e9 / (64 * 2048)));
  assertWithin(j.time_to_train.days, j.time_to_train.steps * j.step.step_time_ms / 864e5, 1e-9);
});

Deno.test("sim train: readable table, and OOM prints the stack and exits 2", () => {
  const ok = runSim(C2);
  assertEquals(ok.code, 0, ok.stderr);
  for (const s of ["weights", "activations", "headroom", "step time", "MFU / HFU"]) {
    assert(ok.stdout.includes(s), s);
  }
  const oom = runSim(["train", "--model", "llama-2-7b", "--gpu", "a100-80gb", "--seq", "4096"]);
  assertEquals(oom.code, 2);
  assert(oom.stdout.includes("OOM by"), oom.stdout);
  assert(oom.stderr.includes("out of memory") && oom.stderr.includes("--zero 3"), oom.stderr);
  const j = runSim([
    "train",
    "--model",
    "llama-2-7b",
    "--gpu",
    "a100-80gb",
    "--seq",
    "4096",
    "--json",
  ]);
  assertEquals(j.code, 2);
  assert(JSON.parse(j.stdout).memory.oom_by_bytes > 0);
  // The same job fits with ZeRO-3 over 64 ranks and full recompute.
  const fix = runSim([
    "train",
    "--model",
    "llama-2-7b",
    "--gpu",
    "a100-80gb",
    "--seq",
    "4096",
    "--zero",
    "3",
    "--dp",
    "64",
    "--recompute",
    "full",
  ]);
  assertEquals(fix.code, 0, fix.stderr);
});

Deno.test("sim train: time to train at an MFU, with cost", () => {
  const r = runSim([
    "train",
    "--model",
    "megatron-gpt-175b",
    "--gpu",
    "a100-80gb",
    "--tp",
    "8",
    "--pp",
    "16",
    "--dp",
    "8",
    "--recompute",
    "full",
    "--seq",
    "2048",
    "--tokens",
    "300e9",
    "--hfu",
    String(140 / 312),
    "--usd-per-gpu-hour",
    "2",
    "--json",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const t = JSON.parse(r.stdout).time_to_train;
  assertWithin(t.days, 34 * 1024 / 1024, 0.03, "Narayanan's 34 days at 1024 GPUs, 140 TF");
  assertWithin(t.usd, 2 * t.gpu_hours, 1e-12);
});

Deno.test("sim train: errors name the flag", () => {
  const base = ["train", "--model", "llama-2-7b", "--gpu", "h100-sxm", "--seq", "4096"];
  const cases: [string[], string][] = [
    [["--micro-batch", "0"], "--micro-batch"],
    [["--zero", "5"], "--zero"],
    [["--recompute", "half"], "--recompute"],
    [["--convention", "zero-17"], "--convention"],
    [["--tp", "3"], "attention heads"],
    [["--dp", "3", "--global-batch", "16"], "divisible by 3"],
    [["--tokens", "1e12"], "--mfu"],
    [["--mfu", "0.4"], "--tokens"],
    [["--tokens", "1e12", "--mfu", "1.4"], "--mfu"],
    [["--lora-rank", "-2"], "--lora-rank"],
    [["--global-batch", "8", "--grad-accum", "2"], "--grad-accum"],
    [["--cluster", "dgx-a100"], "--gpu"],
    [["--bogus", "1"], "--bogus"],
  ];
  for (const [extra, want] of cases) {
    const r = runSim([...base, ...extra]);
    assertEquals(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
    assert(r.stderr.includes(want), `${extra.join(" ")}: ${r.stderr}`);
  }
  const noSeq = runSim(["train", "--model", "llama-2-7b", "--gpu", "h100-sxm"]);
  assert(noSeq.stderr.includes("--seq is required"), noSeq.stderr);
  const id = runSim(["train", "--model", "llama-2-7c", "--gpu", "h100-sxm", "--seq", "1"]);
  assert(id.stderr.includes("Did you mean") && id.stderr.includes("llama-2-7b"), id.stderr);
  const cl = runSim(["train", "--model", "llama-2-7b", "--cluster", "dgx-h10", "--seq", "8"]);
  assert(cl.stderr.includes("dgx-h100"), cl.stderr);
});

Deno.test("sim collective: --json equals collectiveTime; table lists algorithms", () => {
  const r = runSim([
    "collective",
    "--op",
    "all-reduce",
    "--bytes",
    "1GiB",
    "--gpus",
    "8",
    "--cluster",
    "dgx-a100",
    "--json",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const c = collectiveTime({
    op: "all-reduce",
    bytes: 2 ** 30,
    ranks: 8,
    fit: fitOf(lookupCluster("dgx-a100")),
  });
  assertWithin(j.time_ms, c.timeS * 1e3, 1e-12);
  assertWithin(j.busbw_bytes_per_s, 229.04e9, 0.15, "J1 1 GiB busbw");
  assertWithin(j.busbw_bytes_per_s / j.algbw_bytes_per_s, 1.75, 1e-12, "2(n−1)/n");
  const t = runSim([
    "collective",
    "--op",
    "all-reduce",
    "--bytes",
    "256MiB",
    "--gpus",
    "32",
    "--cluster",
    "dgx-h100",
  ]);
  assertEquals(t.code, 0, t.stderr);
  for (const s of ["ring", "hierarchical", "tree", "← fastest"]) assert(t.stdout.includes(s), s);
});

Deno.test("sim collective: errors name the flag; --help", () => {
  const base = ["collective", "--op", "all-reduce", "--gpus", "8", "--cluster", "dgx-a100"];
  const bad = runSim([...base, "--bytes", "12 parsecs"]);
  assertEquals(bad.code, 2);
  assert(bad.stderr.includes("--bytes"), bad.stderr);
  const op = runSim([
    "collective",
    "--op",
    "allreduce",
    "--bytes",
    "1GB",
    "--gpus",
    "8",
    "--cluster",
    "dgx-a100",
  ]);
  assert(op.stderr.includes("--op"), op.stderr);
  const alg = runSim([...base, "--bytes", "1GB", "--algorithm", "nvls"]);
  assertEquals(alg.code, 2);
  assert(alg.stderr.includes("available"), alg.stderr);
  const g = runSim([...base, "--bytes", "1GB", "--gpus-per-node", "16"]);
  assert(g.stderr.includes("--gpus-per-node"), g.stderr);
  for (const h of [["collective", "--help"], ["help", "collective"], ["help", "train"]]) {
    const r = runSim(h);
    assertEquals(r.code, 0);
    assert(r.stdout.includes("deno task sim"), r.stdout);
  }
  assertEquals(parseByteSize("128MiB"), 128 * 2 ** 20);
  assertEquals(parseByteSize("4e9"), 4e9);
  assertEquals(parseByteSize("1.5 GB"), 1.5e9);
  assert(Number.isNaN(parseByteSize("lots")));
});
