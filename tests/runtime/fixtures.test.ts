/** Every broken fixture gives a named, actionable error under --check; the good one passes. */
import assert from "node:assert/strict";
import { checkLab } from "../../runtime/check.ts";

const F = "tests/fixtures/broken";
const check = (name: string, typecheck = false) =>
  checkLab(`${F}/${name}.ts`, { typecheck, timeoutMs: 300 });

Deno.test("fixture cycle → CycleError naming a, b, c", async () => {
  const [line, ...rest] = await check("cycle");
  assert.equal(rest.length, 0);
  assert.match(line, /^CycleError in cell "a" \(line 8\).*"c".*"b".*a → c → b → a — /);
});

Deno.test("fixture duplicate → DuplicateDefinitionError naming both lines", async () => {
  assert.deepEqual(await check("duplicate"), [
    'DuplicateDefinitionError in cell "total" (line 6), cell "total" (line 7): "total" is defined by 2 cells — every name has one defining cell: rename one, or merge the cells',
  ]);
});

Deno.test("fixture undefined reference → near match; `status` is not the window's", async () => {
  const lines = await check("undefined-ref");
  assert.equal(lines.length, 2);
  assert.match(
    lines[0],
    /UndefinedReferenceError in cell "kv" \(line 9\).*did you mean "seqLen"\?/,
  );
  assert.match(lines[1], /cell "label" \(line 10\): reads "status", which no cell defines/);
});

Deno.test("fixture throwing cell and rejected promise → errors in place with lines", async () => {
  assert.deepEqual(await check("throwing"), [
    'CellRuntimeError in cell "boom" (line 6): capacity must be positive (thrown at line 7)',
    'CellRuntimeError in cell "rejected" (line 11): RangeError: no GPU holds 1 users (thrown at line 13)',
  ]);
});

Deno.test("fixture syntax error → LabModuleError with the line", async () => {
  const [line] = await check("syntax-error");
  assert.match(
    line,
    /^LabModuleError in the lab file \(line 6\): SyntaxError: Expression expected/,
  );
});

Deno.test("fixture type error → the TS error with its line (deno check)", async () => {
  const lines = await check("type-error", true);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^TypeError \(TS2362\) in type-error\.ts line 7: The left-hand side/);
});

Deno.test("fixture never settles → only the stuck cell is named; the rest ran", async () => {
  const lines = await check("never-settles");
  assert.deepEqual(lines.length, 1);
  assert.match(
    lines[0],
    /CellTimeoutError in cell "forever" \(line 6\): did not settle within 300 ms; "waits" wait on it/,
  );
});

Deno.test("CLI: --check exits 1 on a broken lab and 0 on a good one", async () => {
  const run = (path: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "runtime/cli/lab.ts", path, "--check"],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const [bad, good] = await Promise.all([run(`${F}/cycle.ts`), run("tests/fixtures/labs/good.ts")]);
  assert.equal(bad.code, 1);
  assert.match(new TextDecoder().decode(bad.stdout), /CycleError/);
  assert.equal(good.code, 0, new TextDecoder().decode(good.stdout));
});

Deno.test("CLI: an unknown lab id names near matches, with no empty 'in' clause", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "runtime/cli/lab.ts", "gallary", "--check"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.notEqual(out.code, 0);
  // One edit from gallery, far from every other id (a number like 99 is near many v2-NN labs).
  assert.match(text, /LabModuleError: no lab "gallary"; did you mean gallery\?/);
  assert.doesNotMatch(text, / in :/);
});
