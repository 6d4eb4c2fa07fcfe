/**
 * The acts' commits kept in the design ledger, as the runtime's {@link CommitStore}: a commit is
 * written to the lab's entry at once (localStorage, and the dev server's file when there is one),
 * read back on the next visit, in another tab (through `storage` events) and in an exported page,
 * and cleared only by "start this lab over", which raises the entry's attempt. Each commit is also
 * mirrored in IndexedDB (`commit-mirror.ts`), which puts back a commit localStorage lost. A
 * commit made in the page's widget is written there first (`persist`), and applied after.
 *
 * @module
 */
import type { ActCommit } from "../../runtime/act.ts";
import { type CommitStore, provideCommitStore } from "../../runtime/commits.ts";
import type { LedgerScalar } from "./schema.ts";
import type { LedgerEntry } from "./schema.ts";
import { type LedgerStore, ledgerStore } from "./store.ts";
import { readMirror, writeMirror } from "./commit-mirror.ts";

/** The commits recorded in a lab's entry. */
export function commitsOf(entry: LedgerEntry | undefined): ActCommit[] {
  return Object.entries(entry?.acts ?? {}).map(([act, a]) => ({
    act,
    value: a.prediction,
    correct: a.correct,
    setup: a.setup ?? {},
  }));
}

/** Only the scalar inputs of a commit's setup can be kept in the ledger. */
function scalars(setup: Readonly<Record<string, unknown>>): Record<string, LedgerScalar> {
  const out: Record<string, LedgerScalar> = {};
  for (const [k, v] of Object.entries(setup)) {
    if (v === null || ["string", "number", "boolean"].includes(typeof v)) {
      out[k] = v as LedgerScalar;
    }
  }
  return out;
}

/** How long a page's `ready` waits for the IndexedDB copy of its commits. */
const MIRROR_WAIT_MS = 1000;
/** How long a commit waits for its IndexedDB copy before it is applied anyway (a hung store). */
const PERSIST_WAIT_MS = 1500;

/** A commit store over `store` (default: the page's ledger) for one lab. */
export function ledgerCommitStore(lab: string, store: LedgerStore = ledgerStore()): CommitStore {
  const entry = () => store.ledger.labs[lab];
  const mirror = (attempt: number, commits: ActCommit[]) =>
    void writeMirror({ lab, attempt, commits });
  let restoring: Promise<void> = Promise.resolve();
  const api: CommitStore = {
    load: () => commitsOf(entry()),
    save(c) {
      const e = entry();
      if (e?.acts && Object.hasOwn(e.acts, c.act)) return; // final: the first commit stays
      const context = typeof c.setup.context === "string" ? c.setup.context : e?.context ?? "";
      store.save(lab, {
        ...e,
        context,
        attempt: e?.attempt,
        acts: { ...(e?.acts ?? {}), [c.act]: { prediction: c.value, setup: scalars(c.setup) } },
      });
      mirror(entry()?.attempt ?? 0, commitsOf(entry()));
    },
    persist(c) {
      const e = entry();
      if (e?.acts && Object.hasOwn(e.acts, c.act)) return Promise.resolve();
      const made = { act: c.act, value: c.value, setup: scalars(c.setup) };
      const written = writeMirror({
        lab,
        attempt: e?.attempt ?? 0,
        commits: [...commitsOf(e), made],
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((r) => timer = setTimeout(r, PERSIST_WAIT_MS));
      return Promise.race([written, late]).finally(() => clearTimeout(timer));
    },
    subscribe(fn) {
      const off = store.subscribe(() => fn(commitsOf(entry())));
      // Put back what localStorage lost and the mirror kept (same attempt only): each becomes a
      // commit of the ledger again, and the store's notification restores it in the page.
      const put = readMirror(lab).then((m) => {
        if (!m || m.attempt !== (entry()?.attempt ?? 0)) return;
        for (const c of m.commits) api.save(c);
      });
      // The page's `ready` waits for the copy, but never long on a browser whose IndexedDB hangs.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((r) => timer = setTimeout(r, MIRROR_WAIT_MS));
      restoring = Promise.race([put, late]).finally(() => clearTimeout(timer));
      return off;
    },
    arrived: () => restoring,
    async clear() {
      const e = entry();
      const attempt = (e?.attempt ?? 0) + 1;
      const saved = store.save(lab, { context: e?.context ?? "", attempt }).catch(() => {});
      await Promise.all([saved, writeMirror({ lab, attempt, commits: [] })]);
    },
  };
  return api;
}

// Pages get their commits from the ledger (the runtime asks for a store when it mounts a lab).
if (typeof window !== "undefined" && typeof document !== "undefined") {
  provideCommitStore((lab) => ledgerCommitStore(lab));
}
