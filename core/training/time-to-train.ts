/**
 * Time, GPU-hours and cost to train on D tokens.
 *
 * Compute: model FLOPs `C = D · f_model(s)`, where f_model is `flops.ts`' per-token count:
 * 6·(L·W + V·h) + 12·L·s·q·f_c, i.e. 6N plus the attention term (Kaplan et al. 2020 eq. 2.2;
 * Megatron's 72·B·s·L·h²·(1 + s/(6h) + V/(12Lh)), Narayanan et al. 2021). The bare 6ND
 * (Chinchilla's count) is reported beside it, and `attentionShare` = (C − 6ND)/C (6·N here
 * counts every active parameter incl. embeddings, which f_model counts only as the output
 * layer's V·h, so for large-vocabulary models at short s the share can be negative).
 *
 * Time, from a utilisation:  `T = C / (n · peak · MFU)`; or from an achieved hardware rate
 * X = HFU·peak (what Narayanan §5.1 and BigScience report): `T = D · f_hw / (n · X)` with f_hw
 * counting recomputation (full: Eq. 3's 96-coefficient form, ≈ 8·P per token, hence Narayanan's
 * "≈ 8TP/(nX)"). MFU = HFU · f_model/f_hw.
 * Time, from a step: `T = ⌈D / (B·s)⌉ · t_step` with `trainStep`'s (fitted) step time.
 * GPU-hours = n·T/3600; cost = GPU-hours × $/GPU-hour (an input).
 *
 * This is step-level throughput: failures, restarts, checkpoint stalls and batch ramp-up are
 * not in it (goodput is 0.6–0.9 of it: reference/training.md lesson (f), rows H3, H5, K1).
 *
 * @module
 */
import { paramCounts } from "../params.ts";
import { asGpu, asTransformer } from "../registry.ts";
import type { GpuSpec, TransformerSpec } from "../types.ts";
import type { Recompute } from "./activations.ts";
import { hardwareFlopsPerToken, modelFlopsPerToken, sixND } from "./flops.ts";
import { ParallelConfigError, trainStep, type TrainStepInput } from "./step.ts";

/** Input of {@link timeToTrain}: a utilisation (MFU or HFU) on n GPUs. */
export interface TimeToTrainInput {
  model: TransformerSpec | string;
  /** Tokens trained (D). */
  tokens: number;
  seq: number;
  gpus: number;
  gpu: GpuSpec | string;
  /** Model FLOPs utilisation (0, 1]. Give exactly one of mfu / hfu. */
  mfu?: number;
  /** Hardware FLOPs utilisation (0, 1], counting recomputation. */
  hfu?: number;
  /** Recomputation, for HFU ↔ MFU (default "none"). */
  recompute?: Recompute;
  /** Count only the causal half of attention (default false, Megatron 2024). */
  causal?: boolean;
  /** $ per GPU-hour (optional). */
  pricePerGpuHour?: number;
}

/** Input of {@link timeToTrainFromStep}: a step layout whose time `trainStep` predicts. */
export interface TimeToTrainFromStepInput {
  step: TrainStepInput;
  tokens: number;
  pricePerGpuHour?: number;
}

/** Result of {@link timeToTrain} / {@link timeToTrainFromStep}. */
export interface TimeToTrain {
  /** Model FLOPs D·f_model (6N + attention). */
  flops: number;
  /** Hardware FLOPs, counting recomputation. */
  hardwareFlops: number;
  /** 6·N·D with N = active parameters, embeddings included (Chinchilla's count). */
  sixNDFlops: number;
  /** (flops − sixNDFlops) / flops. */
  attentionShare: number;
  seconds: number;
  days: number;
  gpus: number;
  gpuHours: number;
  /** GPU-hours × price, when a price was given. */
  costUSD?: number;
  mfu: number;
  hfu: number;
  tokensPerS: number;
  /** Optimizer steps (from-step only). */
  steps?: number;
  stepTimeS?: number;
}

function finish(
  base: Omit<TimeToTrain, "days" | "gpuHours" | "costUSD" | "tokensPerS">,
  tokens: number,
  price: number | undefined,
): TimeToTrain {
  const gpuHours = base.gpus * base.seconds / 3600;
  return {
    ...base,
    days: base.seconds / 86400,
    gpuHours,
    ...(price !== undefined ? { costUSD: gpuHours * price } : {}),
    tokensPerS: tokens / base.seconds,
  };
}

function fraction(name: string, v: number): number {
  if (!(v > 0 && v <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${v}`);
  return v;
}

/** Time to train D tokens at a given MFU or HFU (formulas in the module doc). */
export function timeToTrain(input: TimeToTrainInput): TimeToTrain {
  const m = asTransformer(input.model);
  const gpu = asGpu(input.gpu);
  if ((input.mfu === undefined) === (input.hfu === undefined)) {
    throw new RangeError("give exactly one of mfu or hfu");
  }
  if (!(input.gpus >= 1) || !Number.isInteger(input.gpus)) {
    throw new RangeError(`gpus must be a positive integer, got ${input.gpus}`);
  }
  if (!(input.tokens > 0)) throw new RangeError(`tokens must be > 0, got ${input.tokens}`);
  const o = { causal: input.causal };
  const fModel = modelFlopsPerToken(m, input.seq, o);
  const fHw = hardwareFlopsPerToken(m, input.seq, input.recompute ?? "none", o);
  const mfu = input.mfu !== undefined
    ? fraction("mfu", input.mfu)
    : fraction("hfu", input.hfu!) * fModel / fHw;
  const flops = input.tokens * fModel;
  const peak = gpu.peak.bf16;
  const seconds = flops / (input.gpus * peak * mfu);
  const sixNDFlops = sixND(paramCounts(m).active, input.tokens);
  return finish(
    {
      flops,
      hardwareFlops: input.tokens * fHw,
      sixNDFlops,
      attentionShare: (flops - sixNDFlops) / flops,
      seconds,
      gpus: input.gpus,
      mfu,
      hfu: mfu * fHw / fModel,
    },
    input.tokens,
    input.pricePerGpuHour,
  );
}

/** Time to train D tokens at `trainStep`'s predicted step time (module doc). */
export function timeToTrainFromStep(input: TimeToTrainFromStepInput): TimeToTrain {
  if (!(input.tokens > 0)) {
    throw new ParallelConfigError(`tokens must be > 0, got ${input.tokens}`);
  }
  const st = trainStep(input.step);
  const m = asTransformer(input.step.model);
  const steps = Math.ceil(input.tokens / st.tokensPerStep);
  const seconds = steps * st.stepTimeS;
  const tokens = steps * st.tokensPerStep;
  const sixNDFlops = sixND(paramCounts(m).active, tokens);
  const flops = steps * st.modelFlopsPerStep;
  return finish(
    {
      flops,
      hardwareFlops: steps * st.hardwareFlopsPerStep,
      sixNDFlops,
      attentionShare: (flops - sixNDFlops) / flops,
      seconds,
      gpus: st.gpus,
      mfu: st.mfu,
      hfu: st.hfu,
      steps,
      stepTimeS: st.stepTimeS,
    },
    tokens,
    input.pricePerGpuHour,
  );
}
