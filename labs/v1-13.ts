/**
 * The Tail Latency Trap (lab v1-13, Volume I Lab 13: Model Serving).
 *
 * Act I (Calibration): a continuous-batching replica of Llama-3.1-8B at 80 % of the most it can
 * sustain. Predict its P99 end-to-end latency from four mental models (P99 ≈ the mean, linear in
 * load, one M/M/1 queue, the batching server); then move the load and watch the simulated
 * latency histogram spread, Little's law `L = λW` hold, and the batching tax (every decode step
 * slower as the batch grows) drive the P99 up the hockey stick as ρ → 1.
 *
 * Act II (Design Challenge): how many replicas serve the context's traffic at its P99 target,
 * and what do they cost? Move traffic and replicas: the queue turns unstable (ρ ≥ 1, the
 * failure state) or the target is missed, and both are undone by adding replicas.
 *
 * Physics: core/fleet (replicaLatency, simulateServer, replicasFor, cost), via labs/v1-13/.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
  failureBanner,
  labHeader,
  labSummary,
  mathPeek,
  md,
  metricRow,
  reflection,
  type ReflectionConfig,
  reflectionFeedback,
  slider,
  stakeholder,
  vstack,
} from "../cells/mod.ts";
import {
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRatio,
  lookupGpu,
  lookupTransformer,
  plural,
} from "../core/mod.ts";
import {
  act1Answer,
  act1Options,
  act1Qps,
  act2Answer,
  act2Options,
  type Context,
  costOf,
  maxStableQps,
  replicaAt,
  SCENARIOS,
  simulate,
} from "./v1-13/scenario.ts";
import { hockeyChart, hockeyRows, latencyHistogram } from "./v1-13/charts.ts";

/** Act I's load slider: percent of the replica's largest stable rate (below it: Act I is stable). */
const LOAD_STEPS = [5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 93, 95, 97, 98];
/** Act II's traffic slider: multiples of the context's traffic. */
const TRAFFIC_STEPS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3];
/** Act II's replica slider range. */
const MAX_REPLICAS = 24;

/** A ratio of two latencies ("2.3×"; "—" when not finite, via core's formatter). */
const ratioOf = (a: number, b: number) => formatRatio(a / b, 1);
const usd = (x: number) => Number.isFinite(x) ? `$${formatNumber(x, 2)}` : "—";
const replicas = (n: number) => plural(n, "replica");

const REFLECT1: ReflectionConfig<string> = {
  question: "Why does the P99 climb faster than the mean as load rises on this server?",
  options: {
    "Requests start waiting in line for the GPU as soon as load rises": "queue",
    "The batch grows, every decode step slows, and the longest replies pay that for the most steps":
      "tax",
    "The model computes more slowly when it is busy": "slow",
    "The P99 is a sampling artefact of the simulation": "noise",
  },
  correct: "tax",
  feedback: {
    queue:
      "Not until the slots are full: with hundreds of sequences in one batch, a new request is admitted at once. The wait in line only appears near ρ = 1.",
    tax:
      "Yes. Continuous batching admits everyone, so each step carries more sequences and reads more KV cache: the inter-token time rises with load, and a reply of many tokens multiplies it.",
    slow:
      "The GPU runs at the same clock; it is the work per step (more sequences, more KV cache read) that grows.",
    noise:
      "The simulation is seeded and measures ≈ 19,000 requests; the P99 moves with load, not with chance.",
  },
  testid: "reflect1",
};

const REFLECT2: ReflectionConfig<string> = {
  question: "Traffic doubles overnight. What happens to the replicas the P99 target needs?",
  options: {
    "About double: the load per replica that meets the target has not changed": "double",
    "The same: the replicas had headroom": "same",
    "Four times as many: latency grows with the square of the load": "square",
    "Fewer than double: bigger batches are more efficient": "fewer",
  },
  correct: "double",
  feedback: {
    double:
      "Yes. Random routing sends each replica Poisson traffic at λ ÷ r, so the plan is r = ⌈λ ÷ λ*⌉ with λ* fixed by the target: double λ, double r (up to the rounding).",
    same:
      "Headroom below the target is small by design: the plan runs each replica near the highest load that still meets the P99.",
    square:
      "The count scales with the traffic; it is the P99 of one replica that bends sharply with its own load.",
    fewer:
      "Bigger batches raise throughput but slow every step: past λ* a replica's P99 misses the target, so it cannot take more.",
  },
  testid: "reflect2",
};

export default lab({
  id: "v1-13",
  title: "The Tail Latency Trap",
  subtitle: "Average latency looks fine. The P99 is what users feel.",
  minutes: 40,
  volume: "I",
  topics: ["serving", "queueing", "tail latency"],
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "Volume I · Lab 13 · Model Serving",
      title: "The Tail Latency Trap",
      subtitle:
        "Little's law, utilisation and the P99: why a serving replica that looks healthy on average misses its tail target, and how many replicas it takes to meet it.",
      minutes: 40,
      badges: [
        { text: "L = λW", kind: "info" },
        { text: "New instrument: P99 latency histogram", kind: "warn" },
        { text: "Act I 15 min · Act II 25 min", kind: "neutral" },
      ],
    }))
  .show("reading", () =>
    callout(
      "info",
      md`Read first: the Model Serving chapter's sections on Little's law, tail latency and
continuous batching. Every number here comes from syslab's core: the replica model (prefill and
decode step times of the registry's Llama-3.1-8B on the registry's GPU, the batch limit and KV
cache of vLLM) and a seeded discrete-event simulation of the same server.`,
      { title: "Before you start" },
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Deployment context",
      options: {
        [`Chat API · ${lookupGpu(SCENARIOS.chat.gpuId).name}`]: "chat",
        [`Document batch · ${lookupGpu(SCENARIOS.batch.gpuId).name}`]: "batch",
      },
    }))
  .cell("scenario", ({ context }) => SCENARIOS[context])
  .cell("names", ({ scenario }) => ({
    gpu: lookupGpu(scenario.gpuId).name,
    model: lookupTransformer(scenario.modelId).name,
  }))
  .cell("lmax", ({ context }) => maxStableQps(context))
  // ---- Act I: calibration -------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context, scenario, names, lmax }) =>
      vstack([
        md`## Act I · Calibration: what does load do to the tail?`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `One ${names.gpu} serves ${names.model}: ${
            formatCount(scenario.prompt)
          }-token prompts, replies of about ${
            formatCount(scenario.output)
          } tokens. A request alone takes ${
            formatDuration(replicaAt(context, lmax * 1e-6).e2e.meanS, 1)
          }. Load test says the replica keeps up with at most ${
            formatNumber(lmax, 1)
          } requests/s. We plan to run it at ${formatPercent(scenario.act1LoadShare, 0)} of that, ${
            formatNumber(act1Qps(context), 1)
          } requests/s. The dashboard shows the average. What will the P99 be?`,
        }),
      ]),
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: `At ${
          formatPercent(scenario.act1LoadShare, 0)
        } of its largest stable load, what is the replica's P99 end-to-end latency?`,
        options: act1Options(context),
        answer: act1Answer(context),
        format: (s) => formatDuration(s, 1),
        explain:
          "The seeded simulation of the continuous-batching server measures the P99 of ≈ 19,000 requests at this load.",
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("load", ({ scenario, lmax }) =>
        slider({
          label: "Offered load (% of the largest stable rate)",
          steps: LOAD_STEPS,
          value: scenario.act1LoadShare * 100,
          format: (v) => `${v} % · ${formatNumber(v / 100 * lmax, 1)} req/s`,
          testid: "load",
        }))
      .cell("qps1", ({ load, lmax }) => load / 100 * lmax)
      .cell("model1", ({ context, qps1 }) => replicaAt(context, qps1))
      .cell("sim1", ({ context, qps1 }) => simulate(context, qps1))
      .cell("alone", ({ context, lmax }) => replicaAt(context, lmax * 1e-6))
      .cell("curve", ({ context }) => hockeyRows(context))
      .show("act1Metrics", ({ $load, qps1, model1, sim1, alone }) =>
        vstack([
          $load,
          metricRow([
            {
              label: "Utilisation",
              value: formatPercent(model1.utilization, 0),
              caption: "ρ = λ·S ÷ slots",
              testid: "rho1",
            },
            {
              label: "Requests in the system",
              value: formatNumber(qps1 * sim1.e2e.meanS, 1),
              caption: `L = λW = ${formatNumber(qps1, 1)}/s × ${formatDuration(sim1.e2e.meanS, 2)}`,
            },
            {
              label: "Inter-token time",
              value: formatDuration(model1.itlS, 1),
              caption: `alone ${formatDuration(alone.itlS, 1)}`,
            },
            {
              label: "P99",
              value: formatDuration(sim1.e2e.p99S, 1),
              caption: `${ratioOf(sim1.e2e.p99S, sim1.e2e.meanS)} the mean of ${
                formatDuration(sim1.e2e.meanS, 1)
              }`,
              kind: "warn",
              testid: "p99-1",
            },
          ]),
        ]))
      .show("act1Histogram", ({ context, sim1 }) =>
        latencyHistogram(context, sim1, { testid: "act1-histogram" }))
      .show("act1Hockey", ({ context, curve, qps1, sim1 }) =>
        hockeyChart(context, curve, { qps: qps1, p99: sim1.e2e.p99S }, "act1-hockey"))
      .show("act1Tax", ({ model1, alone, sim1 }) =>
        callout(
          "info",
          md`**The batching tax.** At this load the GPU carries ${
            formatNumber(sim1.meanBatch, 0)
          } sequences per decode step on average (Little's law: ${
            formatNumber(model1.concurrency, 0)
          } in flight), so every step takes ${formatDuration(model1.decodeStepS, 1)} instead of ${
            formatDuration(alone.decodeStepS, 1)
          } alone, and prefills take ${
            formatPercent(model1.prefillShare, 0)
          } of the GPU's time. Each token costs ${
            ratioOf(model1.itlS, alone.itlS)
          } what it costs alone; a request waits for a free slot with probability ${
            formatPercent(model1.wait.probWait, 1)
          }.`,
          { title: "Where the P99 comes from", testid: "act1-tax" },
        ))
      .reveal(({ context }) =>
        md`The simulated P99 at ${formatPercent(SCENARIOS[context].act1LoadShare, 0)} load is ${
          formatDuration(act1Answer(context), 1)
        }; core's analytical replica model gives ${
          formatDuration(replicaAt(context, act1Qps(context)).e2e.p99S, 1)
        }.`
      )
      .input("reflect1", () =>
        reflection(REFLECT1))
      .show("act1Reflection", ({ $reflect1, reflect1 }) =>
        vstack([$reflect1, reflectionFeedback(REFLECT1, reflect1)]))
      .show("act1Math", ({ qps1, sim1, model1 }) =>
        mathPeek(md`**Little's law** holds for any stable system: requests in it = arrival rate ×
time in it,
$$L = \lambda W = ${formatNumber(qps1, 1)}\,\text{/s} \times ${
          formatNumber(sim1.e2e.meanS, 2)
        }\,\text{s} = ${formatNumber(qps1 * sim1.e2e.meanS, 1)}.$$
The replica has $c = ${formatCount(model1.slots)}$ slots (batch limit and KV cache); each request
holds one for $S$, so the utilisation is $\rho = \lambda S / c = ${
          formatPercent(model1.utilization, 0)
        }$. The batching tax is that $S$ itself grows with load:
$$S = \text{TTFT}_0 + (E[o]-1)\,\frac{t_\text{step}(n)}{1-\lambda t_\text{pf}}, \qquad n = \lambda S .$$
**One M/M/1 queue** would give $P_{99} = \ln(100)\,S_0/(1-\rho)$: it makes every request wait
for the one before, which a batching server does not do until its $c$ slots are full. Then the
wait for a slot (Erlang C with Allen–Cunneen's variability factor) explodes as $\rho \to 1$.`))
      .record(({ act1, sim1, load }) => ({
        hud: [["P99 at load", formatDuration(sim1.e2e.p99S, 1)]],
        ledger: {
          act1_p99_s: Math.round(act1.answer! * 100) / 100,
          act1_load_pct: load,
        },
      })))
  // ---- Act II: design ---------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ scenario, names }) =>
      vstack([
        md`## Act II · Design: replicas for a P99 target`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `Launch traffic is ${
            formatNumber(scenario.act2Qps, 0)
          } requests/s, spread at random over identical ${names.gpu} replicas. The P99 end-to-end target is ${
            formatDuration(scenario.sloP99S, 0)
          }. How many replicas do we buy?`,
        }),
      ]),
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question: `How many replicas serve ${
          formatNumber(scenario.act2Qps, 0)
        } requests/s with a P99 within ${formatDuration(scenario.sloP99S, 0)}?`,
        options: act2Options(context),
        answer: act2Answer(context),
        format: replicas,
        explain:
          "The replica model finds the largest load per replica whose P99 meets the target, and the traffic divided by that load, rounded up, is the count.",
        key: context,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("traffic", () =>
        slider({
          label: "Traffic (× launch traffic)",
          steps: TRAFFIC_STEPS,
          value: 1,
          format: (v) => `${formatNumber(v, 2)}×`,
          testid: "traffic",
        }))
      .input("replicaCount", () =>
        slider({
          label: "Replicas",
          min: 1,
          max: MAX_REPLICAS,
          step: 1,
          value: 1,
          testid: "replicas",
        }))
      .cell("qpsTotal", ({ scenario, traffic }) => scenario.act2Qps * traffic)
      .cell("perReplica", ({ qpsTotal, replicaCount }) => qpsTotal / replicaCount)
      .cell("model2", ({ context, perReplica }) => replicaAt(context, perReplica))
      .cell("sim2", ({ context, perReplica }) => simulate(context, perReplica))
      .cell(
        "cost2",
        ({ context, replicaCount, qpsTotal }) => costOf(context, replicaCount, qpsTotal),
      )
      .show("act2Controls", ({ $traffic, $replicaCount }) => vstack([$traffic, $replicaCount]))
      .show("act2Metrics", ({ perReplica, model2, sim2, cost2, scenario }) =>
        metricRow([
          {
            label: "Load per replica",
            value: `${formatNumber(perReplica, 1)}/s`,
            caption: "λ, requests/s",
          },
          {
            label: "Utilisation",
            value: model2.stable ? formatPercent(model2.utilization, 0) : "≥ 100%",
            caption: "ρ = λ·S ÷ slots",
            kind: model2.stable ? "neutral" : "danger",
            testid: "rho2",
          },
          {
            label: "P99 (simulated)",
            value: model2.stable ? formatDuration(sim2.e2e.p99S, 1) : "unbounded",
            caption: `target ${formatDuration(scenario.sloP99S, 0)}`,
            kind: model2.stable && sim2.e2e.p99S <= scenario.sloP99S ? "success" : "danger",
            testid: "p99-2",
          },
          {
            label: "P99 (core's model)",
            value: formatDuration(model2.e2e.p99S, 1),
          },
          {
            label: "Cost",
            value: `${usd(cost2.usdPerHour)}/h`,
            caption: `${usd(cost2.usdPerMillionTokens)} per 1M tokens at ${
              usd(cost2.usdPerGpuHour)
            }/GPU-h`,
            testid: "cost",
          },
        ]))
      .show(
        "act2Histogram",
        ({ context, sim2, scenario }) =>
          latencyHistogram(context, sim2, { target: scenario.sloP99S, testid: "act2-histogram" }),
      )
      .show("act2Verdict", ({ model2, sim2, scenario, perReplica, qpsTotal, lmax }) => {
        if (!model2.stable) {
          const need = Math.floor(qpsTotal / lmax) + 1;
          return failureBanner({
            title: `Queue unstable: ρ ≥ 1 at ${formatNumber(perReplica, 1)} requests/s per replica`,
            body: md`Each replica keeps up with at most ${
              formatNumber(lmax, 1)
            } requests/s; this one is offered ${
              formatPercent(perReplica / lmax, 0)
            } of that. The line grows without bound, so every percentile does too (the simulation's backlog when the last request arrived: ${
              formatCount(sim2.backlogAtLastArrival)
            } waiting). Add replicas: at least ${replicas(need)} to be stable at all.`,
          });
        }
        if (sim2.e2e.p99S > scenario.sloP99S) {
          return failureBanner({
            kind: "warn",
            title: `P99 target missed: ${formatDuration(sim2.e2e.p99S, 1)} > ${
              formatDuration(scenario.sloP99S, 0)
            }`,
            body: md`Stable (ρ = ${formatPercent(model2.utilization, 0)}), but the tail is ${
              ratioOf(sim2.e2e.p99S, scenario.sloP99S)
            } the target: the batch is too large for the slowest replies. Add replicas to lower the load on each.`,
            testid: "slo-banner",
          });
        }
        return callout(
          "success",
          md`Stable (ρ = ${formatPercent(model2.utilization, 0)}) and within the target: P99 ${
            formatDuration(sim2.e2e.p99S, 1)
          } ≤ ${formatDuration(scenario.sloP99S, 0)}.`,
          { title: "Target met", testid: "slo-ok" },
        );
      })
      .reveal(({ context }) => {
        const s = SCENARIOS[context];
        const c = costOf(context, act2Answer(context), s.act2Qps);
        return md`At launch traffic that is ${replicas(act2Answer(context))}, ${
          usd(c.usdPerHour)
        }/h. Try one replica fewer to see the target slip.`;
      })
      .input("reflect2", () => reflection(REFLECT2))
      .show(
        "act2Reflection",
        ({ $reflect2, reflect2 }) => vstack([$reflect2, reflectionFeedback(REFLECT2, reflect2)]),
      )
      .show("act2Math", ({ context, scenario }) =>
        mathPeek(md`Random routing splits Poisson traffic $\lambda$ into $r$ Poisson streams of
$\lambda / r$. With $P_{99}(\lambda)$ rising in the load per replica, the plan is
$$\lambda^* = \max\{\lambda : P_{99}(\lambda) \le ${
          formatNumber(scenario.sloP99S, 0)
        }\,\text{s}\} , \qquad r = \left\lceil \lambda_\text{total} / \lambda^* \right\rceil .$$
Stability alone needs only $\lambda / r < \lambda_\text{max} = ${
          formatNumber(maxStableQps(context), 1)
        }$ per replica, but near $\lambda_\text{max}$ the tail is far above any target. Cost is
linear in $r$: $\$/\text{h} = r \cdot g \cdot \$/\text{GPU-h}$ and
$\$/\text{1M tokens} = \$/\text{h} \,/\, (\lambda \, E[o] \cdot 3600) \cdot 10^6$.`))
      .record(({ replicaCount, traffic, sim2, model2, cost2, scenario }) => {
        const unstable = !model2.stable;
        const met = !unstable && sim2.e2e.p99S <= scenario.sloP99S;
        return {
          hud: [
            ["Replicas", formatCount(replicaCount)],
            ["P99", unstable ? "unbounded" : formatDuration(sim2.e2e.p99S, 1)],
            ["Target", unstable ? "FAILED" : met ? "MET" : "VIOLATED"],
            ["Cost", `${usd(cost2.usdPerHour)}/h`],
          ],
          ledger: {
            act2_result: unstable ? null : Math.round(sim2.e2e.p99S * 100) / 100,
            act2_decision: `${replicas(replicaCount)} at ${formatNumber(traffic, 2)}× traffic`,
            constraint_hit: !met,
            usd_per_hour: Math.round(cost2.usdPerHour * 100) / 100,
          },
        };
      }))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v1-13",
      context,
      acts,
      hud: [["Lab", "V1-13 · Tail latency"], ["Context", context === "chat" ? "CHAT" : "BATCH"]],
    }));
