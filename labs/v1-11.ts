/**
 * Lab v1-11 · Hardware Roofline (Volume I, Lab 11).
 *
 * Act I: what fraction of peak does a small square GEMM reach? Its arithmetic intensity
 * 2N³ / (3N²·b) grows only linearly with N, so below the ridge point (peak ÷ bandwidth) the memory
 * bus, not the tensor cores, sets the speed.
 * Act II: a lower precision doubles the peak and halves the bytes; the student designs a GEMM that
 * reaches the utilisation target without outgrowing the device's memory.
 *
 * Every number comes from core/'s roofline solver; the scenario and the options are in
 * `v1-11/scenario.ts`, the chart in `v1-11/chart.ts`.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
  dropdown,
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
  reflectionFeedback,
  slider,
  stakeholder,
  vstack,
} from "../cells/mod.ts";
import {
  bytesPerElement,
  ETA_COMPUTE_MAX,
  formatBandwidth,
  formatBytes,
  formatCount,
  formatDuration,
  formatGiB,
  formatNumber,
  formatPercent,
  formatRatio,
  formatTflops,
  lookupGpu,
  type Precision,
} from "../core/mod.ts";
import {
  ACCELERATORS,
  ACT1_N,
  act1Actual,
  act1Options,
  ACT2_LOW,
  act2Actual,
  act2Options,
  type Context,
  crossingN,
  DEVICES,
  type GemmPoint,
  gemmPoint,
  MFU_TARGET,
  N_STEPS,
  PRECISION_OPTIONS,
  smallestPassingN,
} from "./v1-11/scenario.ts";
import { rooflineChart } from "./v1-11/chart.ts";

const GPU_OPTIONS = Object.fromEntries(ACCELERATORS.map((id) => [lookupGpu(id).name, id]));
const regimeOf = (p: GemmPoint) => p.bound === "compute" ? "compute-bound" : "memory-bound";

const REFLECT1 = {
  question: "Why is a small GEMM memory-bound even on an accelerator built for matrix math?",
  options: {
    "A) Its intensity 2N/(3b) grows only linearly with N, so a small N sits left of the ridge": "A",
    "B) Tensor cores switch off for matrices smaller than 1,024": "B",
    "C) Small matrices do more FLOPs per byte than large ones": "C",
    "D) The bandwidth drops when matrices are small": "D",
  },
  feedback: {
    A: "**Correct.** FLOPs grow as N³ but traffic only as N², so intensity grows with N. Below the ridge the bus cannot deliver bytes fast enough to keep the tensor cores busy.",
    B: "**Not quite.** The tensor cores run; they wait for data. The roofline says the bus, not the units, limits a low-intensity kernel.",
    C: "**Not quite.** It is the reverse: intensity = 2N/(3b) grows with N, so small matrices do *fewer* FLOPs per byte.",
    D: "**Not quite.** The roofline takes the bandwidth as fixed; what changes with N is how many FLOPs each byte buys.",
  },
  correct: "A",
  testid: "reflect1",
} as const;

const REFLECT2 = {
  question:
    "Lower precision doubled the peak and halved the bytes. Why did the ridge-crossing size barely move?",
  options: {
    "A) Lower precision does not change the bytes a GEMM moves": "A",
    "B) The bandwidth doubles at lower precision": "B",
    "C) The ridge (peak ÷ bandwidth) doubled, and each GEMM's intensity doubled too: they cancel":
      "C",
    "D) The roofline ignores precision": "D",
  },
  feedback: {
    A: "**Not quite.** Each element takes half the bytes, so traffic halves and intensity doubles.",
    B: "**Not quite.** The memory bus moves the same bytes per second at any precision; fewer bytes per element is what changes.",
    C: "**Correct.** N* = 3b·peak / (2·BW): halving b and doubling the peak leaves it where it was. Lower precision still pays — every compute-bound GEMM runs twice as fast, and the working set halves.",
    D: "**Not quite.** Precision sets both roofs' inputs: the peak (which tensor-core path) and the bytes per element.",
  },
  correct: "C",
  testid: "reflect2",
} as const;

export default lab({
  id: "v1-11",
  title: "Hardware Roofline",
  subtitle: "Compute-bound or memory-bound: where a GEMM sits on the roofline, and how to move it",
  minutes: 40,
  volume: "I",
  topics: ["roofline", "arithmetic intensity", "ridge point", "MFU", "precision"],
  status: "ready",
})
  // ---- header, reading, context ---------------------------------------------------------------
  .show("header", () => {
    const g = lookupGpu(DEVICES.cloud);
    return labHeader({
      kicker: "Machine Learning Systems · Volume I · Lab 11",
      title: "Hardware Roofline",
      subtitle: `The ${g.name} is sold as ${
        formatTflops(g.peak.bf16)
      } of dense BF16. Whether a kernel sees that depends on how many FLOPs it does per byte it moves.`,
      minutes: 40,
      badges: [
        { text: "Act I · Where does the GEMM sit? · 15 min", kind: "info" },
        { text: "Act II · Precision and size · 25 min", kind: "info" },
        { text: "R = min(peak, BW × AI)", kind: "neutral" },
        { text: `MFU target ≥ ${formatPercent(MFU_TARGET, 0)}`, kind: "warn" },
      ],
    });
  })
  .show("reading", () =>
    callout(
      "info",
      md`**Recommended reading** — the hardware acceleration chapter: the roofline model, arithmetic intensity, tensor cores and their precisions, and model FLOPs utilisation (MFU).`,
    ))
  .input("context", () =>
    contextToggle<Context>({
      options: { "Cloud (H100)": "cloud", "Edge (Jetson Orin NX)": "edge" },
    }))
  .cell("device", ({ context }) => lookupGpu(DEVICES[context]))
  // ---- Act I ----------------------------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context, device }) => {
      const n = ACT1_N[context];
      return vstack([
        md`## Act I — Where does the GEMM sit?

A matrix multiply does $2N^3$ FLOPs and moves three $N \times N$ matrices. The accelerator can do
at most its **peak** FLOP/s, and can feed itself at most **bandwidth × intensity** FLOP/s. The
lower of the two roofs is what the kernel gets.`,
        stakeholder({
          persona: context === "cloud" ? "Inference Platform Lead" : "Robotics Perception Lead",
          role: context === "cloud" ? "cloud serving" : "on-robot inference",
          quote:
            `Our profiler says the ${formatCount(n)}×${formatCount(n)} projection GEMM runs at a ` +
            `fraction of the ${device.name}'s ${
              formatTflops(device.peak.bf16)
            } BF16 peak. Before we file a bug with the vendor: what fraction should we expect?`,
          testid: "stakeholder-act1",
        }),
      ]);
    },
    prediction: ({ context, device }) =>
      choicePrediction({
        title: "Prediction lock · Act I",
        question: `A square BF16 GEMM with N = ${
          formatCount(ACT1_N[context])
        } on the ${device.name}: what fraction of peak can it reach?`,
        options: act1Options(context),
        answer: act1Actual(context).mfu,
        format: (x) => formatPercent(x, 0),
        explain: "Attainable = min(peak, bandwidth × intensity): below the ridge the memory " +
          "bus, not the tensor cores, sets the speed.",
        // The device and precision the question is asked at. Which letters the order gives is
        // a hash of this and the texts: these keys give each act and context its own letter
        // (tested); `key: context` alone put Act I at the same letter in both contexts.
        key: `${device.name} BF16`,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .input("n", ({ context }) =>
        slider({
          label: "Matrix size N",
          steps: N_STEPS,
          value: ACT1_N[context],
          format: (v) => formatCount(v),
          testid: "n",
        }))
      .input("gpu", ({ context }) =>
        dropdown({
          label: "Accelerator",
          options: GPU_OPTIONS,
          value: DEVICES[context],
          testid: "gpu",
        }))
      .cell("point1", ({ gpu, n }) => gemmPoint(gpu, n, "bf16"))
      .show("act1Instruments", ({ $n, $gpu }) =>
        vstack([
          md`### Instrument — the roofline

Move the matrix size and change the accelerator. Watch the workload's point slide along the
slanted (memory) roof until it meets the flat (compute) roof at the ridge.`,
          hstack([$n, $gpu], { widths: [1, 1] }),
        ]))
      .show("act1Metrics", ({ point1 }) =>
        metricRow([
          {
            label: "Arithmetic intensity",
            value: `${formatNumber(point1.ai, 1)} FLOP/B`,
            caption: `2N³ / (3N²·${bytesPerElement("bf16")} B) at N = ${formatCount(point1.n)}`,
            kind: "info",
            testid: "ai",
          },
          {
            label: "Ridge point",
            value: `${formatNumber(point1.ridge, 0)} FLOP/B`,
            caption: `${formatTflops(point1.peak)} ÷ ${formatBandwidth(point1.gpu.bandwidth)}`,
            testid: "ridge",
          },
          {
            label: "Attainable",
            value: formatTflops(point1.attainable),
            caption: `${regimeOf(point1)} · ${formatDuration(point1.latencyS)} per GEMM`,
            kind: point1.bound === "compute" ? "success" : "warn",
            testid: "attainable",
          },
          {
            label: "MFU",
            value: formatPercent(point1.mfu, 1),
            caption: `roofline bound ÷ peak: an upper limit (large GEMMs sustain about ${
              formatPercent(ETA_COMPUTE_MAX, 0)
            } of peak)`,
            kind: point1.mfu >= MFU_TARGET ? "success" : "danger",
            testid: "mfu",
          },
        ]))
      .show("act1Chart", ({ point1 }) => rooflineChart(point1, { testid: "act1-chart" }))
      .show(
        "derivation",
        ({ point1 }) =>
          md`**Live derivation** (${point1.gpu.name}, BF16, N = ${formatCount(point1.n)})

$$\text{AI} = \frac{2N^3}{3N^2 \cdot b} = \frac{2 \times ${formatCount(point1.n)}}{3 \times ${
            bytesPerElement("bf16")
          }} = ${formatNumber(point1.ai, 1)}\ \text{FLOP/B}$$

$$R = \min(\text{peak},\ BW \cdot \text{AI}) = \min(${formatNumber(point1.peak / 1e12, 1)},\ ${
            formatNumber(point1.gpu.bandwidth / 1e12, 3)
          } \times ${formatNumber(point1.ai, 1)}) = ${
            formatNumber(point1.attainable / 1e12, 1)
          }\ \text{TFLOP/s}$$`,
      )
      .reveal(({ context, point1 }) => {
        const actual = act1Actual(context);
        const moved = point1.n !== actual.n || point1.gpu.id !== actual.gpu.id;
        return mdText(
          `At N = ${formatCount(actual.n)} the intensity is ${
            formatNumber(actual.ai, 1)
          } FLOP/byte against a ridge of ${formatNumber(actual.ridge, 0)}: the GEMM is ${
            regimeOf(actual)
          }, at ${formatPercent(actual.mfu, 1)} of peak.${
            moved ? ` With your current settings: ${formatPercent(point1.mfu, 1)} of peak.` : ""
          }`,
        );
      })
      .input("reflect1", () => reflection(REFLECT1))
      .show(
        "act1Reflection",
        ({ $reflect1, reflect1 }) =>
          vstack([md`### Reflection`, $reflect1, reflectionFeedback(REFLECT1, reflect1)]),
      )
      .show("act1Math", () =>
        mathPeek(md`$$R = \min\left(\text{peak},\ BW \cdot \text{AI}\right) \qquad
\text{ridge} = \frac{\text{peak}}{BW} \qquad \text{MFU} = \frac{R}{\text{peak}}$$

$$\text{AI}_\text{GEMM} = \frac{2N^3}{3N^2 \cdot b} = \frac{2N}{3b}$$

- **peak** — dense tensor-core FLOP/s at the precision (not the 2:4-sparse headline)
- **BW** — memory bandwidth, bytes/s
- **AI** — arithmetic intensity: FLOPs per byte moved to and from memory
- **2N³** — N³ multiply-adds, two FLOPs each; **3N²·b** — read A and B, write C, b bytes per element

Left of the ridge a kernel is **memory-bound** (time = bytes ÷ BW); right of it,
**compute-bound** (time = FLOPs ÷ peak).`))
      .record(({ point1 }) => ({
        hud: [
          ["AI", `${formatNumber(point1.ai, 1)} FLOP/B`],
          ["Ridge", `${formatNumber(point1.ridge, 0)} FLOP/B`],
          ["MFU", formatPercent(point1.mfu, 1)],
        ],
        ledger: {
          workload_ai: Math.round(point1.ai * 10) / 10,
          ridge_flop_per_byte: Math.round(point1.ridge * 10) / 10,
          roofline_regime: regimeOf(point1),
          mfu_pct: Math.round(point1.mfu * 1000) / 10,
        },
      })))
  // ---- Act II ---------------------------------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: ({ context, device }) => {
      const low = ACT2_LOW[context].toUpperCase();
      return vstack([
        md`## Act II — Precision and size: design a GEMM that uses the hardware

Lower precision buys a second, higher compute roof and halves every byte. Larger matrices raise the
intensity but need memory for all three of them.`,
        stakeholder({
          persona: context === "cloud" ? "ML Compiler Engineer" : "Edge Deployment Engineer",
          quote: `We're moving this layer from BF16 to ${low} on the ${device.name}. I need it at ${
            formatPercent(MFU_TARGET, 0)
          } of peak or better, and all three matrices must fit in ${
            formatGiB(device.runtimeMemoryBytes, 1)
          }. First: does ${low} let smaller GEMMs reach the ridge?`,
          testid: "stakeholder-act2",
        }),
      ]);
    },
    prediction: ({ context, device }) =>
      choicePrediction({
        title: "Prediction lock · Act II",
        question: `On the ${device.name}, switching from BF16 to ${
          ACT2_LOW[context].toUpperCase()
        }: the smallest square GEMM that reaches the ridge becomes…`,
        options: act2Options(context),
        answer: act2Actual(context),
        format: (x) => formatRatio(x, 1),
        explain: "The crossing N* = 3b·peak / (2·BW): the bytes per element and the peak enter " +
          "as a product.",
        key: `${device.name} ${ACT2_LOW[context]}`,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("precision", ({ context }) =>
        radio<Precision>({
          label: "Precision",
          options: PRECISION_OPTIONS,
          value: ACT2_LOW[context],
          inline: true,
          testid: "precision",
        }))
      .input("n2", ({ context }) =>
        slider({
          label: "Design matrix size N",
          steps: N_STEPS,
          value: ACT1_N[context],
          format: (v) => formatCount(v),
          testid: "n2",
        }))
      .cell("point2", ({ gpu, n2, precision }) => gemmPoint(gpu, n2, precision))
      .cell(
        "failure",
        ({ point2 }) =>
          point2.peakSource.kind === "none"
            ? "NO DATA"
            : !point2.fits
            ? "OOM"
            : point2.mfu < MFU_TARGET
            ? "MEMORY-BOUND"
            : null,
      )
      .reveal(({ context }) => {
        const g = lookupGpu(DEVICES[context]);
        const low = ACT2_LOW[context];
        return mdText(
          // The smallest whole N at the ridge (as the ledger's ridge_boundary_dimension).
          `Ridge-crossing N: ${formatCount(Math.ceil(crossingN(g, "bf16")))} in BF16, ${
            formatCount(Math.ceil(crossingN(g, low)))
          } in ${low.toUpperCase()}.`,
        );
      })
      .show("act2Instruments", ({ $precision, $n2, gpu }) =>
        vstack([
          md`### Design — precision and matrix size on the ${lookupGpu(gpu).name}

The accelerator is the one chosen in Act I. Reach the dashed ${
            formatPercent(MFU_TARGET, 0)
          } line without running out of memory.`,
          hstack([$n2, $precision], { widths: [1, 1] }),
        ]))
      .show("act2Metrics", ({ point2 }) => {
        // No datasheet peak (core's peakData): no roof, no ridge, no MFU — "no data", not a guess.
        const noData = point2.peakSource.kind === "none";
        return metricRow([
          {
            label: "Intensity vs ridge",
            value: `${formatNumber(point2.ai, 1)} / ${
              noData ? "no data" : formatNumber(point2.ridge, 0)
            }`,
            caption: noData ? "FLOP/B · no peak, so no ridge" : `FLOP/B · ${regimeOf(point2)}`,
            kind: noData ? "neutral" : point2.bound === "compute" ? "success" : "warn",
            testid: "ai2",
          },
          {
            label: "Peak at this precision",
            value: noData ? "no data" : formatTflops(point2.peak),
            caption: point2.peakSource.note,
            testid: "peak2",
          },
          {
            label: "MFU",
            value: noData ? "no data" : formatPercent(point2.mfu, 1),
            caption: noData
              ? `target ${formatPercent(MFU_TARGET, 0)} · needs a peak`
              : `target ${formatPercent(MFU_TARGET, 0)} · ${
                formatDuration(point2.latencyS)
              } per GEMM`,
            kind: noData ? "neutral" : point2.mfu >= MFU_TARGET ? "success" : "danger",
            testid: "mfu2",
          },
          {
            label: "Working set",
            value: formatBytes(point2.workingSetBytes, { unit: "auto-iec" }),
            caption: `3 × N² × ${point2.precision.toUpperCase()} · of ${
              formatGiB(point2.gpu.runtimeMemoryBytes, 1)
            } usable`,
            kind: point2.fits ? "neutral" : "danger",
            testid: "working-set",
          },
        ]);
      })
      .show(
        "act2Chart",
        ({ point2 }) =>
          point2.peakSource.kind === "none"
            ? callout(
              "info",
              mdText(
                `No roof to draw: ${point2.peakSource.note}. Its datasheet gives no ` +
                  `${point2.precision.toUpperCase()} rate, and the lab does not invent one; ` +
                  `pick another precision.`,
              ),
              { testid: "act2-no-peak" },
            )
            : rooflineChart(point2, { target: MFU_TARGET, testid: "act2-chart" }),
      )
      .show("act2Verdict", ({ point2, failure }) => {
        const best = smallestPassingN(point2.gpu, point2.precision);
        const hint = best === null
          ? "No size meets the target at this precision on this device; try another precision."
          : `The smallest size that meets it at ${point2.precision.toUpperCase()} is N = ${
            formatCount(best)
          }.`;
        if (failure === "NO DATA") {
          return callout(
            "warn",
            mdText(
              `No data: ${point2.peakSource.note}, so this design cannot be judged against ` +
                `the target. Pick another precision.`,
            ),
            { testid: "no-data" },
          );
        }
        if (failure === "OOM") {
          return failureBanner({
            title: `OOM — the three matrices need ${formatGiB(point2.workingSetBytes, 1)}.`,
            body: `The ${point2.gpu.name} has ${
              formatGiB(point2.gpu.runtimeMemoryBytes, 1)
            } for them. Shrink N or use fewer bytes per element. ${hint}`,
            testid: "oom",
          });
        }
        if (failure === "MEMORY-BOUND") {
          return failureBanner({
            title: `Memory-bound: ${formatPercent(point2.mfu, 1)} of peak, below the ${
              formatPercent(MFU_TARGET, 0)
            } target.`,
            body: `Intensity ${formatNumber(point2.ai, 1)} FLOP/byte is under half the ridge (${
              formatNumber(point2.ridge, 0)
            }): the bus starves the tensor cores. Grow N. ${hint}`,
            testid: "memory-bound",
          });
        }
        return callout(
          "success",
          md`**Target met:** ${formatPercent(point2.mfu, 1)} of peak, ${
            formatTflops(point2.attainable)
          }, with ${formatBytes(point2.workingSetBytes, { unit: "auto-iec" })} of matrices.`,
          { testid: "target-met" },
        );
      })
      .input("reflect2", () => reflection(REFLECT2))
      .show(
        "act2Reflection",
        ({ $reflect2, reflect2 }) =>
          vstack([md`### Reflection`, $reflect2, reflectionFeedback(REFLECT2, reflect2)]),
      )
      .show("act2Math", () =>
        mathPeek(md`**Where a square GEMM crosses the ridge:**

$$\frac{2N^*}{3b} = \frac{\text{peak}}{BW} \quad\Rightarrow\quad N^* = \frac{3\,b\cdot\text{peak}}{2\,BW}$$

A precision with $k\times$ the peak and $1/k$ the bytes per element leaves $N^*$ unchanged, but
halves the time of every compute-bound GEMM and the memory it needs:

$$\text{working set} = 3N^2 b \le \text{device memory}$$

$$\text{MFU} = \min\left(1,\ \frac{\text{AI}}{\text{ridge}}\right) \ge \text{target} \iff N \ge \text{target} \cdot N^*$$`))
      .record(({ point2, failure }) => ({
        hud: [
          ["Design MFU", failure === "NO DATA" ? "no data" : formatPercent(point2.mfu, 1)],
          [
            "Design",
            failure === "OOM" || failure === "NO DATA" ? failure : failure ? "VIOLATED" : "MET",
          ],
        ],
        ledger: {
          act2_result: failure === "NO DATA" ? null : Math.round(point2.mfu * 1000) / 10,
          act2_decision: `${point2.precision}, N=${point2.n}, ${point2.gpu.id}`,
          constraint_hit: failure === "OOM" || failure === "MEMORY-BOUND",
          ridge_boundary_dimension: failure === "NO DATA"
            ? null
            : Math.ceil(crossingN(point2.gpu, point2.precision)),
        },
      })))
  // ---- ledger and HUD -------------------------------------------------------------------------
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: "v1-11",
      context,
      acts,
      hud: [["Lab", "V1-11 · Roofline"], ["Context", context.toUpperCase()]],
    }));
