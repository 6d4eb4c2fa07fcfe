/**
 * A deterministic discrete-event simulation of one continuous-batching LLM server (Orca / vLLM
 * iteration-level scheduling), driven by the core's calibrated step times.
 *
 * Workload: Poisson arrivals at `qps` (seeded {@link Rng}); every request has `prompt` tokens
 * and an output length drawn from the gamma family with mean `output` and CV `outputCv`
 * (0: fixed, 1: exponential), rounded to ≥ 1 token; a `prefixHitRate` share of each prompt is
 * already in the prefix cache and is not recomputed.
 *
 * Scheduler, one iteration at a time, FCFS:
 * - admission: a waiting request is admitted while running < `maxBatch` and its final KV
 *   (prompt + output, rounded up to 16-token blocks) fits in the free KV cache (`kvTokens`,
 *   default vLLM's budget from core/capacity.ts). Reserving the final length means no preemption
 *   (vLLM admits on the prompt and preempts when blocks run out; we do not model preemption).
 * - whole-prompt mode (vLLM V0 default): if requests can be admitted, the iteration is a
 *   prefill of up to `maxBatchedTokens` prompt tokens and running sequences wait (the
 *   "prefills steal steps" of core/online.ts); otherwise it is a decode step of every running
 *   sequence at their mean context (`decodeStepTime`).
 * - chunked mode (Sarathi-Serve, vLLM V1): every iteration carries one token per decoding
 *   sequence plus up to `maxBatchedTokens − decodes` prompt tokens, FCFS ({@link mixedStepTime}).
 * - output: a token computed in one iteration reaches the user when the next iteration ends
 *   (asynchronous output processing, as core/online.ts assumes), or at once if the server idles.
 *
 * Reported: TTFT (arrival → first token), end-to-end latency (arrival → last token), TPOT
 * (per-request mean inter-token time), queueing delay (arrival → admission), after discarding
 * the first `warmup` share of requests; histograms; `saturated` when the backlog at the last
 * arrival exceeds max(maxBatch, 1 % of requests), i.e. the queue was still growing.
 *
 * @module
 */
import { vllmCapacity } from "../capacity.ts";
import { decodeStepTime, newStep, type Prepared } from "../engine.ts";
import { KeyHeap } from "./heap.ts";
import { Rng } from "./random.ts";
import { type Histogram, histogram, type LatencySummary, summarize } from "./stats.ts";
import { chunkKeys, mixedStepTime, type PrefillWork } from "./step.ts";

/** The request does not fit in the KV cache at all. */
export class KvCapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KvCapacityError";
  }
}

/** Options of {@link simulateServer}. */
export interface ServerSimOptions {
  /** Poisson arrival rate, requests/s. */
  qps: number;
  /** Prompt tokens per request. */
  prompt: number;
  /** Mean output tokens per request. */
  output: number;
  /** CV of output length (default 0: every request has `output` tokens). */
  outputCv?: number;
  /** Requests to simulate (default 100,000). */
  requests?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Scheduler's max running sequences (default 256, vLLM's max_num_seqs). */
  maxBatch?: number;
  /** KV-cache capacity in tokens (default: vLLM's budget at the model's max context). */
  kvTokens?: number;
  /** Chunked prefill (default false: whole prompts, prefill-first). */
  chunkedPrefill?: boolean;
  /** Token budget per iteration (default vLLM's max_num_batched_tokens for the model). */
  maxBatchedTokens?: number;
  /** Share of prompt tokens served from the prefix cache, 0–1 (default 0). */
  prefixHitRate?: number;
  /** Share of the first requests left out of the statistics (default 0.05). */
  warmup?: number;
  /** Histogram bins (default 40) and upper edges (default 1.1 × the P99.9), seconds. */
  bins?: number;
  e2eHistMaxS?: number;
  ttftHistMaxS?: number;
}

/** Result of {@link simulateServer}. Times in seconds. */
export interface ServerSimResult {
  requests: number;
  /** Requests in the statistics (after warmup). */
  measured: number;
  ttft: LatencySummary;
  e2e: LatencySummary;
  tpot: LatencySummary;
  queue: LatencySummary;
  ttftHistogram: Histogram;
  e2eHistogram: Histogram;
  /** Time-averaged decoding sequences per iteration. */
  meanBatch: number;
  /** Fraction of simulated time the GPU was running an iteration. */
  busyFraction: number;
  /** Output tokens / simulated time. */
  throughputTokensPerS: number;
  iterations: number;
  prefillIterations: number;
  /** Requests waiting (not admitted) when the last one arrived. */
  backlogAtLastArrival: number;
  saturated: boolean;
  kvTokens: number;
  maxBatch: number;
  maxBatchedTokens: number;
  simulatedS: number;
}

const BLOCK = 16;

function blocks(tokens: number): number {
  return Math.ceil(tokens / BLOCK) * BLOCK;
}

/** Simulate one server (model in the module doc) on a prepared model × GPU × TP. */
export function simulateServer(p: Prepared, o: ServerSimOptions): ServerSimResult {
  const n = o.requests ?? 100_000;
  const rng = new Rng(o.seed ?? 1);
  const maxBatch = o.maxBatch ?? 256;
  const chunked = o.chunkedPrefill ?? false;
  const cap = o.kvTokens === undefined || o.maxBatchedTokens === undefined
    ? vllmCapacity({
      model: p.model,
      gpu: p.gpu,
      tp: p.tp,
      precision: p.precision,
      kvPrecision: p.kvPrecision,
    })
    : undefined;
  const kvTokens = o.kvTokens ?? cap!.kvCacheTokens;
  const budget = o.maxBatchedTokens ??
    (chunked ? 2048 : Math.max(cap!.maxNumBatchedTokens, o.prompt));
  const prompt = o.prompt;
  const hit = o.prefixHitRate ?? 0;
  const cached = Math.min(prompt - 1, Math.round(prompt * hit));
  const fresh = prompt - cached;
  const maxOut = Math.floor(kvTokens / BLOCK) * BLOCK - prompt;
  if (maxOut < 1) {
    throw new KvCapacityError(
      `a ${prompt}-token prompt needs ${blocks(prompt + 1)} KV tokens but the cache holds ` +
        `${kvTokens}: use a shorter prompt, more GPUs (tp) or a GPU with more memory`,
    );
  }

  // Workload.
  const arrival = new Float64Array(n), out = new Int32Array(n);
  let clock = 0;
  const cv = o.outputCv ?? 0;
  for (let i = 0; i < n; i++) {
    clock += rng.exponential(o.qps);
    arrival[i] = clock;
    const len = Math.max(1, Math.round(rng.gammaMeanCv(o.output, cv)));
    out[i] = len < maxOut ? len : maxOut;
  }

  const admitted = new Float64Array(n), first = new Float64Array(n), done = new Float64Array(n);
  const progress = new Int32Array(n);
  const heap = new KeyHeap();
  const step = newStep();
  const work: PrefillWork = { tokens: 0, keys: 0, prefixTokens: 0, finishing: 0 };
  // Tokens computed in the previous iteration, delivered when the current one ends.
  let pendFirst: number[] = [], pendDone: number[] = [];
  let nowFirst: number[] = [], nowDone: number[] = [];

  let t = 0, busy = 0, batchTime = 0, iterations = 0, prefillIterations = 0;
  let next = 0, head = 0, pfHead = 0, delivered = 0;
  let decoding = 0, running = 0, sumCtx = 0, kvUsed = 0, d = 0;
  let backlog = -1;

  const deliver = (at: number) => {
    for (const id of pendFirst) first[id] = at;
    for (const id of pendDone) done[id] = at;
    delivered += pendDone.length;
    pendFirst.length = 0;
    pendDone.length = 0;
  };
  const canAdmit = (): boolean =>
    head < next && running < maxBatch && kvUsed + blocks(prompt + out[head]) <= kvTokens;
  const admit = () => {
    kvUsed += blocks(prompt + out[head]);
    admitted[head] = t;
    running++;
    head++;
  };
  // A request whose first token was computed this iteration starts decoding.
  const startDecoding = (id: number) => {
    nowFirst.push(id);
    if (out[id] === 1) {
      nowDone.push(id);
      running--;
      kvUsed -= blocks(prompt + 1);
    } else {
      heap.push(d + out[id] - 1, id);
      decoding++;
      sumCtx += prompt + 1;
    }
  };

  while (delivered < n) {
    while (next < n && arrival[next] <= t) next++;
    if (next === n && backlog < 0) backlog = next - head;
    if (running === 0 && head === next) {
      deliver(t);
      if (next < n) t = arrival[next];
      continue;
    }
    const decodesNow = decoding;
    let dt: number;
    if (!chunked) {
      let tokens = 0;
      const start = head;
      while (canAdmit() && (head === start || tokens + fresh <= budget)) {
        admit();
        tokens += fresh;
      }
      const k = head - start;
      if (k > 0) {
        work.tokens = k * fresh;
        work.keys = k * chunkKeys(fresh, cached);
        work.prefixTokens = k * cached;
        work.finishing = k;
        dt = mixedStepTime(p, 0, 0, work, step).time;
        prefillIterations++;
        t += dt;
        for (let id = start; id < head; id++) startDecoding(id);
        pfHead = head;
      } else {
        decodeRun();
        continue;
      }
    } else if (pfHead === head && !canAdmit()) {
      decodeRun();
      continue;
    } else {
      let room = budget > decodesNow ? budget - decodesNow : 0;
      work.tokens = 0;
      work.keys = 0;
      work.prefixTokens = 0;
      work.finishing = 0;
      const firstDone = pfHead;
      let id = pfHead;
      while (room > 0 && (id < head || canAdmit())) {
        if (id === head) admit();
        const k = Math.min(room, fresh - progress[id]);
        const offset = cached + progress[id];
        work.keys += chunkKeys(k, offset);
        work.prefixTokens += offset;
        work.tokens += k;
        progress[id] += k;
        room -= k;
        if (progress[id] === fresh) {
          work.finishing++;
          id++;
        }
      }
      const prefillDone = firstDone + work.finishing;
      if (work.tokens > 0) prefillIterations++;
      dt = mixedStepTime(p, decodesNow, decodesNow ? sumCtx / decodesNow : 0, work, step).time;
      t += dt;
      batchTime += decodesNow * dt;
      if (decodesNow > 0) {
        d++;
        sumCtx += decodesNow;
        while (heap.peekKey() <= d) finish(heap.pop());
      }
      for (let j = firstDone; j < prefillDone; j++) startDecoding(j);
      pfHead = prefillDone;
    }
    busy += dt;
    iterations++;
    deliver(t);
    [pendFirst, nowFirst] = [nowFirst, pendFirst];
    [pendDone, nowDone] = [nowDone, pendDone];
  }

  /**
   * Decode-only iterations until the next event (a sequence finishes, or an arrival that could be
   * admitted). Between events the batch is fixed and every context grows by one per step, so
   * step time is affine in the step index while the same resource binds at both ends (memory
   * and compute are each affine in the context): the run's time is summed in closed form.
   */
  function decodeRun() {
    const b = decoding, ctx0 = sumCtx / b;
    let j = heap.peekKey() - d;
    const first = decodeStepTime(p, b, ctx0, step);
    const a = first.time, computeBound = first.compute > first.memory;
    let slope = 0;
    if (j > 1) {
      const last = decodeStepTime(p, b, ctx0 + j - 1, step);
      if ((last.compute > last.memory) === computeBound) slope = (last.time - a) / (j - 1);
      else j = 1;
    }
    // An arrival that could be admitted ends the run after the step it lands in.
    if (
      j > 1 && head === next && next < n && running < maxBatch &&
      kvUsed + blocks(prompt + out[next]) <= kvTokens
    ) {
      const gap = arrival[next] - t;
      // Smallest j with j·a + slope·j(j−1)/2 ≥ gap.
      // Root of (slope/2)·j² + (a − slope/2)·j − gap = 0 in the cancellation-free form.
      const lin = a - slope / 2;
      let ja = Math.ceil(2 * gap / (lin + Math.sqrt(lin * lin + 2 * slope * gap)));
      if (ja < 1) ja = 1;
      while (ja > 1 && (ja - 1) * a + slope * (ja - 1) * (ja - 2) / 2 >= gap) ja--;
      while (ja * a + slope * ja * (ja - 1) / 2 < gap) ja++;
      if (ja < j) j = ja;
    }
    const span = j * a + slope * j * (j - 1) / 2;
    deliver(t + a);
    t += span;
    busy += span;
    batchTime += b * span;
    iterations += j;
    d += j;
    sumCtx += b * j;
    while (heap.peekKey() <= d) finish(heap.pop());
    [pendFirst, nowFirst] = [nowFirst, pendFirst];
    [pendDone, nowDone] = [nowDone, pendDone];
  }

  function finish(id: number) {
    nowDone.push(id);
    decoding--;
    running--;
    sumCtx -= prompt + out[id];
    kvUsed -= blocks(prompt + out[id]);
  }

  const skip = Math.min(n - 1, Math.floor(n * (o.warmup ?? 0.05)));
  const m = n - skip;
  const ttft = new Float64Array(m), e2e = new Float64Array(m), tpot = new Float64Array(m);
  const queue = new Float64Array(m);
  let tokensOut = 0;
  for (let i = 0; i < m; i++) {
    const id = i + skip;
    ttft[i] = first[id] - arrival[id];
    e2e[i] = done[id] - arrival[id];
    tpot[i] = out[id] > 1 ? (done[id] - first[id]) / (out[id] - 1) : 0;
    queue[i] = admitted[id] - arrival[id];
  }
  for (let i = 0; i < n; i++) tokensOut += out[i];
  const ttftS = summarize(ttft), e2eS = summarize(e2e);
  const bins = o.bins ?? 40;
  return {
    requests: n,
    measured: m,
    ttft: ttftS,
    e2e: e2eS,
    tpot: summarize(tpot),
    queue: summarize(queue),
    ttftHistogram: histogram(ttft, bins, o.ttftHistMaxS ?? 1.1 * ttftS.p999S),
    e2eHistogram: histogram(e2e, bins, o.e2eHistMaxS ?? 1.1 * e2eS.p999S),
    meanBatch: batchTime / busy,
    busyFraction: busy / t,
    throughputTokensPerS: tokensOut / t,
    iterations,
    prefillIterations,
    backlogAtLastArrival: Math.max(0, backlog),
    saturated: backlog > Math.max(maxBatch, 0.01 * n),
    kvTokens,
    maxBatch,
    maxBatchedTokens: budget,
    simulatedS: t,
  };
}
