/** cells/pedagogy/options: the option the physics selects is the nearest on a log scale. */
import assert from "node:assert/strict";
import { closestOption } from "../../cells/mod.ts";

const opts = [0.1, 0.3, 0.9, 1].map((predicted, i) => ({ predicted, value: "ABCD"[i] }));

Deno.test("closestOption compares ratios, not differences", () => {
  assert.equal(closestOption(opts, 0.3).value, "B");
  // 0.55 is nearer 0.3 in difference (0.25 < 0.35) but nearer 0.9 in ratio (1.64× < 1.83×).
  assert.equal(closestOption(opts, 0.55).value, "C");
  assert.equal(closestOption(opts, 0.01).value, "A");
  assert.equal(closestOption(opts, 50).value, "D");
  assert.throws(() => closestOption([], 1), /no options/);
});
