/**
 * Shared by the course labs' headless tests: the prediction-lock checks every two-act lab makes —
 * the option nearest the physics, nothing of an act shown before its commit, every letter graded
 * (exactly one correct), and a commit final.
 */
import assert from "node:assert/strict";
import type { HeadlessLab } from "../../runtime/mod.ts";
import type { ActGrade, ActPrediction } from "../../runtime/act.ts";
import type { OptionModel } from "../../cells/mod.ts";
import { plainText } from "./_render.ts";

/** The letters of an act's four options. */
export const LETTERS = ["A", "B", "C", "D"];

/** The option nearest `answer` on a log scale (least |ln(predicted / answer)|, first on a tie). */
export function nearestOption(options: OptionModel[], answer: number): OptionModel {
  let best = options[0], d = Infinity;
  for (const o of options) {
    const e = Math.abs(Math.log(o.predicted! / answer));
    if (e < d) [best, d] = [o, e];
  }
  return best;
}

/** The text of the option nearest `answer` on a log scale ({@link nearestOption}). */
export function nearestText(options: OptionModel[], answer: number): string {
  return nearestOption(options, answer).text;
}

/** An act's name in the summary's HUD: "I" for `act1`, "II" for `act2`. */
export function actNumeral(act: string): string {
  return act === "act1" ? "I" : "II";
}

/**
 * Brings `h` back to act `act` open in `context`: every lock released, the context set, and for
 * `act2` act 1 committed with "A" (which opens act 2's lock).
 */
export async function reopenAct(h: HeadlessLab, context: string, act: string): Promise<void> {
  h.startOver();
  await h.settled();
  await h.update({ context });
  if (act === "act2") await h.update({ act1Lock: "A" });
}

/** Before act `act`'s commit: the HUD says it is OPEN and each of `gated` is still waiting. */
export function assertActOpen(h: HeadlessLab, act: string, gated: string[]): void {
  assert.match(plainText(h.html("summary")), new RegExp(`Act ${actNumeral(act)} OPEN`));
  for (const cell of gated) assert.equal(h.state(cell).status, "waiting");
}

/** No cell but act `act`'s lock and prediction shows `shown` (the answer as the lab prints it). */
export function assertNotShown(h: HeadlessLab, shown: string, act: string): void {
  for (const { cell, html } of h.htmlAll()) {
    if (cell === `${act}Lock` || cell === `${act}Prediction`) continue;
    assert.ok(!plainText(html).includes(shown), `${cell} leaks ${shown}`);
  }
}

/** What {@link assertActGraded} checks. */
export interface ActCheck {
  /** The act's id: its lock is `<act>Lock`, its prediction `<act>Prediction`. */
  act: string;
  /** The option text the one correct grade must show (computed from core by the test). */
  want: string;
  /** The clean check after each commit (`assertClean` or `assertCleanText` of `_clean.ts`). */
  clean: (h: HeadlessLab, where: string) => void;
  /** Checks of the page while the act is open: after its grades are read, before any commit. */
  whileOpen?: () => void;
}

/**
 * With act `c.act` open in `h`: every letter is graded by the act's prediction, exactly one
 * correct, and it shows `c.want`. Then each letter, committed from a fresh start
 * ({@link reopenAct}), leaves the lab clean and the HUD saying CORRECT or WRONG as graded; last, a
 * wrong commit reads WRONG and a second commit (the right letter) throws InputLockedError.
 */
export async function assertActGraded(h: HeadlessLab, context: string, c: ActCheck): Promise<void> {
  const pred = h.value<ActPrediction<ActGrade>>(`${c.act}Prediction`);
  const grades = LETTERS.map((l) => ({ l, g: pred.grade(l) }));
  const right = grades.filter(({ g }) => g.correct);
  assert.equal(right.length, 1, `${c.act}: exactly one correct`);
  assert.ok(right[0].g.shown.includes(c.want), `${c.act}: correct is "${c.want}"`);
  const wrong = grades.find(({ g }) => !g.correct)!;
  c.whileOpen?.();
  const name = actNumeral(c.act);
  for (const { l, g } of grades) {
    await reopenAct(h, context, c.act);
    await h.update({ [`${c.act}Lock`]: l });
    c.clean(h, `${context} ${c.act} ${l}`);
    const hud = plainText(h.html("summary"));
    assert.match(hud, new RegExp(`Act ${name} ${g.correct ? "CORRECT" : "WRONG"}`));
  }
  await reopenAct(h, context, c.act);
  await h.update({ [`${c.act}Lock`]: wrong.l });
  assert.match(plainText(h.html("summary")), new RegExp(`Act ${name} WRONG`));
  assert.throws(() => h.set(`${c.act}Lock`, right[0].l), { name: "InputLockedError" });
}
