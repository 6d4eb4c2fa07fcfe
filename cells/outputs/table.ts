/** A data table output (also the "show as table" view of a chart). */
import { escapeHTML } from "../../runtime/render.ts";
import { attrs, formatNumber } from "../util.ts";
import { Html } from "./html.ts";

/** A row of data. */
export type Row = Readonly<Record<string, unknown>>;

/** A column: a field name, or a field with a title and a formatter. */
export type Column = string | { field: string; title?: string; format?: (v: unknown) => string };

/** Options of a table. */
export interface TableOptions {
  columns?: readonly Column[];
  caption?: string;
  /** Show at most this many rows (default 500); the rest are counted in a last row. */
  maxRows?: number;
  testid?: string;
}

/** Columns given, or the union of the rows' keys in first-seen order. */
export function columnsOf(rows: readonly Row[], given?: readonly Column[]): Column[] {
  if (given?.length) return [...given];
  const seen = new Set<string>();
  for (const r of rows.slice(0, 200)) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

function cell(v: unknown, format?: (v: unknown) => string): string {
  if (format) return `<td>${escapeHTML(format(v))}</td>`;
  if (typeof v === "number") return `<td data-num>${escapeHTML(formatNumber(v))}</td>`;
  if (v === null || v === undefined) return "<td></td>";
  if (v instanceof Date) return `<td>${escapeHTML(v.toISOString())}</td>`;
  return `<td>${escapeHTML(typeof v === "object" ? JSON.stringify(v) : String(v))}</td>`;
}

/** Table markup for rows (used by `table` and by charts). */
export function tableHTML(rows: readonly Row[], o: TableOptions = {}): string {
  const cols = columnsOf(rows, o.columns).map((c) => typeof c === "string" ? { field: c } : c);
  const max = o.maxRows ?? 500;
  const head = cols.map((c) => `<th scope="col">${escapeHTML(c.title ?? c.field)}</th>`).join("");
  const body = rows.slice(0, max).map((r) =>
    `<tr>${cols.map((c) => cell(r[c.field], c.format)).join("")}</tr>`
  );
  if (rows.length > max) {
    body.push(
      `<tr><td colspan="${cols.length}">… ${formatNumber(rows.length - max)} more rows</td></tr>`,
    );
  }
  const caption = o.caption ? `<caption>${escapeHTML(o.caption)}</caption>` : "";
  // The wrapper scrolls a table wider than the screen, so the page itself never scrolls sideways.
  // It is a focusable, named region so keyboard users can scroll it too (axe:
  // scrollable-region-focusable).
  const region = o.caption ?? "Table";
  return `<div${
    attrs({ class: "syslab-table-scroll", tabindex: "0", role: "region", "aria-label": region })
  }><table${
    attrs({ class: "syslab-table", "data-testid": o.testid })
  }>${caption}<thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table></div>`;
}

/** A table of rows. */
export function table(rows: readonly Row[], opts: TableOptions = {}): Html {
  return new Html(tableHTML(rows, opts));
}
