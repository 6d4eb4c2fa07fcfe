/**
 * The design ledger's record, version 1, checked with `zod/mini` (small enough for the page):
 * `{ version, updatedAt, labs: { [labId]: { savedAt, context, act1_prediction, act1_correct,
 * act2_result, act2_decision, constraint_hit, predictions, decisions, rev } } }`. The spec'd fields
 * (labs.md, LABS_SPEC) are optional until the student reaches them; `predictions` and `decisions`
 * hold anything else a lab records. `rev` is the entry's revision: how many writes made it (see
 * `merge.ts`: it, not a clock, orders two versions of an entry).
 */
import {
  boolean,
  config,
  gte,
  type infer as Infer,
  int,
  iso,
  literal,
  null as zNull,
  number,
  object,
  optional,
  prettifyError,
  record,
  regex,
  string,
  union,
  type ZodMiniType,
} from "zod/mini";
import en from "zod/v4/locales/en.js";

// Named imports and only the English messages keep the page bundle small (the `z` namespace
// and `z.locales` would pull every locale in).
config(en());

/** The current ledger format version. */
export const LEDGER_VERSION = 1;

/** What lab ids look like in the ledger (they also appear in the server's URL path). */
export const LAB_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

/**
 * How big a ledger may grow: one entry's JSON (a lab records a few answers: ~1 KB), the number of
 * labs, and the whole file. The dev server refuses writes past them (413) and an import past them
 * is refused with a message, so the file, every request and the server's memory stay bounded.
 */
export const LEDGER_LIMITS = {
  entryBytes: 64 * 1024,
  labs: 500,
  fileBytes: 4 * 1024 * 1024,
} as const;

const Scalar = union([string(), number(), boolean(), zNull()]);
const Answer = union([string(), number()]);

/** One act's commit and what it recorded (written whole by the framework). */
export const ActEntrySchema = object({
  prediction: Answer,
  correct: optional(boolean()),
  /** The inputs frozen with the commit (the context, the scenario's knobs). */
  setup: optional(record(string(), Scalar)),
  /** The act's record, whole: a newer one replaces it, no field of an older survives. */
  fields: optional(record(string(), Scalar)),
});

/** One lab's entry. */
export const LedgerEntrySchema = object({
  savedAt: iso.datetime(),
  context: string(),
  act1_prediction: optional(Answer),
  act1_correct: optional(boolean()),
  act2_result: optional(number()),
  act2_decision: optional(Answer),
  constraint_hit: optional(boolean()),
  predictions: record(string(), Scalar),
  decisions: record(string(), Scalar),
  /** Which try of the lab this is: "start this lab over" raises it, and a higher one wins whole. */
  attempt: optional(number()),
  /** The acts' commits by act id (final: the first commit of an act is kept). */
  acts: optional(record(string(), ActEntrySchema)),
  rev: optional(int().check(gte(0))),
});

/** One act's commit in the ledger. */
export type ActEntry = Infer<typeof ActEntrySchema>;

/** The whole ledger. */
export const LedgerSchema = object({
  version: literal(LEDGER_VERSION),
  updatedAt: iso.datetime(),
  labs: record(string().check(regex(LAB_ID)), LedgerEntrySchema),
});

/** A scalar a lab may record. */
export type LedgerScalar = Infer<typeof Scalar>;
/** One lab's entry. */
export type LedgerEntry = Infer<typeof LedgerEntrySchema>;
/** The whole ledger. */
export type Ledger = Infer<typeof LedgerSchema>;

/** A ledger (or entry) that failed validation; `message` lists every problem with its path. */
export class LedgerError extends Error {
  override name = "LedgerError";
}

function check<T>(schema: ZodMiniType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new LedgerError(`${what} is not valid:\n${prettifyError(r.error)}`);
}

/** Parses and validates a ledger from JSON text or a value; throws `LedgerError`. */
export function parseLedger(input: unknown): Ledger {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new LedgerError(`the design ledger is not JSON: ${(e as Error).message}`);
    }
  }
  return check(LedgerSchema, value, "the design ledger");
}

/**
 * A ledger from JSON text whose labs are checked one by one: valid entries are kept and the
 * others listed in `dropped` (so one bad field does not cost every lab). Null when the text is
 * not a ledger at all (not JSON, no `labs` object, another version).
 */
export function salvageLedger(text: string): { ledger: Ledger; dropped: string[] } | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const { version, labs } = v as Record<string, unknown>;
  if (version !== LEDGER_VERSION || typeof labs !== "object" || labs === null) return null;
  if (Array.isArray(labs)) return null;
  const kept: Record<string, LedgerEntry> = {};
  const dropped: string[] = [];
  for (const [id, e] of Object.entries(labs)) {
    const r = LedgerEntrySchema.safeParse(e);
    if (r.success && LAB_ID.test(id)) kept[id] = r.data;
    else dropped.push(id);
  }
  const at = (v as Record<string, unknown>).updatedAt;
  const updatedAt = typeof at === "string" && iso.datetime().safeParse(at).success
    ? at
    : new Date().toISOString();
  return { ledger: { version: LEDGER_VERSION, updatedAt, labs: kept }, dropped };
}

/** Validates one lab's entry; throws `LedgerError`. */
export function parseEntry(input: unknown): LedgerEntry {
  return check(LedgerEntrySchema, input, "the ledger entry");
}

/** A ledger with no labs. */
export function emptyLedger(now = new Date()): Ledger {
  return { version: LEDGER_VERSION, updatedAt: now.toISOString(), labs: {} };
}
