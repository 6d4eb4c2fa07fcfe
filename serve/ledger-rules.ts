/**
 * The ledger rules the server uses: cells/ledger's zod schema, limits and merge (each PUT is the
 * newest write of its entry, stamped with the next revision) when that module is present, so the
 * file on disk and the page agree; the generic JSON rules otherwise.
 */
import { DEFAULT_LIMITS, GENERIC_RULES, type LedgerDoc, type LedgerRules } from "./ledger-store.ts";

interface CellsLedger {
  parseLedger(input: unknown): LedgerDoc;
  parseEntry(input: unknown): unknown;
  emptyLedger(): LedgerDoc;
  putEntry(ledger: LedgerDoc, labId: string, entry: unknown): LedgerDoc;
  salvageLedger?(text: string): { ledger: LedgerDoc; dropped: string[] } | null;
  LEDGER_LIMITS?: { entryBytes: number; fileBytes: number };
}

/** The rules from `<root>/cells/ledger/` (schema.ts + merge.ts), or the generic ones. */
export async function loadLedgerRules(root: URL): Promise<LedgerRules> {
  let m: CellsLedger;
  try {
    const [schema, merge] = await Promise.all([
      import(new URL("cells/ledger/schema.ts", root).href),
      import(new URL("cells/ledger/merge.ts", root).href),
    ]);
    m = { ...schema, ...merge } as CellsLedger;
    if (typeof m.putEntry !== "function" || typeof m.parseLedger !== "function") {
      return GENERIC_RULES;
    }
  } catch {
    return GENERIC_RULES;
  }
  return {
    parse(text) {
      try {
        return m.parseLedger(text);
      } catch {
        return null;
      }
    },
    empty: () => m.emptyLedger(),
    put: (doc, labId, entry) => m.putEntry(doc, labId, m.parseEntry(entry)),
    salvage(text) {
      const r = m.salvageLedger?.(text);
      return r ? { doc: r.ledger, dropped: r.dropped } : null;
    },
    limits: {
      entryBytes: m.LEDGER_LIMITS?.entryBytes ?? DEFAULT_LIMITS.entryBytes,
      fileBytes: m.LEDGER_LIMITS?.fileBytes ?? DEFAULT_LIMITS.fileBytes,
    },
  };
}
