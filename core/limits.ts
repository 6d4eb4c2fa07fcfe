/**
 * Model limits: a context longer than the model was configured for (`max_position_embeddings`
 * in its config.json) is not a memory question. vLLM refuses such a `max_model_len` ("User-
 * specified max_model_len … is greater than the derived max_model_len") unless
 * `VLLM_ALLOW_LONG_MAX_MODEL_LEN=1` is set, and then warns that outputs may be wrong; the
 * positions were never trained. Llama-2-7B at 131,072 tokens or GPT-3 at 4,096 must be flagged,
 * not called "viable".
 *
 * @module
 */
import { formatCount } from "./format.ts";
import { asTransformer } from "./registry.ts";
import type { ModelSpec } from "./types.ts";

/** Result of {@link contextCheck}. */
export interface ContextCheck {
  /** The context asked about, tokens. */
  seqLen: number;
  /** The model's configured maximum (config.json max_position_embeddings). */
  modelMaxContext: number;
  /** seqLen > modelMaxContext. */
  exceedsModel: boolean;
  /** seqLen ÷ modelMaxContext. */
  ratio: number;
  /** One sentence for the page or the CLI; empty when within the limit. */
  message: string;
}

/** Whether `seqLen` tokens exceed the model's configured maximum context (module doc). */
export function contextCheck(model: ModelSpec | string, seqLen: number): ContextCheck {
  const m = asTransformer(model);
  const exceeds = seqLen > m.maxContext;
  return {
    seqLen,
    modelMaxContext: m.maxContext,
    exceedsModel: exceeds,
    ratio: seqLen / m.maxContext,
    message: exceeds
      ? `${m.name} is configured for at most ${formatCount(m.maxContext)} tokens; ` +
        `${formatCount(seqLen)} is ${
          (seqLen / m.maxContext).toFixed(seqLen % m.maxContext === 0 ? 0 : 1)
        }× beyond it (vLLM refuses such a max_model_len), so the memory answer is moot.`
      : "",
  };
}
