import assert from "node:assert/strict";
import {
  CycleError,
  DuplicateDefinitionError,
  lab,
  runLab,
  UndefinedReferenceError,
} from "../../runtime/mod.ts";
import { numberInput } from "../fixtures/spec.ts";

// deno-lint-ignore no-explicit-any
const untyped = (): any => lab({ id: "t", title: "t" });

Deno.test("load errors: a cycle names every cell in it; unrelated cells still run", async () => {
  const h = await runLab(
    untyped()
      .input("x", () => numberInput(2))
      .cell("a", ({ c }: { c: number }) => c)
      .cell("b", ({ a }: { a: number }) => a)
      .cell("c", ({ b }: { b: number }) => b)
      .cell("d", ({ c }: { c: number }) => c)
      .cell("free", ({ x }: { x: number }) => x * 10),
  );
  const [e] = h.engine.loadErrors;
  assert.ok(e instanceof CycleError);
  assert.deepEqual(e.cells.map((c) => c.cell).sort(), ["a", "b", "c"]);
  assert.match(e.message, /a → c → b → a|a → b → c → a|→/);
  assert.equal(h.state("a").status, "error");
  assert.deepEqual(h.state("d"), { status: "waiting", on: "c", reason: "error" });
  assert.equal(h.value("free"), 20);
  await h.update({ x: 3 });
  assert.equal(h.value("free"), 30);
});

Deno.test("load errors: a name defined twice names both cells and their lines", async () => {
  const h = await runLab(
    untyped()
      .cell("total", () => 1)
      .cell("total", () => 2)
      .cell("reader", ({ total }: { total: number }) => total),
  );
  const [e] = h.engine.loadErrors;
  assert.ok(e instanceof DuplicateDefinitionError);
  assert.equal(e.cells.length, 2);
  assert.ok(e.cells.every((c) => typeof c.line === "number"));
  assert.notEqual(e.cells[0].line, e.cells[1].line);
  assert.equal(h.state("reader").status, "waiting");
});

Deno.test("load errors: an undefined reference suggests near names; browser globals never resolve", async () => {
  (globalThis as Record<string, unknown>).status = "from the window";
  try {
    const h = await runLab(
      untyped()
        .cell("seqLen", () => 4096)
        .cell("kv", ({ seqLne }: { seqLne: number }) => seqLne)
        .cell("label", ({ status }: { status: string }) => status)
        .cell("top", ({ name }: { name: string }) => name),
    );
    const errs = h.engine.loadErrors;
    assert.ok(errs.every((e) => e instanceof UndefinedReferenceError));
    assert.deepEqual(errs.map((e) => e.cells[0].cell), ["kv", "label", "top"]);
    assert.match(errs[0].hint, /did you mean "seqLen"/);
    assert.equal(h.state("label").status, "error");
    assert.equal(h.value("seqLen"), 4096);
  } finally {
    delete (globalThis as Record<string, unknown>).status;
  }
});
