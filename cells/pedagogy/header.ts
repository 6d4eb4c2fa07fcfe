/** The lab header: kicker, title, subtitle, time and constraint badges (crimson left border). */
import { escapeHTML } from "../../runtime/render.ts";
import { badges, type BadgeSpec } from "../outputs/badge.ts";
import { Html } from "../outputs/html.ts";
import { attrs } from "../util.ts";
import { icon } from "../icons.ts";

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

/** The header every lab starts with. */
export function labHeader(o: HeaderOptions): Html {
  const list: BadgeSpec[] = [];
  if (o.minutes) list.push({ text: `${o.minutes} min`, kind: "neutral", icon: icon("clock") });
  list.push(...(o.badges ?? []));
  return new Html(
    `<header${attrs({ class: "syslab-header", "data-testid": o.testid ?? "lab-header" })}>${
      o.kicker ? `<p class="syslab-header-kicker">${escapeHTML(o.kicker)}</p>` : ""
    }<h1>${escapeHTML(o.title)}</h1>${
      o.subtitle ? `<p class="syslab-header-subtitle">${escapeHTML(o.subtitle)}</p>` : ""
    }${list.length ? badges(list).html() : ""}</header>`,
  );
}
