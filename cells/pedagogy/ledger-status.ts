/** `<syslab-ledger-status>`: the ledger's saved state, live ("saved 12:03 · 3 labs in ledger"). */
import { css, html, LitElement } from "lit";
import { type LedgerStatus, ledgerStore } from "../ledger/store.ts";
import { defineElement } from "../util.ts";

/** The status line for a ledger status. */
export function ledgerStatusText(s: Pick<LedgerStatus, "savedAt" | "labs" | "error">): string {
  const n = `${s.labs} lab${s.labs === 1 ? "" : "s"} in ledger`;
  if (s.error) return `not saved: ${s.error.split("\n")[0]} · ${n}`;
  if (!s.savedAt) return `not saved yet · ${n}`;
  const t = s.savedAt.toTimeString().slice(0, 5);
  return `saved ${t} · ${n}`;
}

/** Markup for the status (static text until the element upgrades in the page). */
export function ledgerStatusHTML(): string {
  return `<syslab-ledger-status data-testid="ledger-status">not saved yet</syslab-ledger-status>`;
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

  override render() {
    return html`<span role="status">${
      this.status ? ledgerStatusText(this.status) : "not saved yet"
    }</span>`;
  }
}
defineElement("syslab-ledger-status", LedgerStatusElement);
