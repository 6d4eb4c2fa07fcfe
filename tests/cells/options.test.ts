/** cells/pedagogy/options (lettered mental models, the option the physics selects) and overlay feedback. */
import assert from "node:assert/strict";
import { closestOption, letterOptions, predictionOverlay } from "../../cells/mod.ts";

const pct = (x: number) => `${Math.round(x * 100)}%`;
const model = (predicted: number) => ({ predicted, text: `t${predicted}`, why: `w${predicted}` });

Deno.test("letterOptions sorts by prediction and letters A–D with the formatted number", () => {
  const opts = letterOptions([model(1), model(0.29), model(0.87), model(0.14)], pct);
  assert.deepEqual(opts.map((o) => o.value), ["A", "B", "C", "D"]);
  assert.deepEqual(opts.map((o) => o.predicted), [0.14, 0.29, 0.87, 1]);
  assert.equal(opts[1].label, "B) ≈ 29% — t0.29");
  assert.equal(opts[3].why, "w1");
});

Deno.test("letterOptions refuses three options and options that read the same", () => {
  assert.throws(() => letterOptions([model(1), model(2), model(3)], pct), /4 options, not 3/);
  assert.throws(
    () => letterOptions([model(0.5), model(0.501), model(0.9), model(1)], pct),
    /two options read the same/,
  );
});

Deno.test("closestOption compares ratios, not differences", () => {
  const opts = letterOptions([model(0.1), model(0.3), model(0.9), model(1)], pct);
  assert.equal(closestOption(opts, 0.3).value, "B");
  // 0.55 is nearer 0.3 in difference (0.25 < 0.35) but nearer 0.9 in ratio (1.64× < 1.83×).
  assert.equal(closestOption(opts, 0.55).value, "C");
  assert.equal(closestOption(opts, 0.01).value, "A");
  assert.equal(closestOption(opts, 50).value, "D");
});

Deno.test("predictionOverlay: a string feedback is markdown, as documented", () => {
  const out = predictionOverlay({ predicted: 2, actual: 3, feedback: "**Correct.** Why." }).html();
  assert.match(out, /<strong>Correct\.<\/strong> Why\./);
  assert.doesNotMatch(out, /\*\*/);
});
