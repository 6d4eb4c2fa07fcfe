/**
 * The ledger in the page: kept in localStorage (`syslab.ledger.v1`) and, when the page is served by
 * the dev server, also on disk through it (`GET /__syslab/ledger` → the ledger, or 204 while there
 * is none; `PUT /__syslab/ledger/<labId>` with the entry → the server merges it and returns the
 * ledger).
 * Every write re-reads and merges first, and other tabs' writes arrive through `storage` events,
 * so two tabs lose nothing. Storage and fetch are injected, so it runs in Deno tests too.
 */
import { type EntryInput, makeEntry, mergeLedgers, putEntry } from "./merge.ts";
import { emptyLedger, type Ledger, LEDGER_LIMITS, LedgerError, parseLedger } from "./schema.ts";

/** The localStorage key. */
export const STORAGE_KEY = "syslab.ledger.v1";
/** The dev server's ledger endpoint. */
export const SERVER_PATH = "/__syslab/ledger";

/** Where a store keeps the ledger. */
export interface LedgerBackend {
  storage?: Pick<Storage, "getItem" | "setItem"> | null;
  /** Set when the page may talk to the dev server (http(s) pages). */
  fetch?: typeof fetch | null;
  /** Base URL for the server endpoint (default: same origin). */
  base?: string;
  now?: () => Date;
}

/** What the HUD shows. */
export interface LedgerStatus {
  savedAt: Date | null;
  labs: number;
  server: "unknown" | "available" | "unavailable";
  error: string | null;
  /** What the dev server last warned about the ledger file (bad entries dropped, moved aside). */
  warning?: string | null;
}

/** The reply header the dev server warns in (URI-encoded; `serve/server.ts` WARNING_HEADER). */
const WARNING_HEADER = "x-syslab-ledger-warning";

/** A ledger bound to its storage, with change notifications. */
export class LedgerStore {
  #ledger: Ledger;
  #listeners = new Set<(s: LedgerStatus) => void>();
  #status: LedgerStatus = {
    savedAt: null,
    labs: 0,
    server: "unknown",
    error: null,
    warning: null,
  };
  #b: LedgerBackend;
  #now: () => Date;

  constructor(backend: LedgerBackend = {}) {
    this.#b = backend;
    this.#now = backend.now ?? (() => new Date());
    this.#ledger = this.#readLocal();
    this.#status.labs = Object.keys(this.#ledger.labs).length;
  }

  /** The current ledger. */
  get ledger(): Ledger {
    return this.#ledger;
  }

  /** The current status (saved time, lab count, server availability, last error). */
  get status(): LedgerStatus {
    return { ...this.#status };
  }

  /** Calls `fn` on every change; returns an unsubscribe function. */
  subscribe(fn: (s: LedgerStatus) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Loads from the server (when there is one) and merges with local storage. */
  async load(): Promise<Ledger> {
    const f = this.#b.fetch;
    if (f) {
      try {
        const res = await f(this.#url(""), { headers: { accept: "application/json" } });
        this.#warned(res);
        if (res.status === 204 || res.status === 404) this.#status.server = "available";
        else if (res.ok) {
          this.#apply(mergeLedgers(this.#readLocal(), parseLedger(await res.text())));
          this.#status.server = "available";
        } else this.#status.server = "unavailable";
      } catch (e) {
        this.#status.server = "unavailable";
        if (e instanceof LedgerError) this.#status.error = e.message;
      }
    }
    this.#notify();
    return this.#ledger;
  }

  /** Saves one lab's entry: merged into local storage now, then sent to the server. */
  async save(labId: string, input: EntryInput): Promise<Ledger> {
    let entry, next;
    try {
      // A lab's entry belongs to its current attempt unless the caller starts a new one.
      const local = this.#readLocal();
      const attempt = input.attempt ??
        (Object.hasOwn(local.labs, labId) ? local.labs[labId].attempt : undefined);
      entry = makeEntry(attempt === undefined ? input : { ...input, attempt }, this.#now());
      next = putEntry(local, labId, entry);
    } catch (e) {
      this.#status.error = (e as Error).message; // the page must not go on saying "saved"
      this.#notify();
      throw e;
    }
    this.#apply(next);
    this.#status.savedAt = new Date(entry.savedAt);
    this.#status.error = null;
    this.#notify();
    await this.#push(labId);
    return this.#ledger;
  }

  /**
   * Merges an imported ledger (JSON text) into this one, each of its labs applied as a write (so
   * the file's own revisions and dates cannot outrank later saves); throws `LedgerError` when it
   * is invalid or over `LEDGER_LIMITS` (size, labs), before anything is applied.
   */
  async import(text: string): Promise<Ledger> {
    const size = text.length;
    if (size > LEDGER_LIMITS.fileBytes) {
      throw new LedgerError(
        `the file is ${mb(size)} MB; a ledger may be at most ${
          mb(LEDGER_LIMITS.fileBytes)
        } MB — is it a syslab ledger export?`,
      );
    }
    const incoming = parseLedger(text);
    const ids = Object.keys(incoming.labs);
    if (ids.length > LEDGER_LIMITS.labs) {
      throw new LedgerError(
        `the file holds ${ids.length} labs; a ledger may hold at most ${LEDGER_LIMITS.labs}`,
      );
    }
    let next = this.#readLocal();
    for (const id of ids) next = putEntry(next, id, incoming.labs[id]);
    this.#apply(next);
    this.#notify();
    for (const id of ids) await this.#push(id);
    return this.#ledger;
  }

  /** The ledger as pretty JSON, for download. */
  exportJSON(): string {
    return JSON.stringify(this.#ledger, null, 2) + "\n";
  }

  /** Another tab wrote local storage: merge it in. */
  refreshFromStorage(): void {
    this.#apply(this.#readLocal());
    this.#notify();
  }

  async #push(labId: string): Promise<void> {
    const f = this.#b.fetch;
    if (!f || this.#status.server === "unavailable") return;
    const entry = this.#ledger.labs[labId];
    try {
      const res = await f(this.#url(`/${encodeURIComponent(labId)}`), {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(entry),
      });
      if (res.status === 404 || res.status === 405) {
        this.#status.server = "unavailable"; // no ledger endpoint here: local only
        return;
      }
      if (!res.ok) {
        // The server refused this entry (too big, invalid): say so, the page must not say "saved".
        const why = (await res.text().catch(() => "")).split("\n")[0].slice(0, 200);
        this.#status.error = `the dev server refused it (${res.status}${
          why ? `: ${why}` : ""
        }); kept in this browser only`;
        this.#notify();
        return;
      }
      this.#status.server = "available";
      this.#warned(res);
      this.#apply(mergeLedgers(this.#ledger, parseLedger(await res.text())));
    } catch (e) {
      this.#status.server = "unavailable";
      if (e instanceof LedgerError) this.#status.error = e.message;
    }
    this.#notify();
  }

  #warned(res: Response): void {
    const w = res.headers.get(WARNING_HEADER);
    if (!w) return;
    try {
      this.#status.warning = decodeURIComponent(w);
    } catch {
      this.#status.warning = w;
    }
  }

  #url(suffix: string): string {
    return `${this.#b.base ?? ""}${SERVER_PATH}${suffix}`;
  }

  /** Local storage merged with memory; a corrupt stored ledger is moved aside, not overwritten. */
  #readLocal(): Ledger {
    const mem = this.#ledger ?? emptyLedger(this.#now());
    const s = this.#b.storage;
    const text = s?.getItem(STORAGE_KEY);
    if (!s || !text) return mem;
    try {
      return mergeLedgers(mem, parseLedger(text));
    } catch (e) {
      s.setItem(`${STORAGE_KEY}.corrupt-${this.#now().toISOString()}`, text);
      s.setItem(STORAGE_KEY, JSON.stringify(mem));
      this.#status.error = (e as Error).message;
      return mem;
    }
  }

  #apply(next: Ledger): void {
    this.#ledger = next;
    this.#status.labs = Object.keys(next.labs).length;
    try {
      this.#b.storage?.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch (e) {
      this.#status.error = `could not write local storage: ${(e as Error).message}`;
    }
  }

  #notify(): void {
    const s = this.status;
    for (const fn of this.#listeners) fn(s);
  }
}

const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);

let shared: LedgerStore | null = null;

/** The meta tag by which the dev server says it keeps the ledger file (exports have none). */
export const SERVER_META = "syslab-ledger-server";

/**
 * The page's ledger store: localStorage, plus the dev server's file when the page comes from
 * `serve.ts` (it marks its pages with `<meta name="syslab-ledger-server">`). Exported pages on
 * `file://` or a static host stay local and make no requests.
 */
export function ledgerStore(): LedgerStore {
  if (shared) return shared;
  const storage = typeof localStorage !== "undefined" ? localStorage : null;
  const http = typeof location !== "undefined" && /^https?:$/.test(location.protocol) &&
    typeof document !== "undefined" &&
    document.querySelector(`meta[name="${SERVER_META}"]`) !== null;
  shared = new LedgerStore({ storage, fetch: http ? fetch.bind(globalThis) : null });
  if (typeof addEventListener === "function" && typeof window !== "undefined") {
    addEventListener("storage", (e) => {
      if ((e as StorageEvent).key === STORAGE_KEY) shared?.refreshFromStorage();
    });
  }
  shared.load();
  return shared;
}
