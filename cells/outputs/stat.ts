/** Metric cards (`stat`) and a row of them (`metricRow`), as in the course's metric cards. */
import { escapeHTML } from "../../runtime/render.ts";
import type { Kind } from "../style.ts";
import { attrs, formatNumber } from "../util.ts";
import { Html } from "./html.ts";

/** A metric card's content. */
export interface StatOptions {
  label: string;
  /** Shown large; numbers get thousands separators unless `format` is given. */
  value: string | number;
  /** A unit shown after the value (`GB`, `ms`). */
  unit?: string;
  /** A small line under the value (`at 4,096 tokens`). */
  caption?: string;
  /** Colour of the value and top border (success = good, danger = bad). */
  kind?: Kind;
  /** Formats a numeric value. */
  format?: (n: number) => string;
  testid?: string;
}

/** One metric card. */
export function stat(o: StatOptions): Html {
  const v = typeof o.value === "number" ? (o.format ?? formatNumber)(o.value) : o.value;
  const shown = o.unit ? `${v} ${o.unit}` : v;
  return new Html(
    `<div${
      attrs({ class: "syslab-stat", "data-kind": o.kind ?? "neutral", "data-testid": o.testid })
    }><p class="syslab-stat-label">${escapeHTML(o.label)}</p><p class="syslab-stat-value">${
      escapeHTML(shown)
    }</p>${o.caption ? `<p class="syslab-stat-caption">${escapeHTML(o.caption)}</p>` : ""}</div>`,
  );
}

/** A wrapping row of metric cards. */
export function metricRow(stats: readonly (StatOptions | Html)[]): Html {
  const cards = stats.map((s) => s instanceof Html ? s.html() : stat(s).html());
  return new Html(`<div class="syslab-metric-row">${cards.join("")}</div>`);
}
