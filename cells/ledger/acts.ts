/**
 * How acts' commits merge in the ledger: a commit is final, so for an act in both entries the
 * first commit stays (when two differ — two tabs committing at once — the smaller JSON wins, the
 * same on every side); the act's record fields are replaced whole by the newer entry's, and so are
 * the lab's flat `predictions` and `decisions`, which the framework writes whole from one state.
 * A higher `attempt` ("start this lab over") replaces the entry outright.
 *
 * @module
 */
import type { ActEntry, LedgerEntry } from "./schema.ts";

/** The entry of the later attempt, when the two differ (null when they are the same try). */
export function newerAttempt(a: LedgerEntry, b: LedgerEntry): LedgerEntry | null {
  const ta = a.attempt ?? 0, tb = b.attempt ?? 0;
  if (ta === tb) return null;
  return ta > tb ? a : b;
}

/** Two entries of one attempt, at least one written by the act framework. */
export function mergeActEntries(older: LedgerEntry, newer: LedgerEntry): LedgerEntry {
  const acts: Record<string, ActEntry> = { ...(older.acts ?? {}) };
  for (const [id, act] of Object.entries(newer.acts ?? {})) {
    acts[id] = Object.hasOwn(acts, id) ? mergeAct(acts[id], act) : act;
  }
  // The newer entry is whole: nothing else of the older survives but its commits, and the spec's
  // act-1 fields, which only a commit sets and no later state can change.
  const out: LedgerEntry = { ...newer, acts: sortedActs(acts) };
  for (const f of ["act1_prediction", "act1_correct"] as const) {
    if (newer[f] === undefined && older[f] !== undefined) {
      (out as Record<string, unknown>)[f] = older[f];
    }
  }
  return out;
}

/** One act in both entries: the first commit stays, the newer record replaces the older whole. */
export function mergeAct(older: ActEntry, newer: ActEntry): ActEntry {
  const same = JSON.stringify(older.prediction) === JSON.stringify(newer.prediction);
  const kept = same
    ? older
    : JSON.stringify(older.prediction) <= JSON.stringify(newer.prediction)
    ? older
    : newer;
  const out: ActEntry = {
    prediction: kept.prediction,
    correct: newer.correct ?? older.correct,
    setup: kept.setup ?? (same ? newer.setup : undefined),
    fields: newer.fields ?? older.fields,
  };
  if (!same) out.correct = kept.correct;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ActEntry;
}

function sortedActs(acts: Record<string, ActEntry>): Record<string, ActEntry> {
  return Object.fromEntries(Object.keys(acts).sort().map((k) => [k, acts[k]]));
}
