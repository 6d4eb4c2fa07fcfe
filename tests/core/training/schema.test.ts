import { ZodError } from "zod";
import { assert, assertEquals, assertThrows, assertWithin } from "../_assert.ts";
import {
  checkedCollective,
  checkedTimeToTrain,
  checkedTimeToTrainFromStep,
  checkedTrainingMemory,
  checkedTrainStep,
} from "../../../core/schema/training.ts";
import { UnknownIdError } from "../../../core/registry.ts";
import { ParallelConfigError, trainingMemory } from "../../../core/training/mod.ts";

const mem = {
  model: "megatron-gpt-175b",
  gpu: "a100-80gb",
  tp: 8,
  pp: 8,
  seq: 2048,
  microBatch: 1,
  globalBatch: 64,
  recompute: "selective",
  sp: true,
};

Deno.test("checkedTrainingMemory equals trainingMemory on valid input, with defaults", () => {
  const a = checkedTrainingMemory(mem);
  const b = trainingMemory({ ...mem, recompute: "selective" });
  assertEquals(a.total, b.total);
  // Defaults: dp 1, ZeRO 0, megatron-bf16-18, reserve 0.
  assertEquals(a.bytesPerParam.grads, 4);
  assertEquals(a.parts.reserve, 0);
});

Deno.test("checked training inputs: bad numbers name the field", () => {
  const path = (f: () => unknown) => {
    const e = assertThrows(f, ZodError);
    return e.issues[0].path.join(".");
  };
  assertEquals(path(() => checkedTrainingMemory({ ...mem, tp: 0 })), "tp");
  assertEquals(path(() => checkedTrainingMemory({ ...mem, microBatch: 1.5 })), "microBatch");
  assertEquals(path(() => checkedTrainingMemory({ ...mem, zeroStage: 4 })), "zeroStage");
  assertEquals(path(() => checkedTrainingMemory({ ...mem, recompute: "some" })), "recompute");
  assertEquals(path(() => checkedTrainingMemory({ ...mem, convention: "hf-19" })), "convention");
  assertEquals(path(() => checkedTrainingMemory({ ...mem, gpu: undefined })), "gpu");
  assertEquals(
    path(() =>
      checkedTimeToTrain({ model: "llama-2-7b", tokens: 1e12, seq: 4096, gpus: 8, gpu: "h100" })
    ),
    "mfu",
  );
  assertEquals(
    path(() => checkedCollective({ op: "all-reduce", bytes: -1, ranks: 8, cluster: "dgx-a100" })),
    "bytes",
  );
  assertEquals(
    path(() => checkedCollective({ op: "allreduce", bytes: 1, ranks: 8, cluster: "dgx-a100" })),
    "op",
  );
});

Deno.test("checked training inputs: unknown ids list near matches", () => {
  const m = assertThrows(
    () => checkedTrainingMemory({ ...mem, model: "megatron-gpt-175" }),
    UnknownIdError,
  );
  assert(m.suggestions.includes("megatron-gpt-175b"), m.message);
  const g = assertThrows(() => checkedTrainingMemory({ ...mem, gpu: "a100-80g" }), UnknownIdError);
  assert(g.suggestions.includes("a100-80gb"), g.message);
  const c = assertThrows(
    () => checkedCollective({ op: "all-reduce", bytes: 1e9, ranks: 8, cluster: "dgx-h10" }),
    UnknownIdError,
  );
  assertEquals(c.kind, "cluster");
  assert(c.suggestions.includes("dgx-h100"), c.message);
});

Deno.test("checked training inputs: impossible layouts say how to fix them", () => {
  const e = assertThrows(() => checkedTrainingMemory({ ...mem, dp: 3 }), ParallelConfigError);
  assert(e.message.includes("divisible by 3"), e.message);
  const s = assertThrows(
    () => checkedTrainStep({ ...mem, cluster: "dgx-a100", tp: 16, pp: 4 }),
    ParallelConfigError,
  );
  assert(s.message.includes("tp ≤ 8"), s.message);
});

Deno.test("checked step, collective and time to train on valid input", () => {
  const st = checkedTrainStep({ ...mem, cluster: "dgx-a100" });
  assertWithin(st.stepTimeS, 13.75, 0.1, "C2 SP + selective");
  const c = checkedCollective({ op: "all-reduce", bytes: 2 ** 30, ranks: 8, cluster: "dgx-a100" });
  assertWithin(c.busBw, 229.04e9, 0.15, "J1 1 GiB");
  const t = checkedTimeToTrain({
    model: "llama-2-7b",
    tokens: 2e12,
    seq: 4096,
    gpus: 1024,
    gpu: "a100-80gb",
    mfu: 0.4,
    pricePerGpuHour: 1.5,
  });
  assertWithin(t.costUSD!, t.gpuHours * 1.5, 1e-12);
  const f = checkedTimeToTrainFromStep({ step: { ...mem, cluster: "dgx-a100" }, tokens: 1e9 });
  assertEquals(f.steps, Math.ceil(1e9 / (64 * 2048)));
});
