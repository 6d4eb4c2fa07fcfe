/** The stakeholder message card: "Incoming message · <persona>" and their quote. */
import { escapeHTML } from "../../runtime/render.ts";
import { Html } from "../outputs/html.ts";
import { attrs } from "../util.ts";

/** Options of `stakeholder`. */
export interface StakeholderOptions {
  persona: string;
  /** Their role or team, shown after the persona. */
  role?: string;
  quote: string;
  testid?: string;
}

/** A message from a stakeholder that frames the act's question. */
export function stakeholder(o: StakeholderOptions): Html {
  const by = o.role ? `${o.persona}, ${o.role}` : o.persona;
  return new Html(
    `<aside${
      attrs({
        class: "syslab-stakeholder",
        "aria-label": `Message from ${by}`,
        "data-testid": o.testid,
      })
    }><p class="syslab-stakeholder-byline">Incoming message · ${escapeHTML(by)}</p><blockquote>“${
      escapeHTML(o.quote)
    }”</blockquote></aside>`,
  );
}
