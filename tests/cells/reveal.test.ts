/** cells/acts/reveal: the ratio's verdict agrees with the grade (a close wrong pick is not "calibrated"). */
import assert from "node:assert/strict";
import { revealCallout } from "../../cells/acts/reveal.ts";

const reveal = (correct: boolean, predicted: number, actual: number) =>
  revealCallout({
    correct,
    compare: { predicted, actual, format: (n) => `${n}%` },
    pick: "B",
    body: [],
    testid: "r",
  }).html();

Deno.test("reveal: a right pick within 30 % is well calibrated", () => {
  const h = reveal(true, 70, 72.6);
  assert.match(h, /well calibrated/);
  assert.match(h, /correct/);
});

Deno.test("reveal: a wrong pick within 30 % says another option is nearer, not calibrated", () => {
  const h = reveal(false, 100, 72.6);
  assert.doesNotMatch(h, /well calibrated/);
  assert.match(h, /another option is nearer/);
  assert.match(h, /not quite/);
});

Deno.test("reveal: far picks, right or wrong, say they are off", () => {
  assert.match(reveal(true, 10, 72.6), /the nearest option, though off by more than 30%/);
  assert.match(reveal(false, 10, 72.6), /off by more than 30%/);
  assert.doesNotMatch(reveal(false, 10, 72.6), /nearest option/);
});
