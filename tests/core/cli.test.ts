import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { CliError, parseSimArgs } from "../../core/cli/args.ts";
import { runSim } from "../../core/cli/sim.ts";

Deno.test("parse: defaults, aliases and numbers", () => {
  const a = parseSimArgs(["serve", "--model", "Llama3_8B", "--gpu", "H100", "--json"]);
  assertEquals(a.command, "serve");
  if (a.command !== "serve") return;
  assertEquals(a.json, true);
  assertEquals([a.input.tp, a.input.batch, a.input.prompt, a.input.output], [1, 1, 512, 128]);
  const c = parseSimArgs([
    "capacity",
    "--model",
    "llama-3-8b",
    "--gpu",
    "a100-40gb",
    "--gmu",
    "0.9",
    "--max-model-len",
    "8192",
  ]);
  if (c.command !== "capacity") throw new Error();
  assertEquals(c.input.maxModelLen, 8192);
  assertEquals(c.input.blockSize, 16);
});

Deno.test("parse: an unknown command lists every command, fleet and training ones included", () => {
  const e = assertThrows(() => parseSimArgs(["trian"]), CliError);
  for (const c of ["serve", "tail", "replicas", "train", "collective"]) {
    assert(e.message.includes(c), e.message);
  }
});

Deno.test("parse: invalid numbers name the field; unknown ids suggest; exit code 2", () => {
  const neg = assertThrows(
    () => parseSimArgs(["serve", "--model", "llama-3-8b", "--gpu", "h100-sxm", "--batch", "-3"]),
    CliError,
  );
  assert(neg.message.includes('"batch"'), neg.message);
  assertEquals(neg.code, 2);
  const nan = assertThrows(
    () => parseSimArgs(["kv", "--model", "llama-3-8b", "--seq", "NaN"]),
    CliError,
  );
  assert(nan.message.includes('"seqLen"') && nan.message.includes("--seq"), nan.message);
  const id = assertThrows(
    () => parseSimArgs(["serve", "--model", "lama-3-8b", "--gpu", "h100-sxm"]),
    CliError,
  );
  assert(id.message.includes("llama-3-8b"), id.message);
  const g = assertThrows(
    () => parseSimArgs(["serve", "--model", "llama-3-8b", "--gpu", "h10"]),
    CliError,
  );
  assert(g.message.includes("Did you mean"), g.message);
  const missing = assertThrows(() => parseSimArgs(["kv"]), CliError);
  assertEquals(missing.message, "--model is required\n--seq is required");
  assertThrows(() => parseSimArgs(["frobnicate"]), CliError);
  assertThrows(() => parseSimArgs(["kv", "--nope", "1"]), CliError);
});

Deno.test("run: serve --json has exactly DESIGN §4's fields (plus extras), times in ms", () => {
  const r = runSim(["serve", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--json"]);
  assertEquals(r.code, 0);
  const j = JSON.parse(r.stdout);
  for (
    const k of [
      "ttft_ms",
      "itl_ms",
      "weights_bytes",
      "kv_cache_bytes",
      "total_memory_bytes",
      "memory_capacity_bytes",
      "memory_utilization",
      "feasible",
      "prefill_bound",
      "decode_bound",
      "throughput_tokens_per_s",
    ]
  ) assert(k in j, k);
  assertEquals(j.weights_bytes, 16_060_522_496);
  assert(j.itl_ms > 5 && j.itl_ms < 10);
});

Deno.test("run: kv, models, gpus, memory-growth, help", () => {
  const kv = JSON.parse(
    runSim(["kv", "--model", "llama-3.1-70b", "--seq", "4096", "--batch", "2", "--json"]).stdout,
  );
  assertEquals(kv.kv_bytes_per_token, 327_680);
  assertEquals(kv.kv_cache_bytes, 2 * 4096 * 327_680);
  const models = JSON.parse(runSim(["models", "--json"]).stdout);
  assertEquals(models.length, 19); // incl. llama-3.2-1b (lab v1-08)
  const gpus = JSON.parse(runSim(["gpus", "--json"]).stdout);
  assertEquals(gpus.find((g: { id: string }) => g.id === "h100-sxm").bf16_flops_per_s, 989.4e12);
  const mg = runSim(["memory-growth", "--model", "llama-2-7b"]);
  assert(mg.stdout.includes("Maximum Context Lengths by GPU"));
  assert(mg.stdout.includes("524,288 bytes"));
  const mgj = JSON.parse(
    runSim(["memory-growth", "--model", "llama-3-8b", "--gpu", "h100-sxm", "--json"]).stdout,
  );
  assertEquals(mgj.kv_bytes_per_token, 131_072);
  assertEquals(mgj.max_context.length, 1);
  assert(runSim(["--help"]).stdout.includes("memory-growth"));
  assert(runSim(["serve", "--help"]).stdout.includes("ttft_ms"));
  const human = runSim([
    "capacity",
    "--model",
    "llama-3-8b",
    "--gpu",
    "a100-40gb",
    "--max-model-len",
    "8192",
  ]);
  assert(human.stdout.includes("# GPU blocks"));
  assert(!/NaN|Infinity|undefined/.test(human.stdout + mg.stdout));
});

Deno.test("run: usage errors exit 2 on stderr", () => {
  const r = runSim(["serve", "--model", "llama-3-8b", "--gpu", "h100-sxm", "--batch", "-1"]);
  assertEquals(r.code, 2);
  assert(r.stderr.includes("batch"));
});
