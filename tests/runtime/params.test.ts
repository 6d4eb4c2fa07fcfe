import assert from "node:assert/strict";
import { referencedNames } from "../../runtime/params.ts";

Deno.test("params: destructured names, in order", () => {
  assert.deepEqual(
    referencedNames(({ model, seqLen }: { model: 1; seqLen: 2 }) => [model, seqLen]),
    [
      "model",
      "seqLen",
    ],
  );
});

Deno.test("params: minified, renamed, defaulted, nested and quoted forms", () => {
  const cases: Array<[string, string[]]> = [
    ["({model:e,seqLen:t})=>e+t", ["model", "seqLen"]],
    ["async ({ a, b = { x: [1, 2] }, c: { d } }) => a", ["a", "b", "c"]],
    ["function ({ a /* , fake */, b = ')' }) { return a }", ["a", "b"]],
    ["async function named({ a, 'b': x }) {}", ["a", "b"]],
    ["({ a, b = `${'}'}` }) => a", ["a", "b"]],
    ["() => 1", []],
    ["_ => 1", []],
    ["({}) => 1", []],
    ["async /* ( */ ({ a // ) {\n, b }) => a", ["a", "b"]],
    ["/* lead */ ({ a }) => { /* ({ fake }) */ return a; }", ["a"]],
    ["function f /* ( */ ({ a }) {}", ["a"]],
  ];
  for (const [src, want] of cases) {
    const fn = new Function(`return ${src}`)();
    assert.deepEqual(referencedNames(fn), want, src);
  }
});

Deno.test("params: shapes that hide references are refused with a fix", () => {
  for (const src of ["(scope) => scope.a", "({ a, ...rest }) => rest", "({ [k]: v }) => v"]) {
    const fn = new Function("k", `return ${src}`)("a");
    assert.throws(() => referencedNames(fn), /destructured|rest|computed/, src);
  }
});
