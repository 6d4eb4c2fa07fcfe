/**
 * Issue 16 item 5: `sim serve --qps / --concurrency`, usage errors for CNN ids and vLLM-refused
 * TP sizes, OOM and unbounded queues exit 2, and no `null` is ever printed with exit 0.
 */
import fc from "fast-check";
import { assert, assertEquals } from "./_assert.ts";
import { runSim } from "../../core/cli/sim.ts";
import { jsonOut, NonFiniteResultError } from "../../core/cli/json.ts";

const C5 = ["--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--prompt", "467", "--output", "256"];

function within(x: number, want: number, tol: number, what: string): void {
  assert(Math.abs(x / want - 1) <= tol, `${what} ${x} vs ${want} (±${tol * 100} %)`);
}

Deno.test("serve --qps 2 reproduces calibration C5 (TTFT 23 ms, ITL 8 ms) within 15 %", () => {
  const r = runSim(["serve", ...C5, "--qps", "2", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  within(j.ttft_ms, 23, 0.15, "TTFT");
  within(j.itl_ms, 8, 0.15, "ITL");
  assertEquals([j.loop, j.qps, j.stable, j.bound], ["open", 2, true, "bandwidth"]);
  within(j.throughput_tokens_per_s, 2 * 256, 1e-9, "throughput = qps × output");
});

Deno.test("serve --concurrency: closed loop; C = 1 is the unloaded latency, more users raise ITL and throughput", () => {
  const at = (c: number) =>
    JSON.parse(runSim(["serve", ...C5, "--concurrency", String(c), "--json"]).stdout);
  const one = at(1), eight = at(8), many = at(1000);
  assertEquals([one.loop, one.concurrency, one.prefill_share, one.queue_wait_ms], [
    "closed",
    1,
    0,
    0,
  ]);
  within(one.ttft_ms, one.prefill_ms + one.decode_step_ms, 1e-9, "C=1 TTFT = prefill + step");
  within(one.itl_ms, one.decode_step_ms, 1e-9, "C=1 ITL = one decode step");
  // Little's law closes the loop: qps = C / end-to-end.
  within(eight.qps, 8 / (eight.e2e_ms / 1e3), 1e-6, "qps = C / e2e");
  assert(eight.itl_ms > one.itl_ms && eight.throughput_tokens_per_s > one.throughput_tokens_per_s);
  // 1,000 users on 256 slots: the rest wait for a slot, and TTFT carries the wait.
  assertEquals(many.concurrency, 256);
  assert(many.queue_wait_ms > 0 && many.ttft_ms > many.queue_wait_ms);
  const help = runSim(["serve", "--help"]).stdout;
  assert(/--concurrency 1 is a single user back to back/.test(help), help);
  assert(/--qps R +open loop/.test(help));
});

Deno.test("CNN ids give a usage error naming the commands that take transformers (exit 2, no stack)", () => {
  for (
    const argv of [
      ["kv", "--model", "resnet-50", "--seq", "128"],
      ["serve", "--model", "resnet-50", "--gpu", "h100-sxm"],
      ["capacity", "--model", "mobilenet-v2", "--gpu", "h100-sxm"],
      ["memory-growth", "--model", "resnet-50"],
    ]
  ) {
    const r = runSim(argv);
    assertEquals(r.code, 2, argv.join(" "));
    assert(/is a CNN .* kv, serve, capacity and memory-growth take transformer/.test(r.stderr));
    assert(!/\n\s+at /.test(r.stderr), r.stderr);
  }
});

Deno.test("infeasible serve exits 2 and says why: OOM (static and online), unbounded queue", () => {
  const oom = runSim([
    "serve",
    "--model",
    "llama-3.1-70b",
    "--gpu",
    "h100-sxm",
    "--batch",
    "4",
    "--json",
  ]);
  assertEquals(oom.code, 2);
  assertEquals(JSON.parse(oom.stdout).feasible, false);
  assert(/infeasible \(OOM\): the weights and vLLM's reserves need/.test(oom.stderr), oom.stderr);
  const kv = runSim([
    "serve",
    "--model",
    "llama-3.1-8b",
    "--gpu",
    "l4",
    "--batch",
    "64",
    "--prompt",
    "8192",
  ]);
  assertEquals(kv.code, 2);
  assert(/the KV cache of 64 × 8320 tokens needs/.test(kv.stderr), kv.stderr);
  const q = runSim(["serve", ...C5, "--qps", "500", "--json"]);
  assertEquals(q.code, 2);
  assert(/unstable: prefills alone need \d+ % of the GPU's time/.test(q.stderr));
  assertEquals(JSON.parse(q.stdout).stable, false);
  const noKv = runSim(["serve", "--model", "llama-3.1-70b", "--gpu", "l4", "--qps", "1"]);
  assertEquals(noKv.code, 2);
  assert(/infeasible \(OOM\): not one request/.test(noKv.stderr), noKv.stderr);
});

Deno.test("--tp follows vLLM: replicated KV heads in whole bytes; sizes vLLM refuses are usage errors", () => {
  const r = runSim([
    "capacity",
    "--model",
    "llama-3.1-8b",
    "--gpu",
    "h100-sxm",
    "--tp",
    "16",
    "--json",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  // 8 KV heads on 16 GPUs: one whole head per GPU (replicated), 2·32·1·128·2 bytes per token.
  assertEquals(j.kv_bytes_per_token, 16384);
  for (const [k, v] of Object.entries(j)) {
    if (/bytes/.test(k)) assert(Number.isInteger(v), `${k} = ${v}`);
  }
  const bad = runSim(["serve", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--tp", "3"]);
  assertEquals(bad.code, 2);
  assert(/vLLM refuses this\). Valid sizes up to 64: 1, 2, 4, 8, 16, 32/.test(bad.stderr));
  const edge = runSim([
    "serve",
    "--model",
    "llama-3.1-8b",
    "--gpu",
    "jetson-agx-orin",
    "--tp",
    "2",
  ]);
  assertEquals(edge.code, 2);
  assert(/no GPU-to-GPU link/.test(edge.stderr));
  const both = runSim(["serve", ...C5, "--qps", "1", "--concurrency", "2"]);
  assertEquals(both.code, 2);
  const fp32 = runSim([
    "serve",
    "--model",
    "llama-3.1-8b",
    "--gpu",
    "gaudi-3",
    "--precision",
    "fp32",
  ]);
  assertEquals(fp32.code, 2);
  assert(/no FP32 figure on record/.test(fp32.stderr));
});

Deno.test("no null with exit 0: any serve invocation either prints only numbers or exits non-zero", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "gemma-2-9b", "deepseek-v3"),
      fc.constantFrom("h100-sxm", "a100-40gb", "l4", "tpu-v5e", "jetson-orin-nx", "cortex-m7"),
      fc.constantFrom("1", "2", "8"),
      fc.constantFrom([], ["--qps", "3"], ["--concurrency", "16"], ["--batch", "32"]),
      fc.constantFrom("fp32", "bf16", "fp8", "int4"),
      (model, gpu, tp, load, precision) => {
        const r = runSim([
          "serve",
          "--model",
          model,
          "--gpu",
          gpu,
          "--tp",
          tp,
          "--precision",
          precision,
          ...load,
          "--json",
        ]);
        if (r.code === 0) assert(!/null/.test(r.stdout), r.stdout);
        else assert(r.code === 2 && /^error: /.test(r.stderr), `${r.code} ${r.stderr}`);
      },
    ),
    { numRuns: 150 },
  );
  let thrown: unknown;
  try {
    jsonOut({ ttft_ms: Infinity });
  } catch (e) {
    thrown = e;
  }
  assert(thrown instanceof NonFiniteResultError);
  assertEquals(jsonOut({ ttft_ms: Infinity }, true), '{\n  "ttft_ms": null\n}');
  assertEquals(jsonOut({ weights_bytes: 1.5e9 + 0.33 }), '{\n  "weights_bytes": 1500000000\n}');
});
