/**
 * `deno task sim <command> … [--json]`: the analytical core from the shell (DESIGN.md §4).
 * {@link runSim} returns exit code and output without touching the process, for tests.
 *
 * @module
 */
import { vllmCapacity } from "../capacity.ts";
import {
  formatCount,
  formatGB,
  formatGiB,
  formatMs,
  formatNumber,
  formatPercent,
  formatTflops,
  formatTokensPerS,
} from "../format.ts";
import { kvCache } from "../kv.ts";
import { memoryGrowth, renderMemoryGrowth } from "../memory_growth.ts";
import { paramCounts } from "../params.ts";
import { listGpus, listModels } from "../registry.ts";
import { validateRegistries } from "../schema/registry.ts";
import { serve } from "../serve.ts";
import { weightsMemory } from "../weights.ts";
import { CliError, type Command, parseSimArgs } from "./args.ts";
import { jsonOut, NonFiniteResultError } from "./json.ts";
import { InfeasibleError, ONLINE_HELP, serveOnline } from "./serve-online.ts";
import { runFleet } from "./fleet.ts";
import { runTraining } from "./train.ts";

/** Output of one CLI run. */
export interface SimOutput {
  code: number;
  stdout: string;
  stderr: string;
}

const HELP: Record<Command | "main", string> = {
  main: `deno task sim <command> [options] [--json]

Commands:
  models                      the model registry
  gpus                        the accelerator registry
  kv --model M --seq S [--batch B] [--kv-precision P]
  serve --model M --gpu G [--tp N] [--batch B | --qps R | --concurrency C] [--prompt S]
        [--output O] [--precision P] [--kv-precision P] [--gmu F]
  capacity --model M --gpu G [--tp N] [--gmu F] [--max-model-len L]
        [--max-num-batched-tokens T] [--block-size 16] [--precision P] [--kv-precision P]
  memory-growth --model M [--gpu G]
  tail --model M --gpu G --qps Q [...]          simulated + M/G/c tail latency of one replica
  replicas --model M --gpu G --qps Q --slo-p99-ms S [...]   replicas, cost, cold start
  (help tail / help replicas for their options)
  train --model M (--gpu G | --cluster C) --seq S [...]   training memory, step, time to train
  collective --op OP --bytes S --gpus N --cluster C [...]  one collective: time, algbw, busbw
  (help train / help collective for their options)

--json prints snake_case keys, sizes in bytes, times in ms. Precisions: fp32 bf16 fp16 fp8 int8
int4. Ids: see \`models\` / \`gpus\`; mlsysim names (Llama3_70B, H100) are accepted.`,
  models: "deno task sim models [--json]\n  id, name, parameters, KV bytes/token, source.",
  gpus:
    "deno task sim gpus [--json]\n  id, name, dense BF16/FP8 peaks, memory (GB and GiB), bandwidth, TDP, link, source.",
  kv:
    "deno task sim kv --model M --seq S [--batch B] [--kv-precision P] [--json]\n  → kv_bytes_per_token, kv_cache_bytes",
  serve: "deno task sim serve --model M --gpu G [--tp N] [--batch B] [--prompt S] [--output O]\n" +
    "  [--precision P] [--kv-precision P] [--gmu F] [--json]\n" +
    "  --batch B        B identical requests prefilled and decoded together (static batch)\n" +
    "  → ttft_ms, itl_ms, weights_bytes, kv_cache_bytes, total_memory_bytes, memory_capacity_bytes,\n" +
    "    memory_utilization, feasible, prefill_bound, decode_bound, throughput_tokens_per_s\n" +
    ONLINE_HELP + "\n" +
    "  --tp must split the heads as vLLM does (KV heads partitioned, or replicated when fewer\n" +
    "  than GPUs). Out of memory or an unbounded queue prints the result and exits 2.",
  capacity: "deno task sim capacity --model M --gpu G [--tp N] [--gmu F] [--max-model-len L]\n" +
    "  [--max-num-batched-tokens T] [--block-size 16] [--json]\n" +
    "  → kv_cache_bytes, num_blocks, kv_cache_tokens, max_concurrency (vLLM's accounting)",
  "memory-growth": "deno task sim memory-growth --model M [--gpu G] [--json]\n" +
    "  → seed 003's report with config-exact, GQA-aware numbers",
};

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  return [line(headers), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)].join("\n");
}

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** Recursively convert object keys to snake_case. */
export function toSnake(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(toSnake);
  if (x && typeof x === "object") {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [snake(k), toSnake(v)]));
  }
  return x;
}

function models(json: boolean): string {
  const rows = listModels().map((m) => {
    if (m.kind === "cnn") {
      return {
        id: m.id,
        name: m.name,
        kind: m.kind,
        params: m.params,
        active_params: m.params,
        flops_per_inference: m.flopsPerInference,
        weights_bytes: weightsMemory(m).totalBytes,
        aliases: m.aliases,
        source: m.source,
      };
    }
    const pc = paramCounts(m);
    return {
      id: m.id,
      name: m.name,
      kind: m.kind,
      params: pc.total,
      active_params: pc.active,
      layers: m.layers,
      hidden: m.hidden,
      heads: m.heads,
      kv_heads: m.kvHeads,
      head_dim: m.headDim,
      kv_bytes_per_token: kvCache({ model: m, seqLen: 1 }).bytesPerToken,
      max_context: m.maxContext,
      native_precision: m.nativePrecision,
      weights_bytes: weightsMemory(m).totalBytes,
      aliases: m.aliases,
      source: m.source,
    };
  });
  if (json) return jsonOut(rows);
  return table(
    ["id", "params", "active", "KV B/token (bf16)", "weights (native)", "max ctx"],
    rows.map((r) => [
      r.id,
      formatNumber(r.params / 1e9, 3) + " B",
      formatNumber(r.active_params / 1e9, 3) + " B",
      "kv_bytes_per_token" in r ? formatCount(r.kv_bytes_per_token as number) : "—",
      formatGB(r.weights_bytes),
      "max_context" in r ? formatCount(r.max_context as number) : "—",
    ]),
  );
}

function gpus(json: boolean): string {
  const rows = listGpus();
  if (json) {
    return jsonOut(rows.map((g) => ({
      id: g.id,
      name: g.name,
      tier: g.tier,
      bf16_flops_per_s: g.peak.bf16,
      fp8_flops_per_s: g.peak.fp8 ?? null,
      int8_ops_per_s: g.peak.int8 ?? null,
      fp32_flops_per_s: g.peak.fp32 ?? null,
      memory_bytes: g.memoryBytes,
      memory_label: g.memoryLabel,
      runtime_memory_bytes: g.runtimeMemoryBytes,
      bandwidth_bytes_per_s: g.bandwidth,
      tdp_w: g.tdpW,
      link_bytes_per_s: g.linkBandwidth,
      link: g.linkLabel,
      aliases: g.aliases,
      source: g.source,
    })));
  }
  return table(
    ["id", "BF16 dense", "FP8 dense", "memory", "runtime", "bandwidth", "TDP"],
    rows.map((g) => [
      g.id,
      formatTflops(g.peak.bf16),
      g.peak.fp8 ? formatTflops(g.peak.fp8) : "—",
      g.memoryLabel,
      formatGiB(g.runtimeMemoryBytes),
      formatNumber(g.bandwidth / 1e9, 0) + " GB/s",
      g.tdpW === null ? "—" : `${g.tdpW} W`,
    ]),
  );
}

function run(argv: readonly string[]): string {
  const fleet = runFleet(argv, { table });
  if (fleet !== null) return fleet;
  const training = runTraining(argv, { table });
  if (training !== null) return training;
  const a = parseSimArgs(argv);
  switch (a.command) {
    case "help":
      return HELP[a.topic ?? "main"];
    case "models":
      validateRegistries(listModels(), listGpus());
      return models(a.json);
    case "gpus":
      validateRegistries(listModels(), listGpus());
      return gpus(a.json);
    case "kv": {
      const r = kvCache(a.input);
      const out = {
        model: a.input.model,
        seq: a.input.seqLen,
        batch: a.input.batch,
        kv_precision: r.kvPrecision,
        attention: r.attention,
        kv_bytes_per_token: r.bytesPerToken,
        kv_bytes_per_request: r.perRequestBytes,
        kv_cache_bytes: r.totalBytes,
      };
      if (a.json) return jsonOut(out);
      return table(["quantity", "value"], [
        ["attention", r.attention],
        ["KV bytes per token", `${formatCount(r.bytesPerToken)} B`],
        ["KV per request", `${formatGB(r.perRequestBytes)} (${formatGiB(r.perRequestBytes)})`],
        [`KV for batch ${a.input.batch}`, `${formatGB(r.totalBytes)} (${formatGiB(r.totalBytes)})`],
      ]);
    }
    case "serve": {
      if (a.input.qps !== undefined || a.input.concurrency !== undefined) {
        return serveOnline(a.input, a.json);
      }
      const r = serve(a.input);
      const out = {
        ttft_ms: r.ttftS * 1e3,
        itl_ms: r.itlS * 1e3,
        weights_bytes: r.weightsBytes,
        kv_cache_bytes: r.kvCacheBytes,
        total_memory_bytes: r.totalMemoryBytes,
        memory_capacity_bytes: r.memoryCapacityBytes,
        memory_utilization: r.memoryUtilization,
        feasible: r.feasible,
        prefill_bound: r.prefillBound,
        decode_bound: r.decodeBound,
        throughput_tokens_per_s: r.throughputTokensPerS,
        e2e_ms: r.e2eS * 1e3,
        activation_bytes: r.activationBytes,
        bound: r.bound,
        decode_mfu: r.decodeMfu,
        prefill_mfu: r.prefillMfu,
        max_model_len: r.maxModelLen,
        infeasible_reason: r.infeasibleReason,
      };
      const text = a.json ? jsonOut(out) : table(["quantity", "value"], [
        ["TTFT", `${formatMs(r.ttftS)} (${r.prefillBound}-bound)`],
        ["ITL", `${formatMs(r.itlS)} (${r.decodeBound}-bound)`],
        ["throughput", formatTokensPerS(r.throughputTokensPerS)],
        ["weights", formatGB(r.weightsBytes)],
        ["KV cache", formatGB(r.kvCacheBytes)],
        ["total memory", `${formatGB(r.totalMemoryBytes)} of ${formatGB(r.memoryCapacityBytes)}`],
        ["memory utilization", formatPercent(r.memoryUtilization)],
        ["feasible", r.feasible ? "yes" : "no (OOM)"],
      ]);
      if (!r.feasible) throw new InfeasibleError(`infeasible (OOM): ${r.infeasibleReason}`, text);
      return text;
    }
    case "capacity": {
      const r = vllmCapacity(a.input);
      const out = {
        kv_cache_bytes: r.kvCacheBytes,
        shortfall_bytes: r.shortfallBytes,
        num_blocks: r.numBlocks,
        kv_cache_tokens: r.kvCacheTokens,
        max_concurrency: r.maxConcurrency,
        total_memory_bytes: r.totalMemoryBytes,
        budget_bytes: r.budgetBytes,
        weights_bytes: r.weightsBytes,
        activation_peak_bytes: r.activationPeakBytes,
        non_torch_bytes: r.nonTorchBytes,
        cuda_graph_bytes: r.cudaGraphBytes,
        kv_bytes_per_token: r.kvBytesPerToken,
        gmu: r.gmu,
        tp: r.tp,
        max_model_len: r.maxModelLen,
        max_num_batched_tokens: r.maxNumBatchedTokens,
        block_size: r.blockSize,
        bound: r.bound,
      };
      if (a.json) return jsonOut(out);
      return table(["vLLM budget (per GPU)", "GiB"], [
        ["total runtime memory", formatGiB(r.totalMemoryBytes)],
        [`× gpu_memory_utilization ${r.gmu}`, formatGiB(r.budgetBytes)],
        ["− weights", formatGiB(r.weightsBytes)],
        [
          `− activation peak (${formatCount(r.maxNumBatchedTokens)} tokens)`,
          formatGiB(r.activationPeakBytes),
        ],
        ["− non-torch", formatGiB(r.nonTorchBytes)],
        ["= KV cache", formatGiB(r.kvCacheBytes)],
        ...(r.shortfallBytes > 0 ? [["short by (does not fit)", formatGiB(r.shortfallBytes)]] : []),
        ["# GPU blocks", formatCount(r.numBlocks)],
        ["KV tokens", formatCount(r.kvCacheTokens)],
        [`max concurrency @ ${formatCount(r.maxModelLen)}`, `${r.maxConcurrency.toFixed(2)}x`],
      ]);
    }
    case "memory-growth": {
      const r = memoryGrowth(a.input.model, a.input.gpu);
      // A context limit of +Infinity is an answer: every layer is windowed, the cache stops
      // growing (Mistral-7B-v0.1).
      return a.json ? jsonOut(toSnake(r), false, "unbounded") : renderMemoryGrowth(r);
    }
  }
}

/** Run the CLI on `argv`; never exits the process. Usage errors return code 2. */
export function runSim(argv: readonly string[]): SimOutput {
  try {
    return { code: 0, stdout: run(argv) + "\n", stderr: "" };
  } catch (e) {
    if (e instanceof InfeasibleError) {
      return { code: e.code, stdout: e.stdout + "\n", stderr: `error: ${e.message}\n` };
    }
    if (e instanceof CliError) return { code: e.code, stdout: "", stderr: `error: ${e.message}\n` };
    if (e instanceof NonFiniteResultError) return { code: 1, stdout: "", stderr: `${e.message}\n` };
    return { code: 1, stdout: "", stderr: `error: ${(e as Error).stack ?? e}\n` };
  }
}

if (import.meta.main) {
  const r = runSim(Deno.args);
  if (r.stdout) await Deno.stdout.write(new TextEncoder().encode(r.stdout));
  if (r.stderr) await Deno.stderr.write(new TextEncoder().encode(r.stderr));
  Deno.exit(r.code);
}
