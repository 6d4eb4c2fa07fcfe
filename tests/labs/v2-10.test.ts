/**
 * Lab v2-10 headless: every context × prediction option × model × cluster, plus slider extremes,
 * renders without errors or NaN; the option graded correct is the one nearest the calculator's
 * answer; a commit is final; the OOM and SLO banners show exactly when the physics says so.
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
  act2Best,
  act2Plans,
  CLUSTERS,
  MODELS,
  SCENARIO,
  SLO_TTFT_S,
} from "../../labs/v2-10/scenario.ts";
import type { ChoiceGrade } from "../../cells/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";

/** The letter of the option the lab computes as correct, and every letter. */
function letters(h: { value<T>(n: string): T }, act: string) {
  const p = h.value<ActPrediction<ChoiceGrade>>(`${act}Prediction`);
  const all = ["A", "B", "C", "D"].map((l) => p.grade(l));
  return { right: all.find((g) => g.correct)!.value, all };
}

Deno.test("v2-10: before the lock only the scenario shows; the instruments wait on it", async () => {
  const h = await runLab("v2-10");
  assertClean(h, "initial");
  assert.deepEqual(h.state("act1Chart"), { status: "waiting", on: "act1", reason: "stopped" });
  assert.equal(h.html("act1Chart"), "", "cells behind the lock show nothing");
  assert.match(h.html("act1"), /Commit your prediction to continue/);
  assert.equal(h.state("act2Results").status, "waiting");
  assert.equal(h.html("act2Lock"), "", "Act II's lock waits until Act I is committed");
  // The HUD and the ledger say nothing an act computes before its commit.
  const summary = h.html("summary");
  const answer = act1Actual("latency");
  assert.doesNotMatch(summary, new RegExp(`\\b${answer.maxUsers}\\b`));
  assert.match(summary, /Act I.*OPEN/s);
  assert.doesNotMatch(summary, /max_users|KV\/user|Max users/);
  h.dispose();
});

Deno.test("v2-10: a commit is final; the context freezes with Act I; start over releases both", async () => {
  const h = await runLab("v2-10");
  const { right } = letters(h, "act1");
  const wrong = right === "A" ? "B" : "A";
  await h.update({ act1Lock: wrong });
  assert.throws(() => h.set("act1Lock", right), { name: "InputLockedError" });
  assert.throws(() => h.set("context", "throughput"), { name: "InputLockedError" });
  assert.match(h.html("summary"), /Act I.*WRONG/s);
  assert.match(h.html("act1Reveal"), new RegExp(`physics picks ${right}`));
  h.startOver();
  await h.update({ context: "throughput" });
  const t = letters(h, "act1");
  await h.update({ act1Lock: t.right });
  assert.match(h.html("summary"), /Act I.*CORRECT/s);
  h.dispose();
});

Deno.test("v2-10 Act I: every context × option × model × cluster is clean and graded by the calculator", async () => {
  const h = await runLab("v2-10");
  let checked = 0;
  for (const context of ["latency", "throughput"] as const) {
    const actual = act1Actual(context).maxUsers;
    h.startOver();
    await h.update({ context });
    const { right, all } = letters(h, "act1");
    // The correct option is the GQA-exact model: its number is the calculator's answer.
    assert.equal(all.find((g) => g.correct)!.picked.predicted, actual, context);
    for (const option of all) {
      h.startOver();
      await h.update({ context, act1Lock: option.value });
      for (const model of MODELS) {
        for (const cluster of CLUSTERS) {
          await h.update({ model, cluster });
          const where = `${context}/${option.value}/${model}/${cluster}`;
          assertClean(h, where);
          const hud = h.html("summary");
          assert.match(hud, option.value === right ? /CORRECT/ : /WRONG/, where);
          assert.match(
            h.html("act1Reveal"),
            option.value === right ? /Correct\./ : new RegExp(`physics picks ${right}`),
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
  await h.update({ act1Lock: "A" });
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

Deno.test("v2-10 Act I: one reserve convention — the profile pass is sized by vLLM's default max_model_len, so users only fall as the context grows", async () => {
  const h = await runLab("v2-10");
  await h.update({ act1Lock: "A" });
  await h.update({ model: "llama-3.1-70b", cluster: "h100-sxm:8", kvPrecision: "bf16" });
  const sweep = h.value<Array<{ tokens: number; users: number }>>("sweep");
  for (let k = 1; k < sweep.length; k++) assert.ok(sweep[k].users <= sweep[k - 1].users);
  assert.doesNotMatch(h.html("act1Chart"), /steps up/);
  const walls = [4096, 65536].map((seqLen) => kvWall({ ...SCENARIO, seqLen }));
  assert.equal(walls[0].availableBytes, walls[1].availableBytes);
  assert.equal(walls[0].profileTokens, CHUNKED_PREFILL_TOKENS);
  assert.ok(CHUNKED_PREFILL_ABOVE < walls[0].maxModelLen);
  // The live derivation names the setting and what the pass reserves, at any slider context.
  for (const seqLen of [4096, 65536]) {
    await h.update({ seqLen });
    assert.match(
      h.html("derivation"),
      /pass runs 2,048 tokens .*max_model_len.*131,072 tokens.*chunked prefill/s,
    );
  }
  h.dispose();
});

Deno.test("v2-10 Act I options: every value is computed from core, not typed", () => {
  const spec = lookupTransformer(SCENARIO.model);
  for (const context of ["latency", "throughput"] as const) {
    const seqLen = SCENARIO.tokens[context];
    const values = act1Options(context).map((o) => o.predicted!);
    const real = kvWall({ ...SCENARIO, seqLen });
    const expected = [
      kvWall({ ...SCENARIO, seqLen, model: { ...spec, kvHeads: spec.heads } }).maxUsers,
      kvWall({ ...SCENARIO, seqLen, accounting: "seed" }).maxUsers,
      real.maxUsers,
      Math.floor(real.availableBytes / (real.kvPerUserBytes / 2)),
    ];
    assert.deepEqual(values, expected, context);
    // Distractors are plausible beliefs: none is more than 10× from the calculator's answer.
    for (const v of values) assert.ok(v / real.maxUsers < 10 && real.maxUsers / v < 10, `${v}`);
  }
  // Twice the context fits fewer than half the users: each needs twice the cache, and vLLM's
  // activation reserve grows with the longer max_model_len.
  const l = act1Actual("latency").maxUsers, t = act1Actual("throughput").maxUsers;
  assert.ok(t <= l / 2 && t > l / 3, `${l} vs ${t}`);
});

Deno.test("v2-10 Act II: the correct plan is computed; OOM and SLO banners follow the physics", async () => {
  const plans = act2Plans();
  const best = act2Best(plans);
  assert.ok(best, "some plan meets both targets");

  const h = await runLab("v2-10");
  await h.update({ act1Lock: "C" });
  const { right, all } = letters(h, "act2");
  assert.equal(all.find((g) => g.correct)!.picked.text, best.text, "the best plan is correct");
  for (const o of all) {
    h.startOver();
    await h.update({ act1Lock: "C", act2Lock: o.value });
    assertClean(h, `act2 ${o.value}`);
    assert.match(
      h.html("act2Reveal"),
      o.value === right ? /Correct/ : new RegExp(`physics picks ${right}`),
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

Deno.test("v2-10: a context beyond the model's window is flagged; a split past 100% is not clamped", async () => {
  const h = await runLab("v2-10");
  await h.update({ act1Lock: "A" });
  await h.update({ model: "llama-2-7b", seqLen: 131072, cluster: "h100-sxm:8" });
  assert.ok(has(h, "act1Verdict", "model-limit-act1"), "Llama-2-7B is trained for 4,096 tokens");
  assert.match(h.html("act1Verdict"), /4,096/);
  await h.update({ model: "llama-3.1-70b", seqLen: 4096, cluster: "h100-sxm:1" });
  const w = kvWall({ model: "llama-3.1-70b", gpu: "h100-sxm", gpus: 1, seqLen: 4096 });
  assert.ok(w.weightsShare > 1);
  assert.match(
    h.html("act1Metrics"),
    new RegExp(`${Math.round(w.weightsShare * 100)}% weights`),
  );
  assert.match(h.html("act1Metrics"), /1 GPU</);
  h.dispose();
});

Deno.test("v2-10 Act II: an OOM config delivers nothing and says so; the chart shows asked, capacity, delivered", async () => {
  const h = await runLab("v2-10");
  await h.update({ act1Lock: "A" });
  await h.update({ act2Lock: "A" });
  await h.update({ tputMode: "continuous", tputBatch: 256, tputSeq: 16384 });
  const tput = h.value<{ oom: boolean; throughputTokensPerS: number }>("tput");
  assert.equal(tput.oom, true);
  assert.equal(tput.throughputTokensPerS, 0);
  const cards = h.html("act2Results");
  assert.match(cards, /data-kind="danger" data-testid="tput-tput"/);
  assert.match(cards, /0 tok\/s/);
  assert.match(h.html("act2Chart"), /does not fit in memory: it delivers nothing/);
  await h.update({ tputBatch: 64, tputSeq: 4096 });
  assert.match(h.html("act2Chart"), /can carry .* and delivers/);
  assertClean(h, "act2 chart");
  h.dispose();
});
