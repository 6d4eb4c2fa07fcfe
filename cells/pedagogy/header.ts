/** The lab header: kicker, title, subtitle, time and constraint badges (crimson left border). */
import { escapeHTML } from "../../runtime/render.ts";
import { badges, type BadgeSpec } from "../outputs/badge.ts";
import { Html } from "../outputs/html.ts";
import { attrs } from "../util.ts";

/** Options of `labHeader`. */
export interface HeaderOptions {
  title: string;
  subtitle?: string;
  /** The small line above the title ("Machine Learning Systems · Volume II · Lab 10"). */
  kicker?: string;
  /** Expected time in minutes; shown as the first badge (a clock icon and "40 min"). */
  minutes?: number;
  /** Constraint and topic badges (`{ text, kind }`, kind ok → success, fail → danger). */
  badges?: readonly BadgeSpec[];
  testid?: string;
}

/**
 * A clock drawn inline (not the "⏱" emoji, which is a box where no emoji font is installed);
 * it takes the text's colour and size, and screen readers skip it.
 */
const CLOCK_ICON = `<svg class="syslab-badge-icon" viewBox="0 0 16 16" width="1em" height="1em" ` +
  `aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="6.25" fill="none" ` +
  `stroke="currentColor" stroke-width="1.5"/><path d="M8 4.5V8l2.5 1.5" fill="none" ` +
  `stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>`;

/** The header every lab starts with. */
export function labHeader(o: HeaderOptions): Html {
  const list: BadgeSpec[] = [];
  if (o.minutes) list.push({ text: `${o.minutes} min`, kind: "neutral", icon: CLOCK_ICON });
  list.push(...(o.badges ?? []));
  return new Html(
    `<header${attrs({ class: "syslab-header", "data-testid": o.testid ?? "lab-header" })}>${
      o.kicker ? `<p class="syslab-header-kicker">${escapeHTML(o.kicker)}</p>` : ""
    }<h1>${escapeHTML(o.title)}</h1>${
      o.subtitle ? `<p class="syslab-header-subtitle">${escapeHTML(o.subtitle)}</p>` : ""
    }${list.length ? badges(list).html() : ""}</header>`,
  );
}
