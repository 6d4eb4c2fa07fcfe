/**
 * The leak check: it names the cell and the value of a lab that shows an act's answer before its
 * commit, and passes every shipped lab with acts (which `deno task lab <id> --check` also runs).
 */
import assert from "node:assert/strict";
import { checkLab } from "../../runtime/check.ts";
import { describeLeak, leakCheck, leakPatterns, plainText } from "../../runtime/leak-check.ts";
import { importLab, labIds } from "../../runtime/mod.ts";
import { renderAhead } from "../../export/ahead.ts";

Deno.test("leak check: a fixture that prints the answer above its lock fails, naming cell and value", async () => {
  const lines = await checkLab("tests/fixtures/leaky/answer-in-intro.ts", { typecheck: false });
  assert.deepEqual(lines, [
    'LeakError in cell "act1Intro": shows "131,072" before act1 is committed (the act\'s answer); move it behind the lock',
  ]);
});

Deno.test("leak check: numbers match as displayed, not inside other numbers", () => {
  const [full, bare] = leakPatterns("318 users");
  assert.equal(bare.text, "318");
  assert.ok(full.re.test("fits 318 users"));
  assert.ok(bare.re.test("max users 318."));
  for (const other of ["3,318 users", "1318", "3.18", "318,000", "31.8"]) {
    assert.ok(!bare.re.test(other), other);
  }
  assert.equal(leakPatterns("2 users").length, 1, "a one-digit number alone is never checked");
  assert.equal(plainText("<p>a&#39;b <mn>1</mn>&amp;<annotation>x</annotation></p>"), "a'b 1 &");
});

Deno.test("leak check: every shipped lab with acts passes, in every context, its export data too", async () => {
  let checked = 0;
  for (const id of labIds()) {
    const def = await importLab(id);
    if (!(def as { acts?: unknown[] }).acts?.length) continue;
    // The exporter's renders-ahead (specs, markdown, drawings) are checked as the page is.
    const leaks = await leakCheck(def, {
      ahead: async (d) => plainText(JSON.stringify(await renderAhead(d))),
    });
    assert.deepEqual(leaks.map(describeLeak), [], id);
    checked++;
  }
  assert.ok(checked >= 2, `${checked} labs with acts`);
});

Deno.test("leak check: a distractor 100× off the answer is named (it gives the answer away)", async () => {
  const { lab } = await import("../../runtime/mod.ts");
  const { choicePrediction } = await import("../../cells/mod.ts");
  const def = lab({ id: "far", title: "far" }).act("a1", {
    title: "Act I",
    prediction: () =>
      choicePrediction({
        question: "How many?",
        options: [
          { text: "right", predicted: 100, why: "." },
          { text: "half", predicted: 50, why: "." },
          { text: "double", predicted: 200, why: "." },
          { text: "absurd", predicted: 10_000, why: "." },
        ],
        answer: 100,
      }),
  }, (a) => a.reveal());
  const lines = (await leakCheck(def)).map(describeLeak);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^DistractorError in cell "a1Lock": option "[A-D]\) ≈ 10,000 — absurd"/);
});
