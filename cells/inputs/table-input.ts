/**
 * A sortable, selectable table: the value is the selected rows. Column headers are sort buttons
 * (`aria-sort` on the header cell); each row has a checkbox (multi) or radio (single) to select it.
 * Sorting is view state only; the value keeps the rows' original order.
 */
import { css, html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { formatNumber } from "../util.ts";
import type { Row } from "../outputs/table.ts";
import { InputElement, type InputOptions, inputSpec, inputStyles, register } from "./base.ts";

/** Options of `tableInput`. */
export interface TableInputOptions<R extends Row> extends InputOptions {
  rows: readonly R[];
  /** Columns to show (default: every key of the first row). */
  columns?: readonly string[];
  /** `multi` (default) or `single` selection. */
  selection?: "single" | "multi";
  /** Initially selected rows (by identity or equal content). */
  value?: readonly R[];
}

/** The live `<syslab-table-input>`; `value` is the selected rows. */
export class TableInputElement extends InputElement<Row[]> {
  static override properties = {
    ...InputElement.properties,
    rows: { type: Array },
    columns: { type: Array },
    selection: { type: String },
    value: { type: Array },
    sortBy: { state: true },
    descending: { state: true },
  };
  static override styles = [
    inputStyles,
    css`
      table {
        border-collapse: collapse;
        margin-top: 0.3rem;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        border-bottom: 1px solid var(--syslab-border, #e2e8f0);
        padding: 0.25rem 0.6rem;
        text-align: left;
      }
      td.num {
        text-align: right;
      }
      th button {
        border: none;
        background: none;
        padding: 0;
        color: inherit;
        font-weight: 700;
      }
      tr.on td {
        background: var(--syslab-info-bg, #ebf4fa);
      }
    `,
  ];
  declare rows: Row[];
  declare columns: string[];
  declare selection: string;
  declare sortBy: string;
  declare descending: boolean;

  constructor() {
    super();
    this.rows = [];
    this.columns = [];
    this.selection = "multi";
    this.value = [];
    this.sortBy = "";
    this.descending = false;
  }

  #isSelected(r: Row): boolean {
    return this.value.some((v) => v === r || sameRow(v, r));
  }

  #toggle(e: Event, r: Row) {
    this.swallow(e);
    const on = (e.target as HTMLInputElement).checked;
    const next = this.selection === "single"
      ? (on ? [r] : [])
      : this.rows.filter((x) => x === r ? on : this.#isSelected(x));
    this.emit(next);
  }

  #sort(col: string) {
    if (this.sortBy === col) this.descending = !this.descending;
    else (this.sortBy = col, this.descending = false);
  }

  override render() {
    const cols = this.columns.length ? this.columns : Object.keys(this.rows[0] ?? {});
    const shown = [...this.rows];
    if (this.sortBy) {
      const k = this.sortBy, d = this.descending ? -1 : 1;
      shown.sort((a, b) => d * compare(a[k], b[k]));
    }
    const type = this.selection === "single" ? "radio" : "checkbox";
    return html`
      <table aria-labelledby="cap">
        <caption id="cap" class="label">${this.label}</caption>
        <thead>
          <tr><th scope="col"><span class="hint">Select</span></th>${cols.map((c) =>
            html`
              <th scope="col"
                aria-sort=${this.sortBy === c
                  ? (this.descending ? "descending" : "ascending")
                  : "none"}><button type="button" @click=${() =>
                  this.#sort(c)}>${c}${this.sortBy === c
                  ? (this.descending ? " ▼" : " ▲")
                  : ""}</button></th>
            `
          )}</tr>
        </thead>
        <tbody>${shown.map((r) => {
          const on = this.#isSelected(r);
          const name = String(r[cols[0]] ?? "");
          return html`<tr class=${on ? "on" : ""}><td><input type=${type}
            name="sel" .checked=${on} ?disabled=${this.disabled} aria-label=${`Select ${name}`}
            @change=${(e: Event) => this.#toggle(e, r)} @input=${this.swallow}></td>${
            cols.map((c) =>
              typeof r[c] === "number"
                ? html`<td class="num">${formatNumber(r[c] as number)}</td>`
                : html`<td>${String(r[c] ?? "")}</td>`
            )
          }</tr>`;
        })}</tbody>
      </table>
    `;
  }
}
register("syslab-table-input", TableInputElement);

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a ?? "").localeCompare(String(b ?? ""), "en", { numeric: true });
}

function sameRow(a: Row, b: Row): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A selectable table: `tableInput({ label, rows, columns?, selection?, value? })` → rows. */
export function tableInput<R extends Row>(o: TableInputOptions<R>): InputSpec<R[]> {
  const what = `table "${o.label}"`;
  const rows = [...o.rows];
  const coerce = (v: unknown): R[] => {
    if (!Array.isArray(v)) throw new Error(`${what}: the value is a list of rows`);
    const out = v.map((x) => {
      const hit = typeof x === "number"
        ? rows[x]
        : rows.find((r) => r === x || sameRow(r, x as Row));
      if (!hit) throw new Error(`${what}: ${JSON.stringify(x)} is not one of its rows`);
      return hit;
    });
    if (o.selection === "single" && out.length > 1) {
      throw new Error(`${what}: single selection, but ${out.length} rows were given`);
    }
    return rows.filter((r) => out.includes(r));
  };
  return inputSpec<R[]>({
    tag: "syslab-table-input",
    value: coerce(o.value ?? []),
    attributes: {
      label: o.label,
      rows,
      columns: o.columns ?? Object.keys(rows[0] ?? {}),
      selection: o.selection ?? "multi",
      disabled: o.disabled,
    },
    valueAttr: (v) => v,
    fallback: (v) => `${o.label}: ${v.length} of ${rows.length} rows selected`,
    coerce,
    testid: o.testid,
  });
}
