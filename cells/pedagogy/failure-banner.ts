/** The failure banner: a reversible failure state (OOM, SLO violated), announced as an alert. */
import { callout } from "../outputs/callout.ts";
import type { Content, Html } from "../outputs/html.ts";
import type { Kind } from "../style.ts";

/** Options of `failureBanner`. */
export interface FailureOptions {
  /** `danger` (default) for infeasible, `warn` for at-risk. */
  kind?: Extract<Kind, "danger" | "warn">;
  title: string;
  /** Markdown text or any content: what failed, by how much, and how to get back. */
  body: Content;
  testid?: string;
}

/** A failure banner: 🔴 title plus body in a danger callout with `role="alert"`. */
export function failureBanner(o: FailureOptions): Html {
  const kind = o.kind ?? "danger";
  return callout(kind, o.body, {
    title: `${kind === "danger" ? "🔴" : "🟠"} ${o.title}`,
    role: "alert",
    testid: o.testid ?? "failure-banner",
  });
}
