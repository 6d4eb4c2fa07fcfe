/** Badges: short status labels (constraint badges `badge-ok` / `badge-fail` in the course). */
import { escapeHTML } from "../../runtime/render.ts";
import type { Kind } from "../style.ts";
import { attrs } from "../util.ts";
import { Html } from "./html.ts";

/**
 * A badge as text plus kind (and an optional icon: trusted inline SVG markup, drawn before the
 * text), or plain text (kind "info").
 */
export type BadgeSpec = string | { text: string; kind?: Kind; icon?: string };

/** One pill-shaped badge; `icon` is trusted markup (an inline SVG), not escaped. */
export function badge(text: string, kind: Kind = "info", icon = ""): Html {
  return new Html(
    `<span${attrs({ class: "syslab-badge", "data-kind": kind })}>${icon}${escapeHTML(text)}</span>`,
  );
}

/** A wrapping row of badges. */
export function badges(list: readonly BadgeSpec[]): Html {
  const items = list.map((b) => typeof b === "string" ? badge(b) : badge(b.text, b.kind, b.icon))
    .map((b) => b.html());
  return new Html(`<div class="syslab-badges">${items.join("")}</div>`);
}
