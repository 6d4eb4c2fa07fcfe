/** The failure banner: a reversible failure state (OOM, SLO violated), announced as an alert. */
import { callout } from "../outputs/callout.ts";
import type { Content, Html } from "../outputs/html.ts";
import type { Kind } from "../style.ts";
import { icon } from "../icons.ts";

/** Options of `failureBanner`. */
export interface FailureOptions {
  /** `danger` (default) for infeasible, `warn` for at-risk. */
  kind?: Extract<Kind, "danger" | "warn">;
  title: string;
  /** Markdown text or any content: what failed, by how much, and how to get back. */
  body: Content;
  testid?: string;
}

/**
 * A failure banner: a dot, the title and the body in a danger (or warn) callout with
 * `role="alert"` (the course's `🔴 **OOM — infeasible.**`, drawn so that it shows everywhere).
 */
export function failureBanner(o: FailureOptions): Html {
  const kind = o.kind ?? "danger";
  return callout(kind, o.body, {
    title: o.title,
    icon: icon("dot"), // the title's colour: the kind's, readable in both schemes
    role: "alert",
    testid: o.testid ?? "failure-banner",
  });
}
