/** Badges: short status labels (constraint badges `badge-ok` / `badge-fail` in the course). */
import { escapeHTML } from "../../runtime/render.ts";
import type { Kind } from "../style.ts";
import { attrs } from "../util.ts";
import { Html } from "./html.ts";

/** A badge as text plus kind, or plain text (kind "info"). */
export type BadgeSpec = string | { text: string; kind?: Kind };

/** One pill-shaped badge. */
export function badge(text: string, kind: Kind = "info"): Html {
  return new Html(
    `<span${attrs({ class: "syslab-badge", "data-kind": kind })}>${escapeHTML(text)}</span>`,
  );
}

/** A wrapping row of badges. */
export function badges(list: readonly BadgeSpec[]): Html {
  const items = list.map((b) => typeof b === "string" ? badge(b) : badge(b.text, b.kind)).map((b) =>
    b.html()
  );
  return new Html(`<div class="syslab-badges">${items.join("")}</div>`);
}
