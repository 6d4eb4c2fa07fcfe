/**
 * The math peek: a closed accordion "📐 The governing equation" (the course's Rule 10), its set
 * square drawn as an icon so that it shows everywhere.
 */
import { accordion } from "../outputs/accordion.ts";
import { icon } from "../icons.ts";
import type { Content, Html } from "../outputs/html.ts";

/** The default title of a math peek. */
export const MATH_PEEK_TITLE = "The governing equation";

/** `mathPeek(content)` or `mathPeek(title, content)`; string content is markdown with math. */
export function mathPeek(content: Content): Html;
export function mathPeek(title: string, content: Content): Html;
export function mathPeek(a: Content, b?: Content): Html {
  const [title, body] = b === undefined ? [MATH_PEEK_TITLE, a] : [String(a), b];
  return accordion([{ title, content: body, icon: icon("set-square") }], { testid: "math-peek" });
}
