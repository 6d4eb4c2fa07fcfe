/**
 * Registry lookups by id or alias (case-insensitive, `_`/`-`/`.`/space-insensitive), with
 * edit-distance suggestions for unknown ids.
 *
 * @module
 */
import { CNNS, TRANSFORMERS } from "./data/models.ts";
import { GPUS } from "./data/gpus.ts";
import { TRAINING_TRANSFORMERS } from "./data/training-models.ts";
import type { GpuSpec, ModelSpec, TransformerSpec } from "./types.ts";

/** Thrown when an id is not in a registry; `suggestions` holds the nearest ids. */
export class UnknownIdError extends Error {
  /** Which registry was searched. */
  readonly kind: "model" | "gpu" | "cluster";
  /** The id that was asked for. */
  readonly id: string;
  /** Nearest registry ids, best first. */
  readonly suggestions: readonly string[];
  constructor(kind: "model" | "gpu" | "cluster", id: string, suggestions: readonly string[]) {
    const hint = suggestions.length ? ` Did you mean: ${suggestions.join(", ")}?` : "";
    super(`Unknown ${kind} id "${id}".${hint}`);
    this.name = "UnknownIdError";
    this.kind = kind;
    this.id = id;
    this.suggestions = suggestions;
  }
}

/** Levenshtein edit distance between two strings. */
export function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/** Normalise an id for lookup (lower case; spaces, `_`, `-`, `.`, `/` removed). */
export function norm(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_.\-/]+/g, "");
}

interface Entry {
  id: string;
  aliases: readonly string[];
}

/** Index entries by normalised id and aliases. */
export function buildIndex<T extends Entry>(items: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const it of items) {
    m.set(norm(it.id), it);
    for (const a of it.aliases) m.set(norm(a), it);
  }
  return m;
}

/**
 * The up-to-`max` registry ids nearest to `query` (edit distance on normalised names, ids and
 * aliases; substring matches first).
 */
export function nearMatches(query: string, items: readonly Entry[], max = 3): string[] {
  const q = norm(query);
  const scored = items.map((it) => {
    let best = Infinity;
    for (const name of [it.id, ...it.aliases]) {
      const n = norm(name);
      const d = n.includes(q) || q.includes(n)
        ? Math.abs(n.length - q.length) * 0.1
        : editDistance(q, n);
      if (d < best) best = d;
    }
    return { id: it.id, d: best };
  });
  scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
  const limit = Math.max(3, Math.ceil(q.length / 2));
  return scored.filter((s) => s.d <= limit).slice(0, max).map((s) => s.id);
}

const MODELS: readonly ModelSpec[] = [...TRANSFORMERS, ...CNNS];
const MODEL_INDEX = buildIndex([...MODELS, ...TRAINING_TRANSFORMERS]);
const GPU_INDEX = buildIndex(GPUS);

/** Every registry model (transformers first, then CNNs). */
export function listModels(): readonly ModelSpec[] {
  return MODELS;
}

/** Every registry transformer. */
export function listTransformers(): readonly TransformerSpec[] {
  return TRANSFORMERS;
}

/** Training-only transformers (`data/training-models.ts`), also found by {@link lookupModel}. */
export function listTrainingModels(): readonly TransformerSpec[] {
  return TRAINING_TRANSFORMERS;
}

/** Every registry accelerator. */
export function listGpus(): readonly GpuSpec[] {
  return GPUS;
}

/** A model by id or alias (`llama-3.1-70b`, `Llama3_70B`); throws {@link UnknownIdError}. */
export function lookupModel(id: string): ModelSpec {
  const m = MODEL_INDEX.get(norm(id));
  if (!m) {
    throw new UnknownIdError("model", id, nearMatches(id, [...MODELS, ...TRAINING_TRANSFORMERS]));
  }
  return m;
}

/** A transformer by id or alias; throws if unknown or if the id names a CNN. */
export function lookupTransformer(id: string): TransformerSpec {
  const m = lookupModel(id);
  if (m.kind !== "transformer") {
    throw new UnknownIdError("model", id, nearMatches(id, TRANSFORMERS));
  }
  return m;
}

/** An accelerator by id or alias (`h100-sxm`, `H100`); throws {@link UnknownIdError}. */
export function lookupGpu(id: string): GpuSpec {
  const g = GPU_INDEX.get(norm(id));
  if (!g) throw new UnknownIdError("gpu", id, nearMatches(id, GPUS));
  return g;
}

/** Resolve a spec-or-id argument to a model spec. */
export function asModel(m: ModelSpec | string): ModelSpec {
  return typeof m === "string" ? lookupModel(m) : m;
}

/** Resolve a spec-or-id argument to a transformer spec. */
export function asTransformer(m: TransformerSpec | ModelSpec | string): TransformerSpec {
  const spec = typeof m === "string" ? lookupModel(m) : m;
  if (spec.kind !== "transformer") throw new TypeError(`${spec.id} is not a transformer`);
  return spec;
}

/** Resolve a spec-or-id argument to an accelerator spec. */
export function asGpu(g: GpuSpec | string): GpuSpec {
  return typeof g === "string" ? lookupGpu(g) : g;
}
