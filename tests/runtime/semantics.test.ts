import assert from "node:assert/strict";
import { lab, runLab, stop } from "../../runtime/mod.ts";
import { numberInput } from "../fixtures/spec.ts";

const ran = (h: { traces: readonly { runs: { cell: string }[] }[] }) =>
  h.traces[h.traces.length - 1].runs.map((r) => r.cell);

const chainLab = () =>
  lab({ id: "chain", title: "chain" })
    .input("x", () => numberInput(1))
    .input("other", () => numberInput(0))
    .cell("a", ({ x }) => x + 1)
    .cell("b", ({ a }) => a + 1)
    .cell("c", ({ b }) => b + 1)
    .cell("side", ({ other }) => other);

Deno.test("chain: one input change re-runs exactly its descendants, once each, in order", async () => {
  const h = await runLab(chainLab(), { timed: true });
  const t = await h.update({ x: 10 });
  assert.deepEqual(t.inputs, ["x"]);
  assert.deepEqual(t.runs.map((r) => r.cell), ["a", "b", "c"]);
  assert.ok(t.runs.every((r) => typeof r.ms === "number" && r.ms >= 0));
  assert.equal(h.value("c"), 13);
});

Deno.test("trace: an untimed engine records the same runs, in order, without their times", async () => {
  const h = await runLab(chainLab());
  const t = await h.update({ x: 10 });
  assert.deepEqual(t.runs, [{ cell: "a", ms: null }, { cell: "b", ms: null }, {
    cell: "c",
    ms: null,
  }]);
  assert.ok(t.ms >= 0);
  assert.deepEqual((await h.update({ other: 3 })).runs.map((r) => r.cell), ["side"]);
});

Deno.test("diamond: the join runs once and never sees one new and one old input", async () => {
  const seen: Array<[number, number]> = [];
  const h = await runLab(
    lab({ id: "diamond", title: "diamond" })
      .input("x", () => numberInput(1))
      .cell("left", ({ x }) => x * 2)
      .cell("right", async ({ x }) => {
        await new Promise((r) => setTimeout(r, 5));
        return x * 3;
      })
      .cell("join", ({ left, right }) => (seen.push([left, right]), left + right)),
  );
  seen.length = 0;
  const t = await h.update({ x: 2 });
  assert.deepEqual(seen, [[4, 6]]);
  assert.equal(t.runs.filter((r) => r.cell === "join").length, 1);
  assert.deepEqual(new Set(t.runs.map((r) => r.cell)), new Set(["left", "right", "join"]));
});

Deno.test("fan-out: 200 readers each run once; setting two inputs together is one update", async () => {
  // deno-lint-ignore no-explicit-any
  let L: any = lab({ id: "fan", title: "fan" }).input("x", () => numberInput(0)).input(
    "y",
    () => numberInput(0),
  );
  for (let i = 0; i < 200; i++) {
    L = L.cell(`r${i}`, new Function(`return ({ x, y }) => x + y + ${i}`)());
  }
  const h = await runLab(L);
  const t = await h.update({ x: 1, y: 2 });
  assert.deepEqual(t.inputs, ["x", "y"]);
  assert.equal(t.runs.length, 200);
  assert.equal(new Set(t.runs.map((r) => r.cell)).size, 200);
  assert.equal(h.value("r199"), 202);
});

Deno.test("errors: a throwing cell shows its error in place, descendants wait, others update", async () => {
  const h = await runLab(
    lab({ id: "err", title: "err" })
      .input("x", () => numberInput(1))
      .cell("boom", ({ x }) => {
        if (x > 1) throw new Error("too many users");
        return x;
      })
      .cell("after", ({ boom }) => boom + 1)
      .cell("after2", ({ after }) => after + 1)
      .cell("free", ({ x }) => x * 100),
  );
  assert.equal(h.value("after2"), 3);
  await h.update({ x: 2 });
  const s = h.state("boom");
  assert.equal(s.status, "error");
  assert.match(h.html("boom"), /CellRuntimeError.*boom.*too many users/s);
  assert.match(h.html("boom"), /line \d+/);
  assert.deepEqual(h.state("after2"), { status: "waiting", on: "boom", reason: "error" });
  assert.match(h.html("after2"), /waiting on <code>boom<\/code>/);
  assert.equal(h.value("free"), 200);
  await h.update({ x: 1 });
  assert.equal(h.value("after2"), 3, "recovers when the input is fixed");
});

Deno.test("stop: gated cell shows its output; descendants are ancestor-stopped, then run on release", async () => {
  const h = await runLab(
    lab({ id: "stop", title: "stop" })
      .input("prediction", () => numberInput(0))
      .cell("reveal", ({ prediction }) => {
        stop(prediction === 0, "Select your prediction to continue.");
        return prediction * 2;
      })
      .cell("chart", ({ reveal }) => `chart of ${reveal}`),
  );
  assert.deepEqual(h.state("reveal"), {
    status: "stopped",
    output: "Select your prediction to continue.",
  });
  assert.deepEqual(h.state("chart"), { status: "waiting", on: "reveal", reason: "stopped" });
  assert.equal(h.html("chart"), "");
  const t = await h.update({ prediction: 3 });
  assert.deepEqual(t.runs.map((r) => r.cell), ["reveal", "chart"]);
  assert.equal(h.value("chart"), "chart of 6");
});

Deno.test("async: results arrive in order and a stale result is dropped", async () => {
  const published: number[] = [];
  const h = await runLab(
    lab({ id: "async", title: "async" })
      .input("x", () => numberInput(0))
      .cell("slow", async ({ x }) => {
        await new Promise((r) => setTimeout(r, x === 1 ? 40 : 5));
        return x;
      })
      .cell("sink", ({ slow }) => (published.push(slow), slow)),
  );
  published.length = 0;
  h.set("x", 1); // slow result (40 ms)
  await new Promise((r) => setTimeout(r, 1));
  h.set("x", 2); // fast result (5 ms) supersedes it
  await h.settled();
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(published, [2], "the stale x=1 result never reaches its reader");
  assert.equal(h.value("slow"), 2);
});

Deno.test("cleanup: onCleanup runs before a cell re-runs, with the old run's resources", async () => {
  const log: string[] = [];
  const h = await runLab(
    lab({ id: "cleanup", title: "cleanup" })
      .input("x", () => numberInput(0))
      .cell("timer", ({ x }, { onCleanup }) => {
        log.push(`start ${x}`);
        onCleanup(() => log.push(`stop ${x}`));
        return x;
      }),
  );
  await h.update({ x: 1 });
  await h.update({ x: 2 });
  h.dispose();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(log, ["start 0", "stop 0", "start 1", "stop 1", "start 2", "stop 2"]);
});

Deno.test("inputs: set by name, coerced; a bad value is refused with the input's rule", async () => {
  const h = await runLab(
    lab({ id: "in", title: "in" })
      .input("users", () => numberInput(1, 1, 64))
      .cell("double", ({ users }) => users * 2),
  );
  await h.update({ users: "8" });
  assert.equal(h.value("double"), 16);
  assert.throws(() => h.set("users", 65), /from 1 to 64/);
  assert.throws(() => h.set("nope", 1), /not an input; the inputs are: users/);
  assert.match(h.html("users"), /data-syslab-input="users".*value="8"/s);
});

Deno.test("order: cells may appear in any order in the file", async () => {
  // deno-lint-ignore no-explicit-any
  const L: any = lab({ id: "order", title: "order" });
  const h = await runLab(
    L.cell("total", ({ a, b }: { a: number; b: number }) => a + b)
      .cell("b", ({ a }: { a: number }) => a * 10)
      .input("a", () => numberInput(2)),
  );
  assert.equal(h.value("total"), 22);
});

Deno.test("hot redefine: only changed cells re-run; input values survive", async () => {
  const v1 = lab({ id: "hot", title: "hot" })
    .input("x", () => numberInput(1))
    .cell("a", ({ x }) => x + 1)
    .cell("b", ({ x }) => x + 2);
  const h = await runLab(v1);
  await h.update({ x: 5 });
  const v2 = lab({ id: "hot", title: "hot" })
    .input("x", () => numberInput(1))
    .cell("a", ({ x }) => x + 1)
    .cell("b", ({ x }) => x + 200)
    .cell("c", ({ b }) => b * 2);
  const diff = h.engine.redefine(v2);
  await h.settled();
  assert.deepEqual(diff, { changed: ["b"], added: ["c"], removed: [] });
  assert.deepEqual(h.traces.at(-1)!.runs.map((r) => r.cell).sort(), ["b", "c"]);
  assert.equal(h.value("x"), 5);
  assert.equal(h.value("c"), 410);
  // The changed cell's old variable is gone: its last report must not blank the new value.
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(h.value("b"), 205);
  assert.deepEqual(h.state("b"), { status: "ok", value: 205 });
});

Deno.test("typed scope: values keep their types across cells", async () => {
  const h = await runLab(
    lab({ id: "types", title: "types" })
      .input("n", () => numberInput(3))
      .cell("label", ({ n }) => `n=${n.toFixed(0)}`)
      .cell("len", ({ label }) => label.length),
  );
  assert.equal(h.value<number>("len"), 3);
  assert.deepEqual(ran(h).length > 0, true);
});

Deno.test("hot redefine: a changed root cell keeps its new value (the retired variable is silent)", async () => {
  const v = (k: number) =>
    lab({ id: "hot2", title: "hot2" })
      .cell("k", k === 1 ? () => 1 : () => 2)
      .show("s", ({ k }) => `k=${k}`);
  const h = await runLab(v(1));
  h.engine.redefine(v(2));
  await h.settled();
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(h.state("k"), { status: "ok", value: 2 });
  assert.equal(h.value("s"), "k=2");
});

Deno.test("call sites: captured for --check and tests; a page bundle turns capture off", async () => {
  const { skipCallSites } = await import("../../runtime/lab.ts");
  const before = lab({ id: "sites", title: "Sites" }).cell("a", () => 1);
  assert.equal(typeof before.cells[0].line, "number", "the line this test declared it on");
  skipCallSites();
  const after = lab({ id: "sites2", title: "Sites" }).cell("a", () => 1);
  skipCallSites(false);
  assert.equal(after.cells[0].line, null);
  after.cells[0].line = 12; // what the page bundle does from the source
  assert.equal(after.cells[0].line, 12);
});
