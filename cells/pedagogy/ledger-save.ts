/**
 * `ledgerSave({ lab, entry })`: saves this lab's entry to the design ledger whenever it changes
 * (the cell re-runs when what it reads changes), shows what was recorded, and offers export
 * (download JSON) and import (merge a JSON file). Headless it renders the entry as a table.
 */
import { css, html, LitElement } from "lit";
import { escapeHTML, type Renderable } from "../../runtime/render.ts";
import { type EntryInput, makeEntry } from "../ledger/merge.ts";
import { LAB_ID } from "../ledger/schema.ts";
import { ledgerStore } from "../ledger/store.ts";
import { inputStyles } from "../inputs/base.ts";
import { attrs, defineElement } from "../util.ts";
import { ledgerStatusText } from "./ledger-status.ts";

/** Options of `ledgerSave`. */
export interface LedgerSaveOptions {
  /** The lab id (the ledger key). */
  lab: string;
  entry: EntryInput;
  testid?: string;
}

function rows(entry: EntryInput): Array<[string, string]> {
  const out: Array<[string, string]> = [["context", entry.context]];
  const add = (k: string, v: unknown) => {
    if (v !== undefined && v !== null) out.push([k, String(v)]);
  };
  add("act1_prediction", entry.act1_prediction);
  add("act1_correct", entry.act1_correct);
  add("act2_result", entry.act2_result);
  add("act2_decision", entry.act2_decision);
  add("constraint_hit", entry.constraint_hit);
  for (const [k, v] of Object.entries(entry.predictions ?? {})) add(k, v);
  for (const [k, v] of Object.entries(entry.decisions ?? {})) add(k, v);
  return out;
}

/** The lab's current attempt in the page's ledger (0 before any "start over"). */
function attemptOf(lab: string): number {
  return ledgerStore().ledger.labs[lab]?.attempt ?? 0;
}

/** The ledger-save widget (a Renderable; the page upgrades it to `<syslab-ledger-save>`). */
export function ledgerSave(o: LedgerSaveOptions): Renderable {
  if (!LAB_ID.test(o.lab)) throw new Error(`ledgerSave: "${o.lab}" is not a valid lab id`);
  makeEntry(o.entry); // validates now, so a bad entry is this cell's error, headless too
  const list = rows(o.entry).map(([k, v]) =>
    `<tr><th scope="row">${escapeHTML(k)}</th><td>${escapeHTML(v)}</td></tr>`
  ).join("");
  const markup = `<syslab-ledger-save${
    attrs({ lab: o.lab, entry: o.entry, "data-testid": o.testid ?? "ledger-save" })
  }><div class="syslab-ledger"><strong>Design ledger · ${
    escapeHTML(o.lab)
  }</strong><table class="syslab-table"><tbody>${list}</tbody></table></div></syslab-ledger-save>`;
  return { html: () => markup };
}

/** How long the widget waits before writing a changed entry (storage and the dev server). */
export const SAVE_DELAY_MS = 250;

/** The live widget: saves on connect and when its entry changes; export and import. */
export class LedgerSaveElement extends LitElement {
  static override properties = {
    lab: { type: String },
    entry: { type: Object },
    status: { state: true },
    message: { state: true },
  };
  static override styles = [
    inputStyles,
    css`
      :host {
        display: block;
        border: 1px solid var(--syslab-border, #e2e8f0);
        border-radius: var(--syslab-radius-md, 12px);
        padding: 0.8rem 1.1rem;
        margin: 1rem 0;
      }
      .head {
        justify-content: space-between;
      }
      th {
        text-align: left;
        padding-right: 1rem;
        color: var(--syslab-text-sec, #475569);
      }
      .file {
        position: relative;
      }
      .file input {
        position: absolute;
        inset: 0;
        opacity: 0;
        cursor: pointer;
      }
    `,
  ];
  declare lab: string;
  declare entry: EntryInput | null;
  declare status: string;
  declare message: string;
  #off: (() => void) | null = null;
  #saved = "";
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The lab's attempt when the entry shown was set. */
  #attempt = 0;
  #flush = () => this.#save();

  constructor() {
    super();
    this.lab = "";
    this.entry = null;
    this.status = "not saved yet";
    this.message = "";
  }

  override connectedCallback() {
    super.connectedCallback();
    const store = ledgerStore();
    this.status = ledgerStatusText(store.status);
    this.#off = store.subscribe((s) => this.status = ledgerStatusText(s));
    addEventListener("pagehide", this.#flush);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
    removeEventListener("pagehide", this.#flush);
    this.#save();
  }

  /** Saves at most every SAVE_DELAY_MS while a slider moves (the last entry always lands). */
  override updated() {
    this.#attempt = attemptOf(this.lab);
    if (this.#timer === null) this.#timer = setTimeout(this.#flush, SAVE_DELAY_MS);
  }

  #save() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const key = JSON.stringify([this.lab, this.entry]);
    if (!this.entry || !this.lab || key === this.#saved) return;
    // An entry shown before "start this lab over" belongs to the earlier attempt: flushed after
    // it (the reload's pagehide), it would write the old try's records into the new one.
    if (attemptOf(this.lab) > this.#attempt) return;
    this.#saved = key;
    ledgerStore().save(this.lab, this.entry).catch((e) => this.message = (e as Error).message);
  }

  #export() {
    const blob = new Blob([ledgerStore().exportJSON()], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "syslab-design-ledger.json";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async #import(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const l = await ledgerStore().import(await file.text());
      this.message = `Imported: ${Object.keys(l.labs).length} labs in ledger.`;
    } catch (err) {
      this.message = (err as Error).message;
    }
    input.value = "";
  }

  override render() {
    const r = this.entry ? rows(this.entry) : [];
    return html`
      <div class="row head"><strong>Design ledger · ${this.lab}</strong>
              <span role="status" data-testid="ledger-save-status">${this.status}</span></div>
      <table>
        <tbody>${r.map(([k, v]) =>
          html`
            <tr>
              <th scope="row">${k}</th>
              <td>${v}</td>
            </tr>
          `
        )}</tbody>
      </table>
      <div class="row">
        <button type="button" @click=${this
          .#export} data-testid="ledger-export">Export ledger (JSON)</button>
        <label class="file"><button type="button" tabindex="-1" aria-hidden="true">Import ledger…</button>
                <input type="file" accept="application/json,.json" aria-label="Import ledger (JSON file)"
                  data-testid="ledger-import" @change=${this.#import}></label>
        <span class="hint" role="status">${this.message}</span>
      </div>
    `;
  }
}
defineElement("syslab-ledger-save", LedgerSaveElement);
