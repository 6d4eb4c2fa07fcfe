/**
 * The design ledger's record, version 1, checked with `zod/mini` (small enough for the page):
 * `{ version, updatedAt, labs: { [labId]: { savedAt, context, act1_prediction, act1_correct,
 * act2_result, act2_decision, constraint_hit, predictions, decisions } } }`. The spec'd fields
 * (labs.md, LABS_SPEC) are optional until the student reaches them; `predictions` and `decisions`
 * hold anything else a lab records.
 */
import { z } from "zod/mini";

z.config(z.locales.en());

/** The current ledger format version. */
export const LEDGER_VERSION = 1;

/** What lab ids look like in the ledger (they also appear in the server's URL path). */
export const LAB_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Answer = z.union([z.string(), z.number()]);

/** One lab's entry. */
export const LedgerEntrySchema = z.object({
  savedAt: z.iso.datetime(),
  context: z.string(),
  act1_prediction: z.optional(Answer),
  act1_correct: z.optional(z.boolean()),
  act2_result: z.optional(z.number()),
  act2_decision: z.optional(Answer),
  constraint_hit: z.optional(z.boolean()),
  predictions: z.record(z.string(), Scalar),
  decisions: z.record(z.string(), Scalar),
});

/** The whole ledger. */
export const LedgerSchema = z.object({
  version: z.literal(LEDGER_VERSION),
  updatedAt: z.iso.datetime(),
  labs: z.record(z.string().check(z.regex(LAB_ID)), LedgerEntrySchema),
});

/** A scalar a lab may record. */
export type LedgerScalar = z.infer<typeof Scalar>;
/** One lab's entry. */
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
/** The whole ledger. */
export type Ledger = z.infer<typeof LedgerSchema>;

/** A ledger (or entry) that failed validation; `message` lists every problem with its path. */
export class LedgerError extends Error {
  override name = "LedgerError";
}

function check<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new LedgerError(`${what} is not valid:\n${z.prettifyError(r.error)}`);
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
