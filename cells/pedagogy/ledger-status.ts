/** `<syslab-ledger-status>`: the ledger's saved state, live ("saved 12:03 · 3 labs in ledger"). */
import { css, html, LitElement } from "lit";
import { type LedgerStatus, ledgerStore } from "../ledger/store.ts";
import { escapeHTML } from "../../runtime/render.ts";
import { defineElement, hasDOM } from "../util.ts";

/** The status line for a ledger status. */
export function ledgerStatusText(s: Pick<LedgerStatus, "savedAt" | "labs" | "error">): string {
  const n = `${s.labs} lab${s.labs === 1 ? "" : "s"} in ledger`;
  if (s.error) return `not saved: ${s.error.split("\n")[0]} · ${n}`;
  if (!s.savedAt) return `not saved yet · ${n}`;
  const t = s.savedAt.toTimeString().slice(0, 5);
  return `saved ${t} · ${n}`;
}

/**
 * Markup for the status. The light-DOM text is the status when rendered (in the page: the
 * store's; headless: "not saved yet"); the upgraded element shows the live status in its shadow
 * root and mirrors it in its `text` property.
 */
export function ledgerStatusHTML(): string {
  const text = hasDOM() ? ledgerStatusText(ledgerStore().status) : "not saved yet";
  return `<syslab-ledger-status data-testid="ledger-status">${
    escapeHTML(text)
  }</syslab-ledger-status>`;
}

/** The live status element; it follows the page's ledger store. */
export class LedgerStatusElement extends LitElement {
  static override properties = { status: { state: true } };
  static override styles = css`
    :host {
      display: inline;
    }
  `;
  declare status: LedgerStatus | null;
  #off: (() => void) | null = null;

  constructor() {
    super();
    this.status = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    const store = ledgerStore();
    this.status = store.status;
    this.#off = store.subscribe((s) => this.status = s);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  /** The status line shown now. */
  get text(): string {
    return this.status ? ledgerStatusText(this.status) : "not saved yet";
  }

  override render() {
    return html`<span role="status">${this.text}</span>`;
  }
}
defineElement("syslab-ledger-status", LedgerStatusElement);
