/**
 * The design ledger's record, version 1, checked with `zod/mini` (small enough for the page):
 * `{ version, updatedAt, labs: { [labId]: { savedAt, context, act1_prediction, act1_correct,
 * act2_result, act2_decision, constraint_hit, predictions, decisions } } }`. The spec'd fields
 * (labs.md, LABS_SPEC) are optional until the student reaches them; `predictions` and `decisions`
 * hold anything else a lab records.
 */
import {
  boolean,
  config,
  type infer as Infer,
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

/** Validates one lab's entry; throws `LedgerError`. */
export function parseEntry(input: unknown): LedgerEntry {
  return check(LedgerEntrySchema, input, "the ledger entry");
}

/** A ledger with no labs. */
export function emptyLedger(now = new Date()): Ledger {
  return { version: LEDGER_VERSION, updatedAt: now.toISOString(), labs: {} };
}
