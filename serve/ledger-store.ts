/**
 * The design ledger on disk: one JSON file `{ version, labs: { [labId]: entry } }`. Writes are
 * serialized in-process (two tabs saving at once lose nothing), atomic (temp file + fsync +
 * rename, so a killed process leaves the old or the new file, never half of one), and a corrupt
 * file is moved aside (`ledger.json.corrupt-<timestamp>`) and reported, never overwritten.
 */
import { dirname } from "node:path";

/** The whole file. */
export interface LedgerDoc {
  version: number;
  labs: Record<string, unknown>;
  updatedAt?: string;
}

/** How documents are read and entries merged (cells/ledger's schema when present). */
export interface LedgerRules {
  /** The document in `text`, or null when it is corrupt. */
  parse(text: string): LedgerDoc | null;
  /** A document with no labs. */
  empty(): LedgerDoc;
  /** `doc` with `entry` merged under `labs[labId]`; throws (a message for the client) if invalid. */
  put(doc: LedgerDoc, labId: string, entry: unknown): LedgerDoc;
}

/** Rules for any JSON: plain objects merge key by key (the newcomer wins), the rest is replaced. */
export const GENERIC_RULES: LedgerRules = {
  parse: parseDoc,
  empty: () => ({ version: 1, updatedAt: new Date().toISOString(), labs: {} }),
  put(doc, labId, entry) {
    return {
      ...doc,
      updatedAt: new Date().toISOString(),
      labs: { ...doc.labs, [labId]: merge(doc.labs[labId], entry) },
    };
  },
};

/** What a read or write found on the way (a corrupt file moved aside). */
export interface LedgerResult<T> {
  value: T;
  /** Set when a corrupt file was moved aside: the new path. */
  movedAside?: string;
}

/** The ledger file at `path`. */
export class LedgerStore {
  #queue: Promise<unknown> = Promise.resolve();
  #tmp = 0;
  constructor(readonly path: string, readonly rules: LedgerRules = GENERIC_RULES) {}

  /** The file's document, or null when there is none (a corrupt one is moved aside). */
  read(): Promise<LedgerResult<LedgerDoc | null>> {
    return this.#serial(() => this.#load());
  }

  /** Merges `entry` under `labs[labId]` by the store's rules (which throw on an invalid entry). */
  put(labId: string, entry: unknown): Promise<LedgerResult<LedgerDoc>> {
    return this.#serial(async () => {
      const found = await this.#load();
      const doc = this.rules.put(found.value ?? this.rules.empty(), labId, entry);
      await this.#write(doc);
      return { value: doc, movedAside: found.movedAside };
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #load(): Promise<LedgerResult<LedgerDoc | null>> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return { value: null };
      throw e;
    }
    const doc = this.rules.parse(text);
    if (doc) return { value: doc };
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await Deno.rename(this.path, aside);
    return { value: null, movedAside: aside };
  }

  async #write(doc: LedgerDoc): Promise<void> {
    await Deno.mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp-${Deno.pid}-${++this.#tmp}`;
    const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
    try {
      await file.write(new TextEncoder().encode(JSON.stringify(doc, null, 2) + "\n"));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, this.path);
  }
}

/** A ledger document, or null when the text is not one. */
export function parseDoc(text: string): LedgerDoc | null {
  try {
    const v = JSON.parse(text);
    if (!isPlain(v) || !isPlain(v.labs)) return null;
    return { ...v, version: typeof v.version === "number" ? v.version : 1 } as LedgerDoc;
  } catch {
    return null;
  }
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Merges plain objects key by key; anything else: `next` wins. */
export function merge(prev: unknown, next: unknown): unknown {
  if (!isPlain(prev) || !isPlain(next)) return next;
  const out: Record<string, unknown> = { ...prev };
  for (const [k, v] of Object.entries(next)) out[k] = merge(prev[k], v);
  return out;
}
