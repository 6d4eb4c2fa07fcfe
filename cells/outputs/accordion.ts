/** Accordion: collapsible sections as native `<details>` (keyboard and screen-reader ready). */
import { escapeHTML } from "../../runtime/render.ts";
import { attrs } from "../util.ts";
import { type Content, type Html, Markup } from "./html.ts";
import { mdText } from "./md.ts";

/** One section of an accordion. */
export interface Section {
  title: string;
  content: Content;
  open?: boolean;
  /** Markup drawn before the title (trusted, not escaped): an icon from `cells/icons.ts`. */
  icon?: string;
}

/** Sections from a `{ title: content }` map or a list; string content is markdown. */
export function accordion(
  sections: Readonly<Record<string, Content>> | readonly Section[],
  opts: { testid?: string } = {},
): Html {
  const list: Section[] = Array.isArray(sections)
    ? [...sections as readonly Section[]]
    : Object.entries(sections).map(([title, c]) => ({ title, content: c as Content }));
  const m = new Markup().raw(
    `<div${attrs({ class: "syslab-accordion", "data-testid": opts.testid })}>`,
  );
  for (const s of list) {
    m.raw(
      `<details${attrs({ open: s.open ?? false })}><summary>${s.icon ?? ""}${
        escapeHTML(s.title)
      }</summary>`,
    );
    m.wrap(
      "div",
      ` class="syslab-accordion-body"`,
      typeof s.content === "string" ? mdText(s.content) : s.content,
    );
    m.raw("</details>");
  }
  return m.raw("</div>").done();
}
