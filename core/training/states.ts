/**
 * Bytes per parameter of the model states (weights, gradients, fp32 master weights, optimizer
 * moments), with every dtype an input, so the published conventions are all expressible:
 *
 * | convention | params | grads | master | moments | main-grad copy | total |
 * |---|---|---|---|---|---|---|
 * | ZeRO mixed-precision Adam (Rajbhandari et al. Fig. 1, K = 12) | 2 | 2 | 4 | 4 + 4 | – | 16 |
 * | HF "Model Memory Anatomy" mixed AdamW (fp32 grads) | 2 | 4 | 4 | 4 + 4 | – | 18 |
 * | Megatron bf16 params + fp32 main grads (dist_optimizer.md) | 2 | 4 | 4 | 4 + 4 | – | 18 |
 * | Megatron fp16 params + fp16 grads (dist_optimizer.md) | 2 | 2 | 4 | 4 + 4 | 4 | 20 |
 * | fp32 Adam (Megatron fp32 / HF fp32) | 4 | 4 | – | 4 + 4 | – | 16 |
 * | 8-bit Adam, ZeRO-style (fp32 master kept) | 2 | 2 | 4 | 1 + 1 | – | 10 |
 * | 8-bit AdamW, HF convention | 2 | 4 | 4 | 1 + 1 | – | 12 |
 * | SGD + momentum, mixed, HF convention | 2 | 4 | 4 | 4 | – | 14 |
 *
 * Which part a sharding stage may split is recorded per component (ZeRO-1 / a distributed
 * optimizer splits master, moments and the main-grad copy; ZeRO-2 adds grads; ZeRO-3 params):
 * Megatron's distributed optimizer gives `6 + 12/d` (bf16), `4 + 16/d` (fp16), `8 + 8/d` (fp32),
 * exactly its doc table. Sources: reference/training.md §1.1 (S4, S7, S9). bitsandbytes' 8-bit
 * block-wise states also keep one fp32 absmax per 2048 values (+0.2 %): not counted.
 *
 * @module
 */
import { bytesPerElement, type Precision } from "../precision.ts";

/** Optimizers by the number of per-parameter state tensors they keep. */
export type Optimizer = "adam" | "adamw" | "adam-8bit" | "sgd-momentum" | "sgd" | "none";

/** The dtypes of one training setup. */
export interface StateDtypes {
  /** Working weights (what the forward pass reads). */
  params: Precision;
  /** Gradients as accumulated by backward. */
  grads: Precision;
  /** fp32 master copy for mixed precision; "none" when params are already fp32. */
  master: Precision | "none";
  optimizer: Optimizer;
  /** An extra fp32 copy of the gradients held by the optimizer (Megatron fp16: 4 B). */
  mainGradCopy?: Precision | "none";
}

/** Bytes per parameter of each model-state component. */
export interface StateBytes {
  params: number;
  grads: number;
  master: number;
  /** All optimizer moments together (Adam: 2 states). */
  optimizer: number;
  mainGradCopy: number;
}

/** Number of state tensors and bytes per state element of an optimizer. */
export function optimizerStates(opt: Optimizer): { states: number; bytesPerState: number } {
  switch (opt) {
    case "adam":
    case "adamw":
      return { states: 2, bytesPerState: 4 };
    case "adam-8bit":
      return { states: 2, bytesPerState: 1 };
    case "sgd-momentum":
      return { states: 1, bytesPerState: 4 };
    case "sgd":
    case "none":
      return { states: 0, bytesPerState: 4 };
  }
}

function bytesOrZero(p: Precision | "none" | undefined): number {
  return p === undefined || p === "none" ? 0 : bytesPerElement(p);
}

/** Bytes per trainable parameter of each component (table in the module doc). */
export function stateBytes(d: StateDtypes): StateBytes {
  const o = optimizerStates(d.optimizer);
  return {
    params: bytesPerElement(d.params),
    grads: bytesPerElement(d.grads),
    master: bytesOrZero(d.master),
    optimizer: o.states * o.bytesPerState,
    mainGradCopy: bytesOrZero(d.mainGradCopy),
  };
}

/** Sum of a {@link StateBytes} (bytes per parameter). */
export function totalStateBytes(b: StateBytes): number {
  return b.params + b.grads + b.master + b.optimizer + b.mainGradCopy;
}

/** Named conventions of the module-doc table. */
export const CONVENTIONS = {
  "zero-16": { params: "fp16", grads: "fp16", master: "fp32", optimizer: "adam" },
  "hf-18": { params: "bf16", grads: "fp32", master: "fp32", optimizer: "adamw" },
  "megatron-bf16-18": { params: "bf16", grads: "fp32", master: "fp32", optimizer: "adam" },
  "megatron-fp16-20": {
    params: "fp16",
    grads: "fp16",
    master: "fp32",
    optimizer: "adam",
    mainGradCopy: "fp32",
  },
  "fp32-16": { params: "fp32", grads: "fp32", master: "none", optimizer: "adam" },
  "adam8bit-10": { params: "bf16", grads: "bf16", master: "fp32", optimizer: "adam-8bit" },
  "hf-adam8bit-12": { params: "bf16", grads: "fp32", master: "fp32", optimizer: "adam-8bit" },
  "hf-sgd-momentum-14": {
    params: "bf16",
    grads: "fp32",
    master: "fp32",
    optimizer: "sgd-momentum",
  },
} as const satisfies Record<string, StateDtypes>;

/** A convention's name. */
export type Convention = keyof typeof CONVENTIONS;

/** Every convention name. */
export const CONVENTION_NAMES = Object.keys(CONVENTIONS) as Convention[];

/** Resolve a convention name or explicit dtypes. */
export function asDtypes(c: Convention | StateDtypes): StateDtypes {
  return typeof c === "string" ? CONVENTIONS[c] : c;
}
