/**
 * Reflection: a structured question (an input, `null` until answered) and its per-option
 * feedback (`reflectionFeedback`), success for the correct option and warn otherwise.
 */
import type { InputSpec, InputView } from "../../runtime/input.ts";
import { radio } from "../inputs/radio.ts";
import { callout } from "../outputs/callout.ts";
import type { Content, Html } from "../outputs/html.ts";
import { choices, type Options, type OptionValue } from "../util.ts";

/** A reflection question: options, the feedback for each, and which is correct. */
export interface ReflectionConfig<T extends OptionValue = OptionValue> {
  question: string;
  options: Options<T>;
  /** Feedback per option value (markdown or content). */
  feedback: Readonly<Record<string, Content>>;
  correct: T;
  testid?: string;
}

/** The spec of a reflection input; it remembers its config for `reflectionFeedback`. */
export interface ReflectionSpec<T extends OptionValue> extends InputSpec<T | null> {
  readonly config: ReflectionConfig<T>;
}

/** The reflection question as an input (value `null` until the student answers). */
export function reflection<T extends OptionValue>(c: ReflectionConfig<T>): ReflectionSpec<T> {
  const what = `reflection "${c.question}"`;
  const list = choices(c.options, what);
  if (!list.some((o) => Object.is(o.value, c.correct))) {
    throw new Error(`${what}: the correct answer ${JSON.stringify(c.correct)} is not an option`);
  }
  const missing = list.filter((o) => !(String(o.value) in c.feedback)).map((o) => o.value);
  if (missing.length) {
    throw new Error(`${what}: no feedback for ${missing.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  const spec = radio<T>({
    label: c.question,
    options: list,
    inline: false,
    testid: c.testid,
  });
  return { ...spec, config: c };
}

/** The default prompt before a reflection is answered. */
export const REFLECTION_PROMPT = "Select your answer to continue.";

/**
 * The feedback for `answer`: a success callout for the correct option, warn for the others, and
 * a prompt while unanswered. `source` is the config, the spec, or the input's `$name` view.
 */
export function reflectionFeedback<T extends OptionValue>(
  source: ReflectionConfig<T> | ReflectionSpec<T> | InputView<T | null>,
  answer: T | null | undefined,
): Html {
  const c = "config" in source
    ? source.config
    : "spec" in source
    ? (source.spec as ReflectionSpec<T>).config
    : source;
  if (!c) throw new Error("reflectionFeedback: pass the reflection's config, spec or $view");
  if (answer === null || answer === undefined) {
    return callout("neutral", REFLECTION_PROMPT, { testid: "reflection-feedback" });
  }
  const right = Object.is(answer, c.correct);
  return callout(right ? "success" : "warn", c.feedback[String(answer)], {
    title: right ? "Correct" : "Not quite",
    testid: "reflection-feedback",
  });
}
