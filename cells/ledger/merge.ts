/**
 * Merging ledgers so that two writers (two tabs, a tab and the server) lose nothing: labs from
 * both sides are kept; for a lab in both, the newer entry wins field by field, and a field the
 * newer entry does not set keeps the older value. Pure and DOM-free.
 *
 * "Newer" is decided by the entry's revision `rev`, never by a clock: a write (`putEntry`: a save,
 * an import, a PUT the dev server applies) lays the incoming entry over the stored one and stamps
 * `rev = stored rev + 1`, ignoring any `rev` or `savedAt` the incoming entry claims. Two replicas
 * (local storage and the server's file) are merged by the higher `rev`; `savedAt` only breaks a
 * tie between two writes made apart (same `rev`), then the content. So an entry dated 9999-12-31
 * wins at most the write that brought it in: the next save has a higher revision and wins.
 */
import { mergeActEntries, newerAttempt } from "./acts.ts";
import {
  type ActEntry,
  LAB_ID,
  type Ledger,
  LEDGER_LIMITS,
  LEDGER_VERSION,
  type LedgerEntry,
  LedgerError,
  type LedgerScalar,
  parseEntry,
} from "./schema.ts";

/** What a lab passes to save: the spec'd fields (nullable while unknown) plus extras. */
export interface EntryInput {
  context: string;
  act1_prediction?: string | number | null;
  act1_correct?: boolean | null;
  act2_result?: number | null;
  act2_decision?: string | number | null;
  constraint_hit?: boolean | null;
  predictions?: Readonly<Record<string, LedgerScalar | undefined>>;
  decisions?: Readonly<Record<string, LedgerScalar | undefined>>;
  attempt?: number;
  acts?: Readonly<Record<string, ActEntry>>;
}

const SPEC_FIELDS = [
  "act1_prediction",
  "act1_correct",
  "act2_result",
  "act2_decision",
  "constraint_hit",
] as const;

function defined<T>(rec: Readonly<Record<string, T | undefined>> | undefined) {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(rec ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** Turns a lab's input into a valid entry stamped `savedAt` (nulls dropped); throws LedgerError. */
export function makeEntry(input: EntryInput, savedAt = new Date()): LedgerEntry {
  const e: Record<string, unknown> = {
    savedAt: savedAt.toISOString(),
    context: input.context,
    predictions: defined(input.predictions),
    decisions: defined(input.decisions),
  };
  for (const f of SPEC_FIELDS) {
    const v = input[f];
    if (v !== null && v !== undefined) e[f] = v;
  }
  if (input.attempt !== undefined) e.attempt = input.attempt;
  if (input.acts !== undefined) e.acts = input.acts;
  return parseEntry(e);
}

/**
 * Orders two entries: [older, newer] by revision; the same revision (two writers that did not see
 * each other) by `savedAt`, then by content, so the merge is symmetric.
 */
function ordered(a: LedgerEntry, b: LedgerEntry): [LedgerEntry, LedgerEntry] {
  const ra = a.rev ?? 0, rb = b.rev ?? 0;
  if (ra !== rb) return ra < rb ? [a, b] : [b, a];
  const ta = Date.parse(a.savedAt), tb = Date.parse(b.savedAt);
  if (ta !== tb) return ta < tb ? [a, b] : [b, a];
  return JSON.stringify(a) <= JSON.stringify(b) ? [a, b] : [b, a];
}

const own = <T>(rec: Readonly<Record<string, T>>, k: string): T | undefined =>
  Object.hasOwn(rec, k) ? rec[k] : undefined;

function overlay(
  older: Record<string, LedgerScalar>,
  newer: Record<string, LedgerScalar>,
): Record<string, LedgerScalar> {
  const out = { ...older };
  for (const [k, v] of Object.entries(newer)) if (v !== null || !Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** Merges two entries of the same lab (newer wins per field; unset fields keep older values). */
export function mergeEntries(a: LedgerEntry, b: LedgerEntry): LedgerEntry {
  // A restarted lab (higher attempt) replaces the earlier try whole; acts merge by their own rule.
  const byAttempt = newerAttempt(a, b);
  if (byAttempt) return byAttempt;
  const [older, newer] = ordered(a, b);
  if (older.acts || newer.acts) return mergeActEntries(older, newer);
  const out: LedgerEntry = {
    ...older,
    ...newer,
    predictions: overlay(older.predictions, newer.predictions),
    decisions: overlay(older.decisions, newer.decisions),
  };
  for (const f of SPEC_FIELDS) {
    if (newer[f] === undefined && older[f] !== undefined) {
      (out as Record<string, unknown>)[f] = older[f];
    }
  }
  return out;
}

/** Merges two ledgers: every lab of both; shared labs merged entry by entry. */
export function mergeLedgers(a: Ledger, b: Ledger): Ledger {
  const labs = new Map(Object.entries(a.labs));
  for (const [id, e] of Object.entries(b.labs)) {
    const mine = labs.get(id);
    labs.set(id, mine ? mergeEntries(mine, e) : e);
  }
  const sorted = Object.fromEntries([...labs].sort(([x], [y]) => x < y ? -1 : x > y ? 1 : 0));
  const updatedAt = Date.parse(a.updatedAt) >= Date.parse(b.updatedAt) ? a.updatedAt : b.updatedAt;
  return { version: LEDGER_VERSION, updatedAt, labs: sorted };
}

/**
 * The ledger with one write applied: `entry` laid over the lab's stored entry as the newest
 * version, with revision stored + 1 (see the module comment). Throws `LedgerError` for a bad lab
 * id, an entry over `LEDGER_LIMITS.entryBytes` or a ledger over `LEDGER_LIMITS.labs` labs.
 */
export function putEntry(ledger: Ledger, labId: string, entry: LedgerEntry): Ledger {
  if (!LAB_ID.test(labId)) throw new LedgerError(`"${labId}" is not a valid lab id`);
  const size = new TextEncoder().encode(JSON.stringify(entry)).length;
  if (size > LEDGER_LIMITS.entryBytes) {
    throw new LedgerError(
      `the entry for ${labId} is ${kib(size)} KB; an entry may be at most ${
        kib(LEDGER_LIMITS.entryBytes)
      } KB (record answers and decisions, not data)`,
    );
  }
  const stored = own(ledger.labs, labId);
  if (!stored && Object.keys(ledger.labs).length >= LEDGER_LIMITS.labs) {
    throw new LedgerError(
      `the ledger already holds ${LEDGER_LIMITS.labs} labs, the most it may; ${labId} was not added`,
    );
  }
  const rev = (stored?.rev ?? 0) + 1;
  const merged = stored
    ? mergeEntries({ ...stored, rev: 0 }, { ...entry, rev: 1 })
    : { ...entry, rev: 1 };
  return mergeLedgers(ledger, {
    version: LEDGER_VERSION,
    updatedAt: entry.savedAt,
    labs: { [labId]: { ...merged, rev } },
  });
}

const kib = (n: number) => Math.ceil(n / 1024);
