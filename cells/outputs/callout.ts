/** Callouts: the one place feedback goes (the course's Rule 3: `callout(md…)`). */
import { escapeHTML } from "../../runtime/render.ts";
import type { Kind } from "../style.ts";
import { attrs } from "../util.ts";
import { type Content, type Html, Markup } from "./html.ts";
import { mdText } from "./md.ts";

/** Options of a callout. */
export interface CalloutOptions {
  /** A bold first line. */
  title?: string;
  /** Markup drawn before the title (trusted, not escaped): an icon from `cells/icons.ts`. */
  icon?: string;
  /** Stable test hook (`data-testid`). */
  testid?: string;
  /** `alert` for failure states (announced at once); `status` by default for warn/danger. */
  role?: "alert" | "status" | "note";
}

/** A callout box of a kind (neutral, info, success, warn, danger); string content is markdown. */
export function callout(kind: Kind, body: Content, opts: CalloutOptions = {}): Html {
  const role = opts.role ?? (kind === "warn" || kind === "danger" ? "status" : "note");
  const title = opts.title
    ? `<p class="syslab-callout-title">${opts.icon ?? ""}${escapeHTML(opts.title)}</p>`
    : "";
  return new Markup().raw(
    `<div${
      attrs({ class: "syslab-callout", "data-kind": kind, role, "data-testid": opts.testid })
    }>${title}`,
  ).child(typeof body === "string" ? mdText(body) : body).raw("</div>").done();
}
