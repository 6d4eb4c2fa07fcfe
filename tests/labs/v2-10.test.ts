/**
 * Lab v2-10 headless: every context × prediction option × model × cluster, plus slider extremes,
 * renders without errors or NaN; the option marked correct is the one the calculator's answer
 * falls in; the OOM and SLO banners show exactly when the physics says so.
 */
import assert from "node:assert/strict";
import { runLab } from "../../runtime/mod.ts";
import { assertClean, has } from "./_clean.ts";
import {
  CHUNKED_PREFILL_ABOVE,
  CHUNKED_PREFILL_TOKENS,
  kvWall,
  lookupTransformer,
  servingConfig,
} from "../../core/mod.ts";
import {
  act1Actual,
  act1Options,
  act2Correct,
  act2Options,
  CLUSTERS,
  MODELS,
  optionFor,
  SCENARIO,
  SLO_TTFT_S,
} from "../../labs/v2-10/scenario.ts";

Deno.test("v2-10: before the lock only the scenario shows; the instruments wait on it", async () => {
  const h = await runLab("v2-10");
  assertClean(h, "initial");
  assert.deepEqual(h.state("act1Chart"), { status: "waiting", on: "unlocked1", reason: "stopped" });
  assert.equal(h.html("act1Chart"), "", "cells below the gate show nothing");
  assert.match(h.html("unlocked1"), /Select your prediction to continue/);

  assert.equal(h.state("act2Results").status, "waiting");
  assert.equal(h.html("unlocked2"), "", "the Act II gate stays quiet until Act I is locked");
  h.dispose();
});

Deno.test("v2-10 Act I: every context × option × model × cluster is clean and graded by the calculator", async () => {
  const h = await runLab("v2-10");
  let checked = 0;
  for (const context of ["latency", "throughput"] as const) {
    const options = act1Options(context);
    const actual = act1Actual(context).maxUsers;
    const correct = optionFor(options, actual).value;
    // The correct option's range holds the calculator's answer, and it is the GQA-exact model.
    assert.ok(options.some((o) => o.predicted === actual && o.value === correct), context);
    for (const option of options) {
      for (const model of MODELS) {
        for (const cluster of CLUSTERS) {
          await h.update({ context, act1: option.value, model, cluster });
          const where = `${context}/${option.value}/${model}/${cluster}`;
          assertClean(h, where);
          const hud = h.html("hud");
          assert.match(hud, option.value === correct ? /CORRECT/ : /WRONG/, where);
          assert.match(
            h.html("act1Overlay"),
            option.value === correct ? /Correct\./ : new RegExp(`The answer is ${correct}`),
            where,
          );
          const [gpu, n] = cluster.split(":");
          const wall = kvWall({ model, gpu, gpus: Number(n), seqLen: h.value<number>("seqLen") });
          assert.equal(h.value<{ maxUsers: number }>("wall").maxUsers, wall.maxUsers, where);
          assert.equal(has(h, "act1Verdict", "oom-act1"), wall.maxUsers < 1, `OOM banner ${where}`);
          checked++;
        }
      }
    }
  }
  assert.equal(checked, 2 * 4 * MODELS.length * CLUSTERS.length);
  h.dispose();
});

Deno.test("v2-10 Act I: slider extremes, FP8 cache, and the seed's corrections on screen", async () => {
  const h = await runLab("v2-10");
  await h.update({ act1: "A" });
  for (const seqLen of [512, 131072]) {
    for (const kvPrecision of ["bf16", "fp8"]) {
      for (const model of MODELS) {
        await h.update({ seqLen, kvPrecision, model, cluster: "h100-sxm:1" });
        assertClean(h, `${seqLen}/${kvPrecision}/${model}`);
      }
    }
  }
  // GQA: Llama-3.1-70B's cache is 320 KiB per token, not the seed's 2.5 MiB (64 heads).
  await h.update({
    model: "llama-3.1-70b",
    cluster: "h100-sxm:8",
    seqLen: 4096,
    kvPrecision: "bf16",
  });
  assert.equal(h.value<{ kvBytesPerToken: number }>("wall").kvBytesPerToken, 327_680);
  assert.match(h.html("derivation"), /327,680/);
  assert.match(h.html("act1Math"), /64 KV heads/);
  assert.match(h.html("act1Math"), /989\.4 TFLOP\/s/);
  // FP8 halves the cache and so roughly doubles the users.
  const bf16 = h.value<{ maxUsers: number }>("wall").maxUsers;
  await h.update({ kvPrecision: "fp8" });
  assert.ok(h.value<{ maxUsers: number }>("wall").maxUsers >= 2 * bf16 - 1);
  h.dispose();
});

Deno.test("v2-10 Act I: the step in the users curve past 32K is located and explained from core", async () => {
  const h = await runLab("v2-10");
  await h.update({ act1: "A", model: "llama-3.1-70b", cluster: "h100-sxm:8", kvPrecision: "bf16" });
  const sweep = h.value<Array<{ tokens: number; users: number }>>("sweep");
  const i = sweep.findIndex((r, k) => k > 0 && r.users > sweep[k - 1].users);
  assert.ok(i > 0, "with vLLM's V0 defaults the curve rises once");
  assert.ok(
    sweep[i - 1].tokens <= CHUNKED_PREFILL_ABOVE && sweep[i].tokens > CHUNKED_PREFILL_ABOVE,
  );
  const [before, after] = [sweep[i - 1], sweep[i]].map((r) =>
    kvWall({ ...SCENARIO, seqLen: r.tokens })
  );
  assert.equal(after.profileTokens, CHUNKED_PREFILL_TOKENS);
  assert.equal(before.profileTokens, sweep[i - 1].tokens);
  assert.ok(after.activationBytes < before.activationBytes / 10);
  const caption = h.html("act1Chart");
  const n = (x: number) => x.toLocaleString("en-US");
  assert.match(
    caption,
    new RegExp(`steps up between ${n(sweep[i - 1].tokens)} and ${n(sweep[i].tokens)}`),
  );
  assert.match(caption, new RegExp(`${sweep[i - 1].users} → ${sweep[i].users} users`));
  // The live derivation says what the pass reserves at the slider's context, on both sides.
  await h.update({ seqLen: 4096 });
  assert.match(h.html("derivation"), /pass runs 4,096 tokens .* grows with it/s);
  await h.update({ seqLen: 65536 });
  assert.match(h.html("derivation"), /pass runs 2,048 tokens .* chunked prefill/s);
  // A sweep without a step (1 GPU: the weights do not fit, 0 users throughout) has no such note.
  await h.update({ cluster: "h100-sxm:1" });
  assert.doesNotMatch(h.html("act1Chart"), /steps up/);
  h.dispose();
});

Deno.test("v2-10 Act I options: every value is computed from core, not typed", () => {
  const spec = lookupTransformer(SCENARIO.model);
  for (const context of ["latency", "throughput"] as const) {
    const seqLen = SCENARIO.tokens[context];
    const values = act1Options(context).map((o) => o.predicted);
    const real = kvWall({ ...SCENARIO, seqLen });
    const expected = [
      kvWall({ ...SCENARIO, seqLen, model: { ...spec, kvHeads: spec.heads } }).maxUsers,
      kvWall({ ...SCENARIO, seqLen, accounting: "seed" }).maxUsers,
      real.maxUsers,
      Math.floor(real.availableBytes / (real.kvPerUserBytes / spec.layers)),
    ].sort((a, b) => a - b);
    assert.deepEqual(values, expected, context);
  }
  // Twice the context fits fewer than half the users: each needs twice the cache, and vLLM's
  // activation reserve grows with the longer max_model_len.
  const l = act1Actual("latency").maxUsers, t = act1Actual("throughput").maxUsers;
  assert.ok(t <= l / 2 && t > l / 3, `${l} vs ${t}`);
});

Deno.test("v2-10 Act II: the correct plan is computed; OOM and SLO banners follow the physics", async () => {
  const options = act2Options();
  const right = act2Correct(options);
  assert.ok(right, "some plan meets both targets");
  assert.equal(options.filter((o) => o.meetsBoth).length >= 1, true);

  const h = await runLab("v2-10");
  await h.update({ act1: "C" });
  for (const o of options) {
    await h.update({ act2: o.value });
    assertClean(h, `act2 ${o.value}`);
    assert.match(
      h.html("act2Feedback"),
      o.value === right.value ? /Correct/ : new RegExp(`meets both is ${right.value}`),
    );
  }
  const cases = [
    { latMode: "continuous", latBatch: 4, latSeq: 512, arrivals: 4 },
    { latMode: "continuous", latBatch: 16, latSeq: 512, arrivals: 4 },
    { latMode: "static", latBatch: 64, latSeq: 4096, arrivals: 16 },
    { latMode: "speculative", latBatch: 64, latSeq: 256, arrivals: 1 },
    { latMode: "continuous", latBatch: 1, latSeq: 4096, arrivals: 1 },
  ];
  for (const c of cases) {
    await h.update(c);
    const r = servingConfig({
      ...SCENARIO,
      mode: c.latMode as "static",
      maxBatch: c.latBatch,
      maxSeqLen: c.latSeq,
      arrivalRatePerS: c.arrivals,
    });
    assertClean(h, JSON.stringify(c));
    assert.equal(
      has(h, "act2Alerts", "slo-lat"),
      r.ttftP99S > SLO_TTFT_S,
      `SLO ${JSON.stringify(c)}`,
    );
    // Each configuration's cards are coloured against its own target only.
    const results = h.html("act2Results");
    const kindOf = (id: string) =>
      new RegExp(`data-kind="(\\w+)" data-testid="${id}"`).exec(results)?.[1];
    assert.equal(kindOf("lat-ttft"), r.ttftP99S > SLO_TTFT_S ? "danger" : kindOf("lat-ttft"));
    assert.notEqual(kindOf("lat-ttft"), "neutral");
    assert.equal(kindOf("lat-tput"), "neutral", "A has no throughput target");
    assert.equal(kindOf("tput-ttft"), "neutral", "the backlog has no TTFT target");
    assert.match(results, /no TTFT target for the backlog|queue grows without bound/);
    assert.equal(has(h, "act2Alerts", "oom-lat"), r.oom, `OOM ${JSON.stringify(c)}`);
  }
  // Throughput config: push into OOM and back out (a reversible failure state).
  for (const [tputBatch, tputSeq, oom] of [[256, 16384, true], [64, 4096, false]] as const) {
    await h.update({ tputBatch, tputSeq, tputMode: "continuous" });
    assert.equal(has(h, "act2Alerts", "oom-tput"), oom);
    assert.equal(h.value<{ oom: boolean }>("tput").oom, oom);
  }
  await h.update({ tputSeq: 2048 });
  assert.ok(has(h, "act2Alerts", "tput-low"), "truncated documents miss the target");
  h.dispose();
});
