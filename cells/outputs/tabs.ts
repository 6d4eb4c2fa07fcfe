/**
 * Tabs as an output layout. The markup lists every panel under its own heading (each panel in its
 * own `slot="p<i>"`), so it reads well headless and before scripts run. In the page,
 * `<syslab-tabs>` upgrades it: an ARIA tab strip (arrow keys, Home/End) in its shadow root shows
 * only the selected panel's slot. The choice lives in the element, so re-renders keep it.
 */
import { css, html as lit, LitElement } from "lit";
import { escapeHTML } from "../../runtime/render.ts";
import { attrs, defineElement } from "../util.ts";
import { type Content, type Html, Markup } from "./html.ts";

/** Tab panels from a `{ title: content }` map; `value` is the first selected title. */
export function tabs(
  panels: Readonly<Record<string, Content>>,
  opts: { value?: string; testid?: string; label?: string } = {},
): Html {
  const titles = Object.keys(panels);
  const selected = Math.max(0, opts.value ? titles.indexOf(opts.value) : 0);
  const m = new Markup().raw(
    `<syslab-tabs${
      attrs({
        selected,
        titles,
        label: opts.label ?? "Views",
        "data-testid": opts.testid,
      })
    }>`,
  );
  titles.forEach((t, i) => {
    m.raw(
      `<section class="syslab-tab-panel"${attrs({ slot: `p${i}` })}><h3 class="syslab-tab-title">${
        escapeHTML(t)
      }</h3>`,
    );
    m.wrap("div", ` class="syslab-tab-body"`, panels[t]).raw("</section>");
  });
  return m.raw("</syslab-tabs>").done();
}

/** The live `<syslab-tabs>` output layout. */
export class TabsElement extends LitElement {
  static override properties = {
    selected: { type: Number },
    titles: { type: Array },
    label: { type: String },
  };
  static override styles = css`
    :host {
      display: block;
      margin: 0.5rem 0;
    }
    [role="tablist"] {
      display: flex;
      gap: 0.25rem;
      flex-wrap: wrap;
      border-bottom: 1px solid var(--syslab-border, #e2e8f0);
      margin-bottom: 0.6rem;
    }
    button {
      font: inherit;
      cursor: pointer;
      border: none;
      background: none;
      border-bottom: 3px solid transparent;
      padding: 0.4rem 0.9rem;
      font-weight: 600;
      color: var(--syslab-text-sec, #475569);
    }
    button[aria-selected="true"] {
      color: var(--syslab-primary, #006395);
      border-bottom-color: var(--syslab-primary, #006395);
    }
    button:focus-visible {
      outline: 2px solid var(--syslab-focus, #1d4ed8);
      outline-offset: 2px;
    }
  `;
  declare selected: number;
  declare titles: string[];
  declare label: string;

  constructor() {
    super();
    this.selected = 0;
    this.titles = [];
    this.label = "Views";
  }

  #select(i: number, focus: boolean) {
    this.selected = i;
    if (focus) {
      this.updateComplete.then(() =>
        this.renderRoot.querySelectorAll<HTMLButtonElement>("[role=tab]")[i]?.focus()
      );
    }
  }

  #onKey(e: KeyboardEvent) {
    const n = this.titles.length, at = this.selected;
    const to = e.key === "ArrowRight"
      ? (at + 1) % n
      : e.key === "ArrowLeft"
      ? (at - 1 + n) % n
      : e.key === "Home"
      ? 0
      : e.key === "End"
      ? n - 1
      : -1;
    if (to >= 0) (e.preventDefault(), this.#select(to, true));
  }

  override render() {
    const at = Math.min(Math.max(0, this.selected), this.titles.length - 1);
    return lit`<div role="tablist" aria-label=${this.label} @keydown=${this.#onKey}>${
      this.titles.map((t, i) =>
        lit`<button type="button" role="tab" id="tab${i}" aria-selected=${String(i === at)}
          aria-controls="panel" tabindex=${i === at ? 0 : -1}
          @click=${() => this.#select(i, false)}>${t}</button>`
      )
    }</div><div role="tabpanel" id="panel" aria-labelledby=${`tab${at}`}><slot name=${`p${at}`}
    ></slot></div>`;
  }
}
defineElement("syslab-tabs", TabsElement);
