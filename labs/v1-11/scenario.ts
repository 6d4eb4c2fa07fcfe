/**
 * Lab v1-11's scenario and its prediction options. Every number comes from core/'s roofline
 * solver (`squareGemm`, `roofline`, `ridgePoint`, dense peaks via `peakFlops`); each option is a
 * mental model applied to the scenario with the same functions. The framework letters the options
 * and takes the one nearest the solver's answer as correct — never typed in.
 */
import type { OptionModel } from "../../cells/acts/mod.ts";
import {
  bytesPerElement,
  type GpuSpec,
  lookupGpu,
  type PeakData,
  peakData,
  peakFlops,
  type Precision,
  ridgePoint,
  roofline,
  type RooflineBound,
  squareGemm,
} from "../../core/mod.ts";

/** The two deployment contexts (labs.md rule 5) and their registry ids. */
export const DEVICES = { cloud: "h100-sxm", edge: "jetson-orin-nx" } as const;
/** A deployment context of the lab. */
export type Context = keyof typeof DEVICES;

/**
 * Act I's workload: one square GEMM of a small projection (our choice: a 256-wide layer on the
 * H100, a 128-wide one on the Orin NX — both well left of the device's BF16 ridge).
 */
export const ACT1_N: Readonly<Record<Context, number>> = { cloud: 256, edge: 128 };
/** Act II's lower precision: FP8 on the H100; INT8 on the Orin NX (it has no FP8 tensor cores). */
export const ACT2_LOW: Readonly<Record<Context, Precision>> = { cloud: "fp8", edge: "int8" };
/** The stakeholder's utilisation budget for the layer (scenario choice): at least half of peak. */
export const MFU_TARGET = 0.5;

/** Matrix sizes the sliders move through: powers of two, 32 … 131,072. */
export const N_STEPS: readonly number[] = Array.from({ length: 13 }, (_, i) => 2 ** (i + 5));
/**
 * Accelerators the student can pick, cloud first (registry ids). The TPU v5e has no FP32 figure
 * in its datasheet: at FP32 the lab says "no data" (core's `peakData`) instead of drawing a roof.
 */
export const ACCELERATORS = [
  "h100-sxm",
  "b200",
  "a100-80gb",
  "l4",
  "tpu-v5e",
  "jetson-agx-orin",
  "jetson-orin-nx",
] as const;
/** The precisions of the design challenge, with the bytes per element in the label. */
export const PRECISION_OPTIONS: Readonly<Record<string, Precision>> = {
  "FP32 (4 B)": "fp32",
  "BF16 (2 B)": "bf16",
  "FP8 (1 B)": "fp8",
  "INT8 (1 B)": "int8",
};

/** One GEMM on the roofline: the solver's result plus the working set and whether it fits. */
export interface GemmPoint {
  n: number;
  precision: Precision;
  gpu: GpuSpec;
  flops: number;
  bytes: number;
  /** FLOP per byte. */
  ai: number;
  ridge: number;
  peak: number;
  attainable: number;
  mfu: number;
  bound: RooflineBound;
  latencyS: number;
  /** The three N×N matrices (A, B, C), bytes. */
  workingSetBytes: number;
  /** The working set fits in the device's runtime-visible memory. */
  fits: boolean;
  /** Where the peak comes from (core's `peakData`): native, the BF16 peak, or no datasheet
   * figure — then every rate above is NaN and the lab shows "no data". */
  peakSource: PeakData;
}

/** An N×N×N GEMM at `precision` on `gpu`, through core's roofline. */
export function gemmPoint(gpu: string | GpuSpec, n: number, precision: Precision): GemmPoint {
  const g = typeof gpu === "string" ? lookupGpu(gpu) : gpu;
  const w = squareGemm(n, precision);
  const r = roofline({ flops: w.flops, bytes: w.bytes, gpu: g, precision });
  const source = peakData(g, precision);
  // No datasheet peak: the roofline has no roof, so rate, MFU and time do not exist (NaN, shown
  // as "no data"); core's roofline would report an MFU of 0 for them.
  const none = source.kind === "none";
  return {
    n,
    precision,
    gpu: g,
    flops: w.flops,
    bytes: w.bytes,
    ai: r.arithmeticIntensity,
    ridge: r.ridgePoint,
    peak: r.peakFlopsPerS,
    attainable: none ? NaN : r.attainableFlopsPerS,
    mfu: none ? NaN : r.mfu,
    bound: r.bound,
    latencyS: none ? NaN : r.latencyS,
    workingSetBytes: w.bytes,
    fits: w.bytes <= g.runtimeMemoryBytes,
    peakSource: source,
  };
}

/** The smallest N (continuous) at which a square GEMM reaches the ridge: ridge ÷ AI per unit N. */
export function crossingN(gpu: string | GpuSpec, precision: Precision): number {
  return ridgePoint(gpu, precision) / squareGemm(1, precision).intensity;
}

/**
 * The smallest slider step that reaches `target` MFU and fits in memory (null when none does, or
 * when the registry has no peak for the precision on this device).
 */
export function smallestPassingN(gpu: string | GpuSpec, precision: Precision): number | null {
  if (peakData(typeof gpu === "string" ? lookupGpu(gpu) : gpu, precision).kind === "none") {
    return null;
  }
  for (const n of N_STEPS) {
    const p = gemmPoint(gpu, n, precision);
    if (!p.fits) return null;
    if (p.mfu >= MFU_TARGET) return n;
  }
  return null;
}

/** Act I's answer: the fraction of peak the scenario GEMM reaches in BF16 on the context device. */
export function act1Actual(context: Context): GemmPoint {
  return gemmPoint(DEVICES[context], ACT1_N[context], "bf16");
}

/**
 * Act I's options, each a mental model run through `roofline`: compute only (no bytes), one
 * matrix of traffic instead of three, the full roofline, and FLOPs counted as multiply-adds.
 */
export function act1Options(context: Context): OptionModel[] {
  const gpu = DEVICES[context];
  const n = ACT1_N[context];
  const w = squareGemm(n, "bf16");
  const mfu = (flops: number, bytes: number) =>
    roofline({ flops, bytes, gpu, precision: "bf16" }).mfu;
  return [
    {
      predicted: mfu(w.flops, 0),
      text: "a GEMM is compute-bound, so the tensor cores run flat out",
      why: "Only if the data were already on chip. Every byte of A, B and C crosses the memory " +
        "bus, and at this size the bus is the slower of the two.",
    },
    {
      predicted: mfu(w.flops, w.bytes / 3),
      text: "only the weight matrix has to come from memory",
      why: "The activations and the result move too: a square GEMM reads A and B and writes C, " +
        "three N² matrices, which cuts the intensity to a third.",
    },
    {
      predicted: mfu(w.flops, w.bytes),
      text: "intensity 2N³ / (3N²·b) sits left of the ridge, so bandwidth × intensity binds",
      why: "This is the roofline: attainable = min(peak, bandwidth × intensity).",
    },
    {
      predicted: mfu(w.flops / 2, w.bytes),
      text: "N³ multiply-adds over 3N² elements of traffic",
      why: "A multiply-add is two FLOPs (and peaks are quoted that way), so the intensity is " +
        "2N³ / (3N²·b), twice what counting multiply-adds gives.",
    },
  ];
}

/** Act II's answer: how the ridge-crossing N changes from BF16 to the lower precision. */
export function act2Actual(context: Context): number {
  const gpu = DEVICES[context];
  return crossingN(gpu, ACT2_LOW[context]) / crossingN(gpu, "bf16");
}

/**
 * Act II's options: the ratio of ridge-crossing sizes (low precision ÷ BF16) under four beliefs —
 * only the bytes change, only the peak changes, both (the solver), or both compounding.
 */
export function act2Options(context: Context): OptionModel[] {
  const g = lookupGpu(DEVICES[context]);
  const low = ACT2_LOW[context];
  const bytes = bytesPerElement(low) / bytesPerElement("bf16");
  const peak = peakFlops(g, low) / peakFlops(g, "bf16");
  const name = low.toUpperCase();
  return [
    {
      predicted: bytes,
      text: `${name} halves the bytes, doubling the intensity, so smaller GEMMs reach the ridge`,
      why: `The intensity does double — but the ridge moves too: ${name} doubles the peak while ` +
        "the bandwidth stays the same.",
    },
    {
      predicted: peak,
      text: `${name} doubles the peak, moving the ridge right, so GEMMs must grow`,
      why: "The ridge does move right, but each GEMM's intensity doubles as well (half the bytes " +
        "per element).",
    },
    {
      predicted: act2Actual(context),
      text: "the peak and the intensity both change, and the effects cancel",
      why: "Ridge ∝ peak and intensity ∝ 1 / bytes per element; both double, so the crossing " +
        "N = 3b·peak / (2·BW) stays put.",
    },
    {
      predicted: peak / bytes,
      text: "twice the peak and half the bytes compound: the crossing quadruples",
      why: "Halving the bytes per element raises the intensity; it helps, it does not hurt.",
    },
  ];
}
