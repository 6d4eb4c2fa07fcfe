import { assert, assertEquals, assertWithin } from "../_assert.ts";
import { runSim } from "../../../core/cli/sim.ts";
import { parseByteSize } from "../../../core/cli/train.ts";
import {
  collectiveTime,
  fitOf,
  lookupCluster,
  trainingMemory,
} from "../../../core/training/mod.ts";
import {
  checkpointBytes,
  CONVENTIONS,
  dalyInterval,
  failureProbability,
  goodput,
  jobMtbf,
  LLAMA3_FAILURES_PER_GPU_HOUR,
  optimalInterval,
  youngInterval,
} from "../../../core/training/mod.ts";
import { totalParams } from "../../../core/params.ts";
import { lookupTransformer } from "../../../core/registry.ts";

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
  const cnn = runSim(["train", "--model", "resnet-50", "--gpu", "h100-sxm", "--seq", "8"]);
  assertEquals(cnn.code, 2, cnn.stderr);
  assert(cnn.stderr.includes("resnet-50"), cnn.stderr);
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

// ---- reliability section (--storage-gbps) ----

const REL = [...C2, "--storage-gbps", "50"];

Deno.test("sim train --storage-gbps --json: reliability fields equal the core functions", () => {
  const r = runSim([...REL, "--tokens", "300e9", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const x = j.reliability;
  for (
    const k of [
      "gpus",
      "mtbf_ms",
      "failure_probability",
      "expected_failures",
      "checkpoint_bytes",
      "write_ms",
      "young_interval_ms",
      "daly_interval_ms",
      "optimum_interval_ms",
      "optimum_goodput",
      "interval_ms",
      "goodput",
      "wall_time_to_train_ms",
    ]
  ) assert(typeof x[k] === "number" && Number.isFinite(x[k]), k);
  // 64 GPUs = tp 8 × pp 8 × dp 1; λ Llama 3's (K1); restart the schema's 10 min.
  assertEquals(x.gpus, 64);
  assertEquals(x.failures_per_gpu_hour, LLAMA3_FAILURES_PER_GPU_HOUR);
  const mtbf = jobMtbf(64);
  assertWithin(x.mtbf_ms, mtbf * 1e3, 1e-12);
  // Checkpoint: all 175B parameters × 14 B (bf16 + fp32 master + two fp32 moments).
  const bytes = checkpointBytes(
    totalParams(lookupTransformer("megatron-gpt-175b")),
    CONVENTIONS["megatron-bf16-18"],
  );
  assertWithin(x.checkpoint_bytes, Math.round(bytes), 1e-9);
  assertWithin(x.checkpoint_bytes / x.checkpoint_params, 14, 1e-9);
  const write = bytes / 50e9;
  assertWithin(x.write_ms, write * 1e3, 1e-9);
  assertEquals(x.mode, "sync");
  assertWithin(x.stall_ms, write * 1e3, 1e-9);
  assertEquals(x.restart_ms, 600e3);
  assertWithin(x.young_interval_ms, youngInterval(write, mtbf) * 1e3, 1e-9);
  assertWithin(x.daly_interval_ms, dalyInterval(write, mtbf) * 1e3, 1e-9);
  const cost = { stall: write, restart: 600 };
  const opt = optimalInterval(cost, mtbf);
  assertWithin(x.optimum_interval_ms, opt.interval * 1e3, 1e-6);
  assertWithin(x.optimum_goodput, opt.goodput, 1e-12);
  // No --interval-min: the chosen interval is the optimum.
  assertEquals(x.interval_source, "optimum");
  assertWithin(x.goodput, goodput(x.interval_ms / 1e3, cost, mtbf), 1e-12);
  // P(≥ 1 failure) over the step-level time to train; wall time = that ÷ goodput.
  const train = j.time_to_train.time_ms / 1e3;
  assertEquals(x.window_source, "time_to_train");
  assertWithin(x.window_ms, train * 1e3, 1e-12);
  assertWithin(x.failure_probability, failureProbability(train, mtbf), 1e-12);
  assertWithin(x.expected_failures, train / mtbf, 1e-12);
  assertWithin(x.wall_time_to_train_ms, train / x.goodput * 1e3, 1e-12);
  // Daly's interval is within 1 % of the numerical optimum here (δ ≪ M).
  assertWithin(x.daly_interval_ms, x.optimum_interval_ms, 0.01);
});

Deno.test("sim train --storage-gbps: without --tokens P(fail) is over 24 h; options change it", () => {
  const r = runSim([
    ...REL,
    "--gpus",
    "1024",
    "--restart-min",
    "20",
    "--failure-row",
    "opt-a100",
    "--interval-min",
    "90",
    "--json",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const x = JSON.parse(r.stdout).reliability;
  assertEquals(x.gpus, 1024);
  assertEquals(x.gpus_source, "--gpus");
  assertEquals(x.failure_rate_source, "opt-a100");
  assertWithin(x.mtbf_ms, 1e3 * 3600 / (1024 * 90 / (992 * 56 * 24)), 1e-12);
  assertEquals(x.window_ms, 864e5);
  assertWithin(x.failure_probability, failureProbability(86400, x.mtbf_ms / 1e3), 1e-12);
  assertEquals(x.restart_ms, 1200e3);
  assertEquals(x.interval_ms, 90 * 60e3);
  assertEquals(x.interval_source, "--interval-min");
  assertEquals(x.wall_time_to_train_ms, null);
  const cost = { stall: x.stall_ms / 1e3, restart: x.restart_cost_ms / 1e3 };
  assertWithin(x.goodput, goodput(5400, cost, x.mtbf_ms / 1e3), 1e-12);
  const table = runSim([...REL, "--tokens", "300e9"]);
  assertEquals(table.code, 0, table.stderr);
  for (
    const s of ["reliability", "job MTBF", "P(≥ 1 failure) over time to train", "Young", "Daly"]
  ) assert(table.stdout.includes(s), s);
  assert(table.stdout.includes("time to train ÷ goodput"), table.stdout);
  const h = runSim(["help", "train"]);
  for (const s of ["--storage-gbps", "--restart-min", "--interval-min", "--async"]) {
    assert(h.stdout.includes(s), s);
  }
});

Deno.test("sim train --storage-gbps: goodput at the optimum ≥ goodput at any chosen interval", () => {
  for (const mode of [[], ["--async"]]) {
    const at = (extra: string[]) => {
      const r = runSim([...REL, "--gpus", "16384", ...mode, ...extra, "--json"]);
      assertEquals(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).reliability;
    };
    const best = at([]);
    for (const min of ["0.5", "2", "10", "60", "240"]) {
      const x = at(["--interval-min", min]);
      assertWithin(x.optimum_goodput, best.optimum_goodput, 1e-9, `${mode} ${min} min`);
      assert(x.optimum_goodput >= x.goodput - 1e-12, `${mode} τ = ${min} min: ${x.goodput}`);
      assert(best.goodput >= x.goodput - 1e-12, `${mode} τ = ${min} min`);
    }
    // Async at a 30 s interval: the 48.9 s write is still in flight — the section says so.
    const tight = at(["--interval-min", "0.5"]);
    assertEquals(tight.write_exceeds_interval, true);
  }
});

Deno.test("sim train --storage-gbps: a bad flag names itself", () => {
  const cases: [string[], string][] = [
    [["--storage-gbps", "0"], "--storage-gbps"],
    [["--storage-gbps", "fast"], "--storage-gbps"],
    [["--storage-gbps", "50", "--restart-min", "-1"], "--restart-min"],
    [["--storage-gbps", "50", "--interval-min", "0"], "--interval-min"],
    [["--storage-gbps", "50", "--failures-per-gpu-hour", "2"], "--failures-per-gpu-hour"],
    [["--storage-gbps", "50", "--failure-row", "llama"], "--failure-row"],
    [["--storage-gbps", "50", "--gpus", "0"], "--gpus"],
    [
      ["--storage-gbps", "50", "--failure-row", "opt-a100", "--failures-per-gpu-hour", "1e-5"],
      "--failure-row",
    ],
    [["--async"], "--storage-gbps"],
    [["--interval-min", "30"], "--interval-min"],
    [["--gpus", "8"], "--gpus"],
  ];
  for (const [extra, want] of cases) {
    const r = runSim([...C2, ...extra]);
    assertEquals(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
    assert(r.stderr.includes(want), `${extra.join(" ")}: ${r.stderr}`);
  }
  const known = runSim([...C2, "--storage-gbps", "50", "--failure-row", "llama"]);
  assert(known.stderr.includes("llama3-h100"), known.stderr);
  const col = runSim([
    "collective",
    "--op",
    "all-reduce",
    "--bytes",
    "1GB",
    "--gpus",
    "8",
    "--cluster",
    "dgx-a100",
    "--storage-gbps",
    "50",
  ]);
  assertEquals(col.code, 2);
  assert(col.stderr.includes("--storage-gbps"), col.stderr);
});
