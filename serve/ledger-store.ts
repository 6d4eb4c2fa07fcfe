/**
 * The design ledger on disk: one JSON file `{ version, labs: { [labId]: entry } }`, shared by
 * every dev server of the project (two labs open at once are two processes).
 *
 * Cross-process safety: every read–merge–write holds an exclusive `flock` on `<file>.lock`
 * (`Deno.FsFile.lock`), taken by each process, so a write from one server is never based on a
 * file another server is about to replace. The kernel drops the lock when its process dies
 * (kill -9 included), so no stale lock outlives a crash. Within a process, writes also queue up,
 * so a process holds at most one lock request at a time. Ordering is not the clock's: the rules
 * (cells/ledger's `putEntry`) apply each PUT as the newest write and stamp its revision.
 *
 * Each write is atomic (temp file, mode 0600 + fsync + rename, so a killed process leaves the old
 * or the new file, never half of one; temp files a killed writer left behind are removed by the
 * next writer, which holds the lock and so knows no one else is writing). A file that is not a
 * ledger is moved aside (`ledger.json.corrupt-<timestamp>`) and reported, never overwritten; when
 * only some entries are bad, the good ones are kept and the bad ones named.
 */
import { basename, dirname } from "node:path";

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
  /** The valid part of a corrupt document and the lab ids dropped (null: nothing to keep). */
  salvage?(text: string): { doc: LedgerDoc; dropped: string[] } | null;
  /** Size limits (default `DEFAULT_LIMITS`). */
  limits?: LedgerLimits;
}

/** What the file may hold. */
export interface LedgerLimits {
  /** One entry's JSON, in bytes (a PUT body). */
  entryBytes: number;
  /** The whole file, in bytes. */
  fileBytes: number;
}

/** The limits when the rules give none (the same as cells/ledger's `LEDGER_LIMITS`). */
export const DEFAULT_LIMITS: LedgerLimits = { entryBytes: 64 * 1024, fileBytes: 4 * 1024 * 1024 };

/** Rules for any JSON: plain objects merge key by key (the newcomer wins), the rest is replaced. */
export const GENERIC_RULES: LedgerRules = {
  parse: parseDoc,
  empty: () => ({ version: 1, updatedAt: new Date().toISOString(), labs: {} }),
  put(doc, labId, entry) {
    const labs: Record<string, unknown> = Object.assign(Object.create(null), doc.labs);
    labs[labId] = merge(Object.hasOwn(doc.labs, labId) ? doc.labs[labId] : undefined, entry);
    return { ...doc, updatedAt: new Date().toISOString(), labs: { ...labs } };
  },
};

/** What a read or write found on the way (a corrupt file moved aside). */
export interface LedgerResult<T> {
  value: T;
  /** Set when a corrupt file was moved aside: the new path. */
  movedAside?: string;
  /** Set when a corrupt file was moved aside: what happened, for the page. */
  warning?: string;
}

/** A write the limits refuse (the server answers 413). */
export class LedgerFullError extends Error {
  override name = "LedgerFullError";
}

/** The ledger file at `path`. */
export class LedgerStore {
  #queue: Promise<unknown> = Promise.resolve();
  #tmp = 0;
  readonly limits: LedgerLimits;
  constructor(readonly path: string, readonly rules: LedgerRules = GENERIC_RULES) {
    this.limits = rules.limits ?? DEFAULT_LIMITS;
  }

  /** The file's document, or null when there is none (a corrupt one is moved aside). */
  read(): Promise<LedgerResult<LedgerDoc | null>> {
    return this.#serial(() => this.#load());
  }

  /**
   * Merges `entry` under `labs[labId]` by the store's rules (which throw on an invalid entry);
   * throws `LedgerFullError` when the file would outgrow `limits.fileBytes`.
   */
  put(labId: string, entry: unknown): Promise<LedgerResult<LedgerDoc>> {
    return this.#serial(async () => {
      const found = await this.#load();
      const doc = this.rules.put(found.value ?? this.rules.empty(), labId, entry);
      const text = JSON.stringify(doc, null, 2) + "\n";
      const size = new TextEncoder().encode(text).length;
      if (size > this.limits.fileBytes) {
        throw new LedgerFullError(
          `the ledger would be ${mb(size)} MB, over its ${mb(this.limits.fileBytes)} MB limit; ` +
            `${labId} was not saved`,
        );
      }
      await this.#write(text);
      return { ...found, value: doc };
    });
  }

  /** Runs `fn` after this process's earlier calls, holding the file's cross-process lock. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const locked = () => this.#locked(fn);
    const run = this.#queue.then(locked, locked);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    await Deno.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const lock = await Deno.open(`${this.path}.lock`, { create: true, write: true, mode: 0o600 });
    try {
      await lock.lock(true);
      return await fn();
    } finally {
      lock.close(); // closing the last descriptor releases the lock
    }
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
    const kept = this.rules.salvage?.(text) ?? null;
    if (kept && Object.keys(kept.doc.labs).length) {
      await this.#write(JSON.stringify(kept.doc, null, 2) + "\n");
      return {
        value: kept.doc,
        movedAside: aside,
        warning: `The ledger file had invalid entries (${
          kept.dropped.join(", ")
        }); they were dropped and the other labs kept. The original is at ${aside}.`,
      };
    }
    return {
      value: null,
      movedAside: aside,
      warning: `The ledger file was corrupt; it was moved aside to ${aside} and a new one started.`,
    };
  }

  /** Writes the file atomically; the caller holds the lock. */
  async #write(text: string): Promise<void> {
    await this.#removeOrphans();
    const tmp = `${this.path}.tmp-${Deno.pid}-${++this.#tmp}`;
    const file = await Deno.open(tmp, { write: true, create: true, truncate: true, mode: 0o600 });
    try {
      await file.write(new TextEncoder().encode(text));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, this.path);
  }

  /** Temp files of writers killed mid-write (no one else writes while we hold the lock). */
  async #removeOrphans(): Promise<void> {
    const prefix = `${basename(this.path)}.tmp-`;
    for await (const e of Deno.readDir(dirname(this.path))) {
      if (e.isFile && e.name.startsWith(prefix)) {
        await Deno.remove(`${dirname(this.path)}/${e.name}`).catch(() => {});
      }
    }
  }
}

const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);

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
  for (const [k, v] of Object.entries(next)) {
    Object.defineProperty(out, k, {
      value: merge(Object.hasOwn(prev, k) ? prev[k] : undefined, v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
