/**
 * Dropdown options built from core's registries, so a lab lists model and GPU ids and the labels
 * (names, memory labels) come from `core/`, never typed into the lab.
 */
import { lookupGpu, lookupTransformer } from "../../core/mod.ts";

/** `{ "Llama-3.1-8B": "llama-3.1-8b", … }` for a dropdown of transformers. */
export function modelChoices(ids: readonly string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [lookupTransformer(id).name, id]));
}

/** `{ "NVIDIA H200 SXM 141GB": "h200", … }` for a dropdown of accelerators. */
export function gpuChoices(ids: readonly string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [lookupGpu(id).name, id]));
}
