/**
 * The lab's summary, built from its acts: the design-ledger entry (the spec's fields
 * `act{n}_prediction` / `act{n}_correct`, each committed act's record whole), the HUD footer
 * (each act's status, and its rows once committed), and "start this lab over". Nothing an act
 * computes behind its lock reaches either before its commit: the runtime hands an open act over
 * with its status only.
 *
 * @module
 */
import type { ActSummary } from "../../runtime/act.ts";
import type { EntryInput } from "../ledger/merge.ts";
import type { ActEntry, LedgerScalar } from "../ledger/schema.ts";
import { vstack } from "../outputs/layout.ts";
import type { Html } from "../outputs/html.ts";
import { hudFooter, type HudItem } from "../pedagogy/hud.ts";
import { ledgerSave } from "../pedagogy/ledger-save.ts";
import { startOver } from "./start-over.ts";

/** Options of {@link labSummary}. */
export interface LabSummaryOptions {
  /** The lab id (the ledger key). */
  lab: string;
  /** The deployment context (recorded with every entry). */
  context: string;
  /** The acts, as the runtime's `acts` gives them. */
  acts: readonly ActSummary[];
  /** HUD rows that hold before any commit (the lab's name, the context, the scenario). */
  hud?: ReadonlyArray<readonly [string, string | number]>;
}

const SPEC_FIELDS = new Set(["act2_result", "act2_decision", "constraint_hit"]);

/** The HUD value of an act's status. */
export function actStatus(a: ActSummary): string {
  if (a.status === "waiting") return "—";
  if (a.status === "open") return "OPEN";
  return a.grade?.correct ? "CORRECT" : "WRONG";
}

/** The ledger entry the acts give: whole, from one state of the lab. */
export function summaryEntry(o: Pick<LabSummaryOptions, "context" | "acts">): EntryInput {
  const predictions: Record<string, LedgerScalar> = {};
  const decisions: Record<string, LedgerScalar> = {};
  const acts: Record<string, ActEntry> = {};
  const entry: Record<string, unknown> = { context: o.context };
  o.acts.forEach((a, i) => {
    if (a.status !== "committed" || !a.grade) return;
    const n = i + 1;
    if (n === 1) {
      entry.act1_prediction = a.grade.value;
      entry.act1_correct = a.grade.correct;
    } else {
      predictions[`act${n}_prediction`] = a.grade.value;
      predictions[`act${n}_correct`] = a.grade.correct;
    }
    const fields = { ...(a.record?.ledger ?? {}) };
    for (const [k, v] of Object.entries(fields)) {
      if (SPEC_FIELDS.has(k)) entry[k] = v;
      else decisions[k] = v;
    }
    acts[a.id] = { prediction: a.grade.value, correct: a.grade.correct, fields };
  });
  return { ...entry, predictions, decisions, acts } as EntryInput;
}

/** The HUD items: the lab's fixed rows, then each act's status and, once committed, its rows. */
export function summaryHud(o: LabSummaryOptions): HudItem[] {
  const items: HudItem[] = (o.hud ?? []).map(([label, value]) => ({ label, value }));
  for (const a of o.acts) {
    items.push({ label: a.title, value: actStatus(a) });
    if (a.status === "committed") {
      for (const [label, value] of a.record?.hud ?? []) items.push({ label, value });
    }
  }
  return items;
}

/** The ledger save, the HUD footer and "start this lab over", from the acts. */
export function labSummary(o: LabSummaryOptions): Html {
  return vstack([
    ledgerSave({ lab: o.lab, entry: summaryEntry(o) }),
    startOver(o.lab),
    hudFooter({ items: summaryHud(o), testid: "hud" }),
  ]);
}
