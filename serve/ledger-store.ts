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
  updated?: string;
}

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
  constructor(readonly path: string) {}

  /** The file's document, or null when there is none (a corrupt one is moved aside). */
  read(): Promise<LedgerResult<LedgerDoc | null>> {
    return this.#serial(() => this.#load());
  }

  /**
   * Merges `entry` under `labs[labId]`: plain objects merge key by key (so two tabs saving
   * different predictions keep both), anything else replaces; `replace` swaps the whole entry.
   */
  put(labId: string, entry: unknown, replace = false): Promise<LedgerResult<LedgerDoc>> {
    return this.#serial(async () => {
      const found = await this.#load();
      const doc: LedgerDoc = found.value ?? { version: 1, labs: {} };
      doc.labs[labId] = replace ? entry : merge(doc.labs[labId], entry);
      doc.updated = new Date().toISOString();
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
    const doc = parseDoc(text);
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
