/**
 * `--check` and `export` run lab code sandboxed (issue 17): a cell looping synchronously is
 * stopped and named (before: both hung for good), a lab cannot write outside (before: it wrote
 * anywhere), and sizes over budget are warnings with the measured size.
 */
import assert from "node:assert/strict";
import { checkLabReport } from "../../runtime/check.ts";
import { approxBytes, BUDGETS } from "../../runtime/size.ts";
import { exportSizeWarning } from "../../export/single-file.ts";

const F = "tests/fixtures/broken";
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs a CLI; a hang fails the test after 60 s instead of hanging `deno task test`. */
async function cli(args: string[]) {
  const ac = new AbortController();
  const guard = setTimeout(() => ac.abort(), 60_000);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...args],
      stdout: "piped",
      stderr: "piped",
      signal: ac.signal,
    }).output();
    return { code: out.code, text: dec(out.stdout) + dec(out.stderr) };
  } finally {
    clearTimeout(guard);
  }
}

Deno.test("--check: `while (true) {}` in a cell → exit 1 naming the cell; other cells reported", async () => {
  const { code, text } = await cli([
    "runtime/cli/lab.ts",
    `${F}/spins.ts`,
    "--check",
    "--timeout",
    "1000",
  ]);
  assert.equal(code, 1, text);
  assert.match(
    text,
    /CellTimeoutError in cell "spin" \(line 6\): ran for more than 1000 ms without returning/,
  );
  assert.match(text, /CellRuntimeError in cell "boom" \(line 11\): RangeError: boom is still/);
  assert.doesNotMatch(text, /"waits"|"fine"|skipped/, "cells waiting on it are not errors");
});

Deno.test("export: `while (true) {}` in a cell → exit 1 naming the cell, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/spins.html`;
    const { code, text } = await cli([
      "export/cli.ts",
      `${F}/spins.ts`,
      "--out",
      out,
      "--timeout",
      "1000",
    ]);
    assert.equal(code, 1, text);
    assert.match(text, /CellTimeoutError in cell "spin" \(line 6\): ran for more than 1000 ms/);
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--check: a lab writing outside the project fails with a permission error", async () => {
  const target = new URL("../../../x", import.meta.url); // "../x" from the project root
  const existed = await Deno.stat(target).then(() => true, () => false);
  const { problems } = await checkLabReport(`${F}/writes-outside.ts`, { typecheck: false });
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(
    problems[0],
    /^CellRuntimeError in cell "escape" \(line 6\): NotCapable: Requires write access to "\.\.\/x"/,
  );
  if (!existed) await assert.rejects(() => Deno.stat(target), Deno.errors.NotFound);
});

Deno.test("--check: a cell value over budget is a warning with its measured size, not an error", async () => {
  const { problems, warnings } = await checkLabReport(`${F}/huge-value.ts`, { typecheck: false });
  assert.deepEqual(problems, []);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /^SizeWarning in cell "big" \(line 6\): its value holds about 24\.0 MB, over the 16\.0 MB budget/,
  );
});

Deno.test("approxBytes: 8 B a slot, 2 B a character, typed arrays by size, shared once, capped", () => {
  assert.equal(approxBytes(1), 8);
  assert.equal(approxBytes(Array.from({ length: 1000 }, (_, i) => i)), 8000);
  assert.equal(approxBytes("abcd"), 16 + 8);
  assert.equal(approxBytes(new Float64Array(100)), 800);
  const shared = new Float64Array(100);
  assert.equal(approxBytes([shared, shared]), 16 + 800);
  assert.equal(approxBytes({ ab: 1 }), 8 + 4);
  const huge = new Array(1e6).fill(0);
  assert.ok(approxBytes(huge, 1000) > 1000);
});

Deno.test("export: a page over its budget gets a warning with its size", () => {
  assert.equal(exportSizeWarning(BUDGETS.exportFile), null);
  assert.match(
    exportSizeWarning(141_000_000) ?? "",
    /^SizeWarning: the exported page is 141\.0 MB, over the 8\.0 MB budget/,
  );
});
