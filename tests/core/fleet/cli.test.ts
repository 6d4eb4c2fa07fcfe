// `sim tail` and `sim replicas`: JSON fields, help, and usage errors naming the flag.
import { assert, assertEquals } from "../_assert.ts";
import { runSim } from "../../../core/cli/sim.ts";

const M = ["--model", "llama-3.1-8b", "--gpu", "h100-sxm"];

Deno.test("sim tail --json: simulated and analytical percentiles in ms, histogram, seed", () => {
  const r = runSim(["tail", ...M, "--qps", "8", "--requests", "5000", "--seed", "3", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of ["mean", "p50", "p95", "p99"]) {
    assert(j.ttft_ms[k] > 0 && j.e2e_ms[k] > j.ttft_ms[k], k);
    assert(j.analytic.e2e_ms[k] > 0, k);
  }
  assertEquals([j.requests, j.seed, j.saturated, j.e2e_histogram.counts.length], [
    5000,
    3,
    false,
    20,
  ]);
  // Same seed, same output.
  const again = runSim(["tail", ...M, "--qps", "8", "--requests", "5000", "--seed", "3", "--json"]);
  assertEquals(again.stdout, r.stdout);
  const text = runSim(["tail", ...M, "--qps", "8", "--requests", "2000"]);
  assert(text.stdout.includes("end-to-end latency histogram"), text.stdout);
});

Deno.test("sim replicas --json: replicas, GPUs, cost and cold start; infeasible targets say why", () => {
  const r = runSim(["replicas", ...M, "--qps", "40", "--slo-p99-ms", "8000", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert(j.feasible && j.replicas >= 1 && j.p99_ms <= 8000, r.stdout);
  assertEquals(j.gpus, j.replicas);
  assertEquals(j.usd_per_hour, j.replicas * 3);
  assert(j.usd_per_million_tokens > 0 && j.cold_start_s > 0);
  const more = JSON.parse(
    runSim(["replicas", ...M, "--qps", "400", "--slo-p99-ms", "8000", "--json"]).stdout,
  );
  assert(more.replicas > j.replicas);
  const tight = runSim(["replicas", ...M, "--qps", "4", "--slo-p99-ms", "50"]);
  assert(tight.code === 2 && tight.stderr.includes("latency-bound"), tight.stderr);
  const big = runSim([
    "replicas",
    "--model",
    "llama-3.1-70b",
    "--gpu",
    "h100-sxm",
    "--qps",
    "1",
    "--slo-p99-ms",
    "9000",
  ]);
  assert(big.code === 2 && big.stderr.includes("capacity-bound"), big.stderr);
  // Infeasible JSON still prints, with nulls beside the reason.
  const bigJson = runSim([
    "replicas",
    "--model",
    "llama-3.1-70b",
    "--gpu",
    "h100-sxm",
    "--qps",
    "1",
    "--slo-p99-ms",
    "9000",
    "--json",
  ]);
  const bj = JSON.parse(bigJson.stdout);
  assertEquals([bigJson.code, bj.feasible, bj.bound, bj.replicas], [2, false, "capacity", null]);
  // An overloaded replica: numbers printed, exit 2, the reason on stderr.
  const over = runSim([
    "tail",
    ...M,
    "--qps",
    "5",
    "--max-batch",
    "8",
    "--output",
    "256",
    "--requests",
    "5000",
    "--json",
  ]);
  assert(over.code === 2 && over.stderr.includes("queue unstable"), over.stderr);
  assertEquals(JSON.parse(over.stdout).saturated, true);
  const l4 = JSON.parse(
    runSim([
      "replicas",
      "--model",
      "llama-3.1-8b",
      "--gpu",
      "l4",
      "--qps",
      "1",
      "--slo-p99-ms",
      "60000",
      "--json",
    ]).stdout,
  );
  assertEquals(l4.usd_per_hour, null);
});

Deno.test("sim tail / replicas: help, bad numbers name the flag (exit 2), unknown ids suggest", () => {
  assert(runSim(["help", "tail"]).stdout.includes("--qps"));
  assert(runSim(["replicas", "--help"]).stdout.includes("--slo-p99-ms"));
  assert(runSim(["help"]).stdout.includes("replicas"));
  const neg = runSim(["tail", ...M, "--qps", "-3"]);
  assertEquals(neg.code, 2);
  assert(neg.stderr.includes("--qps") && neg.stderr.includes('"qps"'), neg.stderr);
  const missing = runSim(["replicas", ...M, "--qps", "3"]);
  assert(missing.stderr.includes("--slo-p99-ms is required"), missing.stderr);
  const cv = runSim(["tail", ...M, "--qps", "3", "--output-cv", "NaN"]);
  assert(cv.code === 2 && cv.stderr.includes("--output-cv"), cv.stderr);
  const id = runSim(["tail", "--model", "lama-3.1-8b", "--gpu", "h100-sxm", "--qps", "1"]);
  assert(id.code === 2 && id.stderr.includes("llama-3.1-8b"), id.stderr);
  const cnn = runSim(["tail", "--model", "resnet-50", "--gpu", "h100-sxm", "--qps", "1"]);
  assert(cnn.code === 2 && cnn.stderr.includes("transformer"), cnn.stderr);
  assertEquals(runSim(["tail", ...M, "--qps", "1", "--frobnicate"]).code, 2);
});
