/**
 * The HUD footer: a dark strip of label/value pairs (lab, context, act results, key numbers),
 * plus the design ledger's saved state ("saved 12:03 · 3 labs in ledger"), which
 * `<syslab-ledger-status>` keeps current in the page.
 */
import { escapeHTML } from "../../runtime/render.ts";
import { Html } from "../outputs/html.ts";
import { attrs } from "../util.ts";
import { ledgerStatusHTML } from "./ledger-status.ts";

/** One HUD item; `tone` colours the value (ok green, bad red). */
export interface HudItem {
  label: string;
  value: string | number;
  tone?: "ok" | "bad" | "neutral";
}

/** Options of `hudFooter`. */
export interface HudOptions {
  items: readonly (HudItem | readonly [string, string | number])[];
  /** Show the ledger's saved state (default true). */
  ledger?: boolean;
  testid?: string;
}

const OK = new Set(["CORRECT", "MET", "SAVED", "OK", "FEASIBLE"]);
const BAD = new Set(["WRONG", "VIOLATED", "OOM", "INFEASIBLE", "FAILED"]);

/** The footer strip. Tone defaults from the value (CORRECT/MET → ok, WRONG/VIOLATED → bad). */
export function hudFooter(o: HudOptions): Html {
  const items: HudItem[] = o.items.map((i) =>
    Array.isArray(i) ? { label: i[0], value: i[1] } : i as HudItem
  );
  const cells = items.map((i) => {
    const v = String(i.value);
    const tone = i.tone ??
      (OK.has(v.toUpperCase()) ? "ok" : BAD.has(v.toUpperCase()) ? "bad" : "neutral");
    return `<div class="syslab-hud-item"><dt class="syslab-hud-label">${
      escapeHTML(i.label)
    }</dt><dd class="syslab-hud-value"${attrs({ "data-tone": tone })}>${escapeHTML(v)}</dd></div>`;
  });
  if (o.ledger !== false) {
    cells.push(
      `<div class="syslab-hud-item"><dt class="syslab-hud-label">Ledger</dt><dd class="syslab-hud-value">${ledgerStatusHTML()}</dd></div>`,
    );
  }
  return new Html(
    `<footer${attrs({ class: "syslab-hud-footer", "data-testid": o.testid ?? "hud" })}><dl${
      attrs({ class: "syslab-hud", "aria-label": "Lab status" })
    }>${cells.join("")}</dl></footer>`,
  );
}
