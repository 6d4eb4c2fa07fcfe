/**
 * "Start this lab over": the one way to release a lab's committed predictions. After a confirm
 * dialog it clears the lab's commits (the ledger entry's next attempt) and its kept inputs, then
 * reloads the page. Headless it is an inert button.
 *
 * @module
 */
import { css, html, LitElement } from "lit";
import { commitStoreFor } from "../../runtime/commits.ts";
import type { Renderable } from "../../runtime/render.ts";
import { inputStyles } from "../inputs/base.ts";
import { attrs, defineElement } from "../util.ts";

/** The question the confirm dialog asks. */
export const START_OVER_CONFIRM =
  "Start this lab over? Your committed predictions for this lab are cleared, and you answer every lock again.";

/** The start-over control for `lab` (a Renderable; the page upgrades it). */
export function startOver(lab: string): Renderable {
  const markup = `<syslab-start-over${
    attrs({ lab, "data-testid": "start-over" })
  }><button type="button" class="syslab-start-over">Start this lab over</button></syslab-start-over>`;
  return { html: () => markup };
}

/** The live `<syslab-start-over>`. */
export class StartOverElement extends LitElement {
  static override properties = { lab: { type: String } };
  static override styles = [
    inputStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
    `,
  ];
  declare lab: string;

  constructor() {
    super();
    this.lab = "";
  }

  async #click() {
    if (!confirm(START_OVER_CONFIRM)) return;
    // Wait until the new attempt is stored (localStorage, the IndexedDB copy, the dev server's
    // file): a reload at once could start from storage that does not hold it yet.
    await commitStoreFor(this.lab)?.clear();
    try {
      sessionStorage.removeItem(`syslab.inputs:${this.lab}`);
    } catch { /* no session storage: nothing kept */ }
    location.reload();
  }

  override render() {
    return html`<button type="button" @click=${this.#click}>Start this lab over</button>`;
  }
}
defineElement("syslab-start-over", StartOverElement);
