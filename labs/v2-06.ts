/**
 * Collective Communication (lab v2-06, Volume II Lab 6).
 *
 * Act I (Calibration): data-parallel training all-reduces Llama-3.1-8B's fp32 gradients every
 * step. Predict how long one all-reduce of all of them takes — inside one 8-GPU B200 node, or
 * across four nodes over EFA — from four mental models (bytes ÷ link rate, the naive exchange,
 * recursive doubling or the textbook ring through the NICs, and the α–β lines fitted to the
 * measured rows). Then sweep the message size: ring, tree, hierarchical and in-switch (NVLS)
 * trade latency α against bandwidth, and the fastest one changes at computed crossovers.
 *
 * Act II (Design Challenge): PyTorch DDP all-reduces in 25 MB buckets while backward runs. How
 * much communication is left exposed? Choose bucket size, algorithm, wire precision (bf16
 * compression), overlap and the per-GPU batch so the exposed part stays within 10 % of the
 * step's compute; the over-budget banner clears when it does.
 *
 * Physics: core/training (collectiveTime, collectiveCrossovers, bucketedAllReduce, trainStep),
 * composed in labs/v2-06/scenario.ts.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
  failureBanner,
  hstack,
  labHeader,
  labSummary,
  mathPeek,
  md,
  mdText,
  metricRow,
  radio,
  reflection,
  type ReflectionConfig,
  reflectionFeedback,
  slider,
  stakeholder,
  switchInput,
  vstack,
} from "../cells/mod.ts";
import {
  formatBandwidth,
  formatBytes,
  formatCount,
  formatDuration,
  formatGB,
  formatNumber,
  formatPercent,
  formatRatio,
  plural,
  type Precision,
} from "../core/mod.ts";
import { busBwFactor } from "../core/training/mod.ts";
import {
  act1Answer,
  act1Options,
  act1Result,
  ACT2_BANDS,
  act2Options,
  act2Result,
  ALGORITHM_NAMES,
  type AlgorithmChoice,
  algorithmsAt,
  allReduce,
  allReduceWith,
  bucketCurve,
  CLUSTER,
  type Context,
  curveRows,
  DEFAULT_BUCKET_BYTES,
  DEFAULT_SETUP,
  envelopeCrossovers,
  EXPOSED_BUDGET_SHARE,
  FIT,
  gradBytes,
  measuredRows,
  MODEL,
  NIC,
  NVLINK,
  PARAMS,
  perNode,
  RECOMPUTE,
  ringAnatomy,
  SCENARIOS,
  SEQ,
  stepCompute,
} from "./v2-06/scenario.ts";
import { algorithmChart, bucketChart, timelineChart } from "./v2-06/charts.ts";

/** Act II's bucket sizes (MB); the last holds every gradient: one bucket. */
const BUCKET_STEPS_MB = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 40000];
const ONE_BUCKET_MB = BUCKET_STEPS_MB[BUCKET_STEPS_MB.length - 1];
/** Act II's per-GPU batch (sequences per step). */
const MICROBATCH_STEPS = [1, 2, 4];

const ms = (s: number) => formatDuration(s, 1);
const bucketLabel = (mb: number) =>
  mb >= ONE_BUCKET_MB ? "one bucket (all gradients)" : formatBytes(mb * 1e6, { digits: 0 });
const gpusLabel = (n: number) =>
  n > CLUSTER.gpusPerNode
    ? `${formatCount(n)} GPUs (${plural(n / CLUSTER.gpusPerNode, "node")})`
    : plural(n, "GPU");

const REFLECT1: ReflectionConfig<string> = {
  question:
    "Same fabric, same gradients, twice the GPUs in one ring. What happens to the ring all-reduce's bandwidth time?",
  options: {
    "It doubles: twice as many GPUs to send to": "double",
    "It stays about the same: each GPU moves 2(n − 1)/n · S, which tends to 2S": "same",
    "It halves: twice the links share the work": "half",
    "It grows as log₂ n": "log",
  },
  correct: "same",
  feedback: {
    double:
      "Each GPU sends only to its ring neighbour, n − 1 chunks of S/n each way. The bytes per GPU hardly change with n; it is the latency term, 2(n − 1) steps, that grows.",
    same:
      "Yes. The bandwidth term 2(n − 1)/n · S/B goes from 1.75 S/B at 8 GPUs to 1.94 S/B at 32: the ring is bandwidth-optimal. Its latency, 2(n − 1)·α_step, grows linearly, which is why trees win for small messages at scale.",
    half:
      "More links, but also more data to combine: every GPU still has to receive all of the other n − 1 contributions, reduced, ≈ S in and S out.",
    log: "log₂ n is the tree's latency (its depth), not the ring's bandwidth time.",
  },
  testid: "reflect1",
};

const REFLECT2: ReflectionConfig<string> = {
  question: "Why do small buckets hurt far more across nodes than inside one node?",
  options: {
    "Each bucket pays the collective's fixed latency α, and α across nodes is ≈ 10× NVLink's":
      "alpha",
    "Small messages cannot use the full NIC bandwidth, but NVLink does not care": "bw",
    "The GPUs compute more slowly while small messages are in flight": "contention",
    "Small buckets arrive out of order and must be re-sent": "order",
  },
  correct: "alpha",
  feedback: {
    alpha:
      "Yes. k buckets cost k·α + (bytes)/B. The bandwidth part is the same however you cut the gradients; the latency part is paid per bucket, and the inter-node ring's fitted α is hundreds of µs.",
    bw:
      "Low bus bandwidth at small sizes is the latency showing through: t = α + F·S/B, so S/t is small when α dominates. It is the same effect, seen as bandwidth.",
    contention:
      "Compute/communication contention exists (shared SMs and HBM) but is not what this model shows, and it does not depend on the bucket size this way.",
    order: "NCCL's transports are reliable and ordered; nothing is re-sent.",
  },
  testid: "reflect2",
};

export default lab({
  id: "v2-06",
  title: "Collective Communication",
  subtitle: "All-reduce is two passes of every byte, plus a latency per call.",
  minutes: 40,
  volume: "II",
  topics: ["training", "collectives", "all-reduce", "overlap"],
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "Volume II · Lab 06 · Collective Communication",
      title: "Collective Communication",
      subtitle:
        "The α–β model of all-reduce, all-gather and reduce-scatter; where ring, tree, hierarchical and in-switch algorithms cross over; and how bucketing and overlap hide gradient communication behind the backward pass.",
      minutes: 40,
      badges: [
        { text: "T = α + F·S/B", kind: "info" },
        { text: "Fitted to measured NCCL rows", kind: "warn" },
        { text: "Act I 15 min · Act II 25 min", kind: "neutral" },
      ],
    }))
  .show("reading", () =>
    callout(
      "info",
      md`Read first: the Collective Communication chapter (AllReduce = ReduceScatter + AllGather,
the α–β cost model, ring/tree/hierarchical algorithms, overlap and compression). Every number
here comes from syslab's core: α–β lines fitted to measured all-reduce bus bandwidths of
${CLUSTER.name} nodes (stas00/ml-engineering, rows J5/J6), the bucket timeline of PyTorch DDP,
and the training-step model for the backward pass. Bus bandwidth follows nccl-tests:
busbw = (S/t) · 2(n − 1)/n for an all-reduce.`,
      { title: "Before you start" },
    ))
  .input("context", () =>
    contextToggle<Context>({
      label: "Deployment context",
      options: {
        [`One node · 8 × B200 over ${NVLINK.name}`]: "node",
        [`Four nodes · 32 × B200 over ${NIC.name}`]: "cluster",
      },
    }))
  .cell("scenario", ({ context }) => SCENARIOS[context])
  // ---- Act I: calibration -------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context, scenario }) =>
      vstack([
        md`## Act I · Calibration: how long is one all-reduce of the gradients?`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `We train ${MODEL.name} (${
            formatNumber(PARAMS / 1e9, 2)
          } B parameters) with plain data parallelism on ${
            gpusLabel(scenario.gpus)
          }. Every step ends with an all-reduce of the fp32 gradients: ${
            formatGB(gradBytes(), 2)
          } per GPU. ${
            context === "node"
              ? `The GPUs share an NVSwitch; each has ${
                formatBandwidth(NVLINK.bytesPerS, 0)
              } of NVLink one way.`
              : `Inside a node the GPUs share an NVSwitch (${
                formatBandwidth(NVLINK.bytesPerS, 0)
              } NVLink each way); between nodes each GPU has its own ${
                formatBandwidth(NIC.bytesPerS, 0)
              } NIC.`
          } How long does that all-reduce take?`,
        }),
      ]),
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: `How long does one all-reduce of ${
          formatGB(gradBytes(), 2)
        } of gradients take on ${gpusLabel(scenario.gpus)}?`,
        options: act1Options(context),
        answer: act1Answer(context),
        format: ms,
        explain:
          "core's collectiveTime puts the all-reduce on the α–β line fitted to the measured rows of this system, with the fastest algorithm available (as NCCL's tuner does).",
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("gpus1", ({ scenario }) =>
        slider({
          label: "GPUs in the all-reduce",
          steps: scenario.gpuSteps,
          value: scenario.gpus,
          format: gpusLabel,
          testid: "gpus1",
        }))
      .cell("curve1", ({ context, gpus1 }) => curveRows(context, gpus1))
      .cell("cross1", ({ context, gpus1 }) => envelopeCrossovers(context, gpus1))
      .cell("measured1", ({ context, gpus1 }) => measuredRows(context, gpus1))
      .cell("grad1", ({ context, gpus1 }) => allReduce(context, gradBytes(), gpus1))
      .show("act1Metrics", ({ $gpus1, gpus1, grad1, cross1, context }) =>
        vstack([
          $gpus1,
          metricRow([
            { label: "Gradients S", value: formatGB(gradBytes(), 2), caption: "fp32, per GPU" },
            {
              label: "All-reduce time",
              value: ms(grad1.timeS),
              caption: `${ALGORITHM_NAMES[grad1.algorithm]} is fastest at this size`,
              kind: "warn",
              testid: "time1",
            },
            {
              label: "Bus bandwidth",
              value: formatBandwidth(grad1.busBw, 0),
              caption: `algbw S/t × 2(n − 1)/n = × ${
                formatNumber(busBwFactor("all-reduce", gpus1), 3)
              }`,
            },
            {
              label: "Crossover",
              value: cross1.length
                ? formatBytes(cross1[0].mib * 2 ** 20, { unit: "auto-iec", digits: 1 })
                : "none",
              caption: cross1.length
                ? cross1.map((c) => c.text).join(", ")
                : "one algorithm wins everywhere",
              testid: "cross1",
            },
            {
              label: "Nodes",
              value: formatCount(grad1.nodes),
              caption: context === "node"
                ? "one NVSwitch domain"
                : `${perNode(gpus1)} GPUs per node`,
            },
          ]),
        ]))
      .show("act1Chart", ({ context, curve1, cross1, measured1, grad1, gpus1 }) =>
        algorithmChart(
          curve1,
          cross1,
          measured1,
          {
            mib: gradBytes() / 2 ** 20,
            ms: grad1.timeS * 1e3,
            label: `gradients, ${ms(grad1.timeS)}`,
            bytes: gradBytes(),
          },
          {
            gpus: gpus1,
            algorithms: algorithmsAt(context, gpus1).map((a) => ALGORITHM_NAMES[a]),
            testid: "act1-chart",
          },
        ))
      .show("act1Anatomy", ({ gpus1 }) => {
        const a = ringAnatomy(gradBytes(), gpus1);
        return vstack([
          md`**Anatomy of the ring all-reduce** of the gradients on ${gpusLabel(gpus1)}: a
reduce-scatter leaves each GPU the sum of one shard of S/n, an all-gather hands every shard to
every GPU. ZeRO and FSDP run the two halves separately.`,
          metricRow([
            {
              label: "Reduce-scatter",
              value: ms(a.reduceScatterS),
              caption: `sends (n − 1)/n · S = ${formatGB(a.perPhaseBytes, 2)}`,
            },
            {
              label: "All-gather",
              value: ms(a.allGatherS),
              caption: `sends (n − 1)/n · S = ${formatGB(a.perPhaseBytes, 2)}`,
            },
            {
              label: "Sum",
              value: ms(a.reduceScatterS + a.allGatherS),
              caption: `ring all-reduce: ${ms(a.allReduceS)}`,
              testid: "anatomy-sum",
            },
          ]),
        ]);
      })
      .show("act1Algorithms", ({ context, gpus1 }) => {
        const S = gradBytes();
        const lines = algorithmsAt(context, gpus1).map((a) => {
          const r = allReduceWith(S, gpus1, a);
          const small = allReduceWith(1 << 20, gpus1, a);
          return `- **${ALGORITHM_NAMES[a]}**: ${ms(r.timeS)} for the gradients (bus bandwidth ${
            formatBandwidth(r.busBw, 0)
          }); ${formatDuration(small.timeS, 1)} for a 1 MiB message.`;
        });
        return callout(
          "info",
          mdText(
            [
              ...lines,
              "",
              context === "node"
                ? `NCCL runs no tree inside one NVLink node (ring with the LL protocol up to 1 MiB, NVLS from 2 MiB: row J2); NVLS needs at least ${
                  FIT.nvls?.minRanks ?? "—"
                } GPUs on this system (J5).`
                : "Hierarchical here is the textbook version: reduce-scatter in the node, all-reduce across nodes, all-gather in the node, one after another. NCCL's rings pipeline the same inter-node bytes with the NVLink hops, so the flat ring is faster at large sizes. The tree is NCCL's: a chain inside each node and a double binary tree across nodes, spread over every NIC like the rings. Its latency grows with log₂ of the node count, and each node's NICs carry 2S against the ring's 2(k − 1)/k · S, so the tree wins up to mid sizes and the ring at large ones.",
              "Grey diamonds are measured rows: the fit is within 15 % from 128 MiB up and weakest between 1 and 16 MiB.",
            ].join("\n"),
          ),
          { title: "At this GPU count", testid: "act1-algorithms" },
        );
      })
      .reveal(({ context }) => {
        const r = act1Result(context);
        const n = SCENARIOS[context].gpus;
        const m16 = measuredRows(context, n).find((x) => x.mib === 16384);
        const model16 = allReduce(context, 16 * 2 ** 30, n).timeS;
        return md`The all-reduce runs ${ALGORITHM_NAMES[r.algorithm]} at a bus bandwidth of ${
          formatBandwidth(r.busBw, 0)
        }.${
          m16
            ? ` Check against the measured 16 GiB row, ${m16.row}: ${ms(m16.ms / 1e3)} measured, ${
              ms(model16)
            } from the fit (${formatRatio(model16 / (m16.ms / 1e3), 2)}).`
            : ""
        }`;
      })
      .input("reflect1", () => reflection(REFLECT1))
      .show(
        "act1Reflection",
        ({ $reflect1, reflect1 }) => vstack([$reflect1, reflectionFeedback(REFLECT1, reflect1)]),
      )
      .show("act1Math", ({ context, gpus1, grad1, cross1 }) => {
        const F = busBwFactor("all-reduce", gpus1);
        const S = gradBytes();
        return mathPeek(md`An all-reduce of $S$ bytes over $n$ GPUs is a reduce-scatter then an
all-gather. On the α–β model each algorithm is a line in the message size:
$$T(S) = \alpha + F\,\frac{S}{B}, \qquad F = \frac{2(n-1)}{n} = ${formatNumber(F, 3)} ,$$
with $B$ the bus bandwidth fitted to the measured rows (nccl-tests' convention) and $\alpha$ the
latency: $2(n-1)$ steps for a ring; across $k$ nodes of $g$ GPUs, $2(g-1) + 2\lceil\log_2 k\rceil$ hops for a tree. In-switch reduction
(NVLS) sends each byte once, $T = \alpha + S/B_\text{alg}$. Across $k$ nodes NCCL's rings cross each
node boundary on every NIC at once, so each GPU's NIC carries $2(k-1)/n \cdot S$ at rate $r$:
$$T_\text{ring} = \alpha_\text{net} + \max\!\Big(F\frac{S}{B_\text{NVLink}},\ \frac{2(k-1)}{n}\frac{S}{r}\Big).$$
Here: $S = \text{${formatGB(S, 2)}}$, $n = ${gpus1}$, $T = \text{${ms(grad1.timeS)}}$ (${
          ALGORITHM_NAMES[grad1.algorithm]
        }). Two lines $\alpha_1 + c_1 S$ and $\alpha_2 + c_2 S$ cross at
$$S^* = \frac{\alpha_2 - \alpha_1}{c_1 - c_2}${
          cross1.length
            ? ` \\approx \\text{${
              formatBytes(cross1[0].mib * 2 ** 20, { unit: "auto-iec", digits: 1 })
            }}`
            : ""
        } ;$$
below it the smaller $\alpha$ wins, above it the smaller slope.${
          context === "node"
            ? ""
            : " The textbook hierarchical form adds the two intra-node phases to the same inter-node bytes instead of pipelining them."
        }`);
      })
      .record(({ act1, gpus1, grad1 }) => ({
        hud: [["All-reduce", ms(grad1.timeS)], ["GPUs", formatCount(gpus1)]],
        ledger: {
          act1_allreduce_ms: Math.round(act1.answer! * 1e4) / 10,
          act1_gpus_explored: gpus1,
        },
      })))
  // ---- Act II: design ---------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ context, scenario }) => {
      const c = stepCompute(context, 1);
      return vstack([
        md`## Act II · Design: hide the all-reduce behind backward`,
        stakeholder({
          persona: scenario.persona,
          role: scenario.role,
          quote: `One sequence of ${
            formatCount(SEQ)
          } tokens per GPU per step: forward and backward take ${
            ms(c.computeS)
          }, of which backward is ${ms(c.backwardS)}. PyTorch DDP cuts the gradients into ${
            formatBytes(DEFAULT_BUCKET_BYTES, { digits: 0 })
          } buckets and all-reduces each one as soon as backward has produced it. Our budget: exposed communication at most ${
            formatPercent(EXPOSED_BUDGET_SHARE, 0)
          } of compute. With the defaults, how much is left exposed?`,
        }),
      ]);
    },
    prediction: ({ context, scenario }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question: `With ${
          formatBytes(DEFAULT_BUCKET_BYTES, { digits: 0 })
        } buckets overlapped with backward on ${
          gpusLabel(scenario.gpus)
        }, how much of one whole all-reduce of the gradients is still exposed after backward?`,
        options: act2Options(context),
        explain:
          "core's bucketedAllReduce lays every bucket on the communication stream as backward produces it (each one an all-reduce on the fitted α–β line) and measures how long the stream runs past the end of backward.",
        key: context,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("bucketMb", () =>
        slider({
          label: "Bucket size",
          steps: BUCKET_STEPS_MB,
          value: DEFAULT_BUCKET_BYTES / 1e6,
          format: bucketLabel,
          testid: "bucket",
        }))
      .input("algorithm", ({ context }) =>
        radio<AlgorithmChoice>({
          label: "Algorithm",
          options: {
            "Fastest (NCCL's tuner)": "fastest",
            ...Object.fromEntries(
              SCENARIOS[context].algorithms.map((a) => [ALGORITHM_NAMES[a], a]),
            ),
          },
          value: DEFAULT_SETUP.algorithm,
          inline: true,
          testid: "algorithm",
        }))
      .input("wire", () =>
        radio<Precision>({
          label: "Gradients on the wire",
          options: { "FP32 (4 bytes)": "fp32", "BF16 compression (2 bytes)": "bf16" },
          value: DEFAULT_SETUP.wire,
          inline: true,
          testid: "wire",
        }))
      .input(
        "overlap",
        () =>
          switchInput({ label: "Overlap buckets with backward", value: true, testid: "overlap" }),
      )
      .input("microBatch", () =>
        slider({
          label: "Sequences per GPU per step",
          steps: MICROBATCH_STEPS,
          value: DEFAULT_SETUP.microBatch,
          format: (v) => plural(v, "sequence"),
          testid: "micro-batch",
        }))
      .cell("setup2", ({ bucketMb, algorithm, wire, overlap, microBatch }) => ({
        bucketBytes: bucketMb * 1e6,
        algorithm,
        wire,
        overlap,
        microBatch,
      }))
      .cell("res2", ({ context, setup2 }) => act2Result(context, setup2))
      .cell(
        "curve2",
        ({ context, setup2 }) => bucketCurve(context, setup2, BUCKET_STEPS_MB.map((b) => b * 1e6)),
      )
      .show(
        "act2Controls",
        ({ $bucketMb, $algorithm, $wire, $overlap, $microBatch }) =>
          vstack([
            hstack([$bucketMb, $microBatch]),
            $algorithm,
            hstack([$wire, $overlap]),
          ]),
      )
      .show("act2Metrics", ({ res2 }) =>
        metricRow([
          {
            label: "Buckets",
            value: formatCount(res2.comm.buckets),
            caption: `${ALGORITHM_NAMES[res2.comm.algorithm]}, latency paid ${
              ms(res2.comm.latencyS)
            }`,
          },
          {
            label: "Stream busy",
            value: ms(res2.comm.commS),
            caption: `one whole all-reduce: ${ms(res2.wholeS)}`,
          },
          {
            label: "Exposed",
            value: ms(res2.comm.exposedS),
            caption: `budget ${ms(res2.budgetS)}`,
            kind: res2.over ? "danger" : "success",
            testid: "exposed",
          },
          {
            label: "Step",
            value: ms(res2.stepS),
            caption: `compute ${ms(res2.computeS)} + exposed + optimizer ${ms(res2.optimizerS)}`,
          },
          {
            label: "Scaling efficiency",
            value: formatPercent(res2.efficiency, 1),
            caption: "compute ÷ (compute + exposed)",
            testid: "efficiency",
          },
        ]))
      .show("act2Timeline", ({ res2 }) => timelineChart(res2, "act2-timeline"))
      .show("act2Curve", ({ curve2, res2, bucketMb }) =>
        bucketChart(
          curve2,
          { mb: bucketMb, exposedMs: res2.comm.exposedS * 1e3 },
          res2.budgetS * 1e3,
          "act2-curve",
        ))
      .show("act2Verdict", ({ res2, setup2 }) => {
        if (res2.over) {
          const latencyBound = res2.comm.latencyS > 0.5 * res2.comm.commS;
          const hint = !setup2.overlap
            ? "Turn overlap on: buckets can leave while backward still runs."
            : latencyBound
            ? `Most of the stream is latency (${ms(res2.comm.latencyS)} of ${
              ms(res2.comm.commS)
            }): use larger buckets.`
            : res2.comm.commS > res2.backwardS
            ? "The stream is busy longer than backward: send fewer bytes (BF16 compression), pick a faster algorithm, or give backward more work (more sequences per GPU)."
            : "The last bucket sticks out: use smaller buckets so less is left after backward.";
          return failureBanner({
            title: `Exposed communication over budget: ${ms(res2.comm.exposedS)} > ${
              ms(res2.budgetS)
            }`,
            body: md`The step waits ${ms(res2.comm.exposedS)} after backward, ${
              formatRatio(res2.comm.exposedS / res2.budgetS, 1)
            } the budget of ${
              formatPercent(EXPOSED_BUDGET_SHARE, 0)
            } of compute; scaling efficiency ${formatPercent(res2.efficiency, 1)}. ${hint}`,
          });
        }
        return callout(
          "success",
          md`Exposed communication ${ms(res2.comm.exposedS)} ≤ budget ${
            ms(res2.budgetS)
          }: the all-reduce hides behind backward (scaling efficiency ${
            formatPercent(res2.efficiency, 1)
          }).`,
          { title: "Within budget", testid: "budget-ok" },
        );
      })
      .reveal(({ context }) => {
        const r = act2Result(context, DEFAULT_SETUP);
        return md`With the defaults the stream runs ${formatCount(r.comm.buckets)} buckets for ${
          ms(r.comm.commS)
        } (latency alone ${ms(r.comm.latencyS)}), against one whole all-reduce of ${
          ms(r.wholeS)
        }; ${ms(r.comm.exposedS)} is left after backward, ${
          formatPercent(r.comm.exposedS / r.wholeS, 1)
        } of a whole all-reduce (bands at ${
          ACT2_BANDS.map((b) => formatPercent(b, 0)).join(", ")
        }).`;
      })
      .input("reflect2", () => reflection(REFLECT2))
      .show(
        "act2Reflection",
        ({ $reflect2, reflect2 }) => vstack([$reflect2, reflectionFeedback(REFLECT2, reflect2)]),
      )
      .show("act2Math", ({ res2, setup2 }) =>
        mathPeek(
          md`Backward produces the $G = \text{${
            formatGB(gradBytes(setup2.wire), 2)
          }}$ of gradients at a steady rate over $T = \text{${
            ms(res2.backwardS)
          }}$ (${RECOMPUTE} recomputation: backward is ⅔ of the step's FLOPs). Bucket $i$ of $b$ bytes is
ready at $r_i = T \cdot i b / G$ and waits for the one before it on the stream:
$$s_i = \max(r_i,\ e_{i-1}), \qquad e_i = s_i + \alpha + F\frac{b}{B}, \qquad \text{exposed} = \max(0,\ e_k - T).$$
With $k = \lceil G/b \rceil = ${formatCount(res2.comm.buckets)}$ buckets the stream is busy
$$k\,\alpha + F\,\frac{G}{B} \approx \text{${ms(res2.comm.latencyS)}} + \text{${
            ms(Math.max(0, res2.comm.commS - res2.comm.latencyS))
          }} ,$$
so small buckets pay latency and large ones start late (the last one, $\alpha + F\,b/B$, always
follows backward). BF16 compression halves $G$ and the bandwidth term, not $k\alpha$; it also
rounds every gradient to a 7-bit mantissa before the sum (a convergence risk to validate).
Contention between communication kernels and the compute they overlap is not modelled.`,
        ))
      .record(({ res2, setup2, bucketMb }) => ({
        hud: [
          ["Bucket", bucketLabel(bucketMb)],
          ["Exposed", ms(res2.comm.exposedS)],
          ["Budget", res2.over ? "VIOLATED" : "MET"],
          ["Efficiency", formatPercent(res2.efficiency, 1)],
        ],
        ledger: {
          act2_result: Math.round(res2.comm.exposedS * 1e4) / 10,
          act2_decision: `${bucketLabel(bucketMb)}, ${
            setup2.algorithm === "fastest" ? "fastest algorithm" : ALGORITHM_NAMES[setup2.algorithm]
          }, ${setup2.wire} on the wire, overlap ${setup2.overlap ? "on" : "off"}, ${
            plural(setup2.microBatch, "sequence")
          }/GPU`,
          constraint_hit: res2.over,
          scaling_efficiency: Math.round(res2.efficiency * 1000) / 1000,
        },
      })))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v2-06",
      context,
      acts,
      hud: [["Lab", "V2-06 · Collectives"], ["Context", context === "node" ? "NODE" : "CLUSTER"]],
    }));
