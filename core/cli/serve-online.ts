/**
 * `deno task sim serve … --qps R | --concurrency C`: the online serving model (core/online.ts)
 * from the shell, and {@link InfeasibleError}, the exit-2 path `serve` shares for results that
 * cannot run (out of memory, a queue that grows without bound).
 *
 * @module
 */
import { formatCount, formatMs, formatNumber, formatPercent, formatTokensPerS } from "../format.ts";
import { type OnlineResult, onlineServe } from "../online.ts";
import type { ServeArgs } from "../schema/inputs.ts";
import { CliError } from "./args.ts";
import { jsonOut } from "./json.ts";

/** A result that cannot run: its report goes to stdout, the reason to stderr, exit code 2. */
export class InfeasibleError extends CliError {
  readonly stdout: string;
  constructor(reason: string, stdout: string) {
    super(reason, 2);
    this.name = "InfeasibleError";
    this.stdout = stdout;
  }
}

/** What `--concurrency` / `--qps` model, for `sim serve --help`. */
export const ONLINE_HELP =
  `  --qps R          open loop: requests arrive as a Poisson stream at R per second (TensorRT-LLM's
                   "online serving" benchmark); mean TTFT and ITL at that load
  --concurrency C  closed loop: C users, each sending its next request the moment its last one
                   finishes (genai-perf / NIM --concurrency); the request rate is whatever the
                   server sustains. --concurrency 1 is a single user back to back: the unloaded
                   latency (TTFT = prefill + one step, ITL = one decode step at batch 1)
  Either one replaces --batch; the KV cache (vLLM's budget) caps the requests in flight.
  → ttft_ms, itl_ms, e2e_ms, qps, concurrency, throughput_tokens_per_s, prefill_share, slots,
    queue_wait_ms, stable, bound`;

function table(rows: string[][]): string {
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  const line = (r: string[]) => `${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}`;
  return [line(["quantity", "value"]), `${"-".repeat(w[0])}  ${"-".repeat(w[1])}`]
    .concat(rows.map(line)).join("\n");
}

function report(r: OnlineResult, json: boolean): string {
  if (json) {
    return jsonOut({
      loop: r.loop,
      ttft_ms: r.ttftS * 1e3,
      itl_ms: r.itlS * 1e3,
      e2e_ms: r.e2eS * 1e3,
      qps: r.qps,
      concurrency: r.concurrency,
      throughput_tokens_per_s: r.throughputTokensPerS,
      prefill_ms: r.prefillS * 1e3,
      decode_step_ms: r.decodeStepS * 1e3,
      prefill_share: r.prefillShare,
      slots: r.slots,
      kv_slots: r.kvSlots,
      queue_wait_ms: r.queueWaitS * 1e3,
      stable: r.stable,
      bound: r.bound,
      reason: r.reason,
    }, !r.stable);
  }
  const loop = r.loop === "open" ? "open loop (Poisson arrivals)" : "closed loop (users)";
  return table([
    ["model", loop],
    ["TTFT (mean)", formatMs(r.ttftS)],
    ["ITL (mean)", `${formatMs(r.itlS)} (${r.bound}-bound)`],
    ["end-to-end (mean)", formatMs(r.e2eS)],
    ["requests/s", formatNumber(r.qps, 2)],
    ["in flight (Little's law)", formatNumber(r.concurrency, 1)],
    ["throughput", formatTokensPerS(r.throughputTokensPerS)],
    ["prefill share of GPU time", formatPercent(r.prefillShare)],
    ["slots (max_num_seqs, KV cache)", `${formatCount(r.slots)} (KV ${formatCount(r.kvSlots)})`],
    ...(r.queueWaitS > 0 ? [["wait for a slot", formatMs(r.queueWaitS)]] : []),
  ]);
}

/** Run the online model for `serve --qps` / `--concurrency`; unstable loads exit 2. */
export function serveOnline(input: ServeArgs, json: boolean): string {
  const r = onlineServe({
    model: input.model,
    gpu: input.gpu,
    tp: input.tp,
    qps: input.qps,
    concurrency: input.concurrency,
    prompt: input.prompt,
    output: input.output,
    precision: input.precision,
    kvPrecision: input.kvPrecision,
    gmu: input.gmu,
  });
  const out = report(r, json);
  if (!r.stable) {
    const what = r.bound === "capacity" ? "infeasible (OOM)" : "unstable";
    throw new InfeasibleError(`${what}: ${r.reason}`, out);
  }
  return out;
}
