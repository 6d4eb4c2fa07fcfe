/** The shared memory-wall chart of kv-cache-tax and llm-serving: its budget labels never collide. */
import assert from "node:assert/strict";
import { listGpus, listTransformers } from "../../core/mod.ts";
import { wallBudgets, wallChart, wallRows } from "../../labs/_shared/memory-wall.ts";

Deno.test("memory wall: vLLM's budget is below 'all memory after weights' for every model × GPU × precision", () => {
  let pairs = 0;
  for (const m of listTransformers()) {
    for (const g of listGpus()) {
      for (const precision of ["bf16", "fp8"] as const) {
        const b = wallBudgets({ model: m.id, gpu: g.id, precision, kvPrecision: precision });
        assert.ok(b.vllm.kvBudgetBytes < b.all.kvBudgetBytes, `${m.id} on ${g.id}, ${precision}`);
        pairs++;
      }
    }
  }
  assert.ok(pairs > 50, `${pairs} configurations`);
});

Deno.test("memory wall: the lower (vLLM) label sits below its rule, the other above its own", () => {
  const cfg = {
    model: "llama-3.1-8b",
    gpu: "h100-sxm",
    precision: "bf16",
    kvPrecision: "bf16",
  } as const;
  const b = wallBudgets(cfg);
  const rows = wallRows(cfg, b, [{ batch: 8, seqLen: 2048 }, { batch: 8, seqLen: 4096 }]);
  const c = wallChart(rows, b, { x: "seqLen", marker: rows[0], description: "test" });
  const layers = (c.spec as { layer: Array<{ data?: { name?: string }; mark: unknown }> }).layer;
  const mark = (name: string) =>
    layers.find((l) => l.data?.name === name)?.mark as { baseline: string; dy: number };
  assert.deepEqual([mark("limitVllm").baseline, mark("limitVllm").dy > 0], ["top", true]);
  assert.deepEqual([mark("limitAll").baseline, mark("limitAll").dy < 0], ["bottom", true]);
  const data = c.datasets as Record<string, Array<{ gb: number; text: string }>>;
  assert.match(data.limitVllm[0].text, /^vLLM KV budget/);
  assert.match(data.limitAll[0].text, /^all memory after weights/);
  assert.ok(data.limitVllm[0].gb < data.limitAll[0].gb);
});
