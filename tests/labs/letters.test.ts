/**
 * The correct option's letter moves: over every act and deployment context of a lab it is not
 * always the same letter (options are ordered by lab, act and question, never sorted by value).
 */
import assert from "node:assert/strict";
import { HeadlessLab, importLab, labIds } from "../../runtime/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";

/** The correct letter of every choice act, per context: `{ "latency/act1": "A", … }`. */
export async function correctLetters(id: string): Promise<Record<string, string>> {
  const def = await importLab(id);
  const acts = (def as { acts?: Array<{ id: string }> }).acts ?? [];
  const probe = new HeadlessLab(def);
  await probe.settled();
  const contexts = def.cells.some((c) => c.name === "context")
    ? [...(probe.engine.inputSpec("context")?.samples ?? [])]
    : [null];
  probe.dispose();
  const out: Record<string, string> = {};
  for (const context of contexts) {
    const h = new HeadlessLab(def);
    if (context !== null) h.set("context", context);
    await h.settled();
    for (const { id: act } of acts) {
      const p = h.value<ActPrediction>(`${act}Prediction`);
      const samples = (p.input.samples ?? []).filter((v) => v !== null);
      const right = samples.find((v) => p.grade(v).correct);
      if (typeof right === "string" && /^[A-D]$/.test(right)) out[`${context}/${act}`] = right;
      h.set(`${act}Lock`, right ?? samples[0]);
      await h.settled();
    }
    h.dispose();
  }
  return out;
}

Deno.test("letters: no lab with several choice locks puts the correct option in one slot", async () => {
  const seen: Record<string, Record<string, string>> = {};
  for (const id of labIds()) {
    const letters = await correctLetters(id);
    if (Object.keys(letters).length < 2) continue;
    seen[id] = letters;
    assert.ok(new Set(Object.values(letters)).size > 1, `${id}: ${JSON.stringify(letters)}`);
  }
  assert.ok(Object.keys(seen).length >= 2, JSON.stringify(seen));
  console.log(JSON.stringify(seen));
});
