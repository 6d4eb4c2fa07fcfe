/**
 * A second, durable copy of each lab's commits in IndexedDB. Chromium batches localStorage writes
 * to its browser process; a page reloaded while its renderer is starved can start from storage that
 * lacks the last writes (seen in headless Chromium under load, on a plain file:// page too). An
 * IndexedDB transaction is complete only once the browser process holds it, so the commit store
 * writes both and, on the next visit, puts back any commit localStorage lost.
 *
 * Records are `{ lab, attempt, commits }`, one per lab: "start this lab over" replaces it with the
 * new attempt and no commits. Everything here is best effort: without IndexedDB (Deno, a private
 * window that refuses it) it does nothing and localStorage alone holds the commits.
 *
 * @module
 */
import type { ActCommit } from "../../runtime/act.ts";

const DB = "syslab";
const STORE = "commits";
/** Where an exported page's head script leaves its early read of the mirror (`earlyReadScript`). */
const EARLY_READ = "__syslabMirrorRead";

/** What the mirror holds for one lab. */
export interface MirroredCommits {
  lab: string;
  attempt: number;
  commits: ActCommit[];
}

function open(): Promise<IDBDatabase> | null {
  if (typeof indexedDB === "undefined") return null;
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "lab" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  op: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T | null> {
  const opening = open();
  if (!opening) return null;
  const db = await opening;
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** What the head script's read gives: the record (`ok`), or `ok: false` if it could not read. */
interface EarlyRead {
  lab: string;
  read: Promise<{ ok: boolean; value?: MirroredCommits }>;
}

/**
 * A classic script (ES5, no module) that starts reading `lab`'s record before the page's module
 * is even parsed: on a first visit, opening IndexedDB (creating its files) takes tens of
 * milliseconds, which then overlap the module's compile instead of delaying the page's `ready`.
 * `readMirror` takes the result over; the script never rejects, so nothing is logged if unused.
 * `onRecord`, a function expression's text, is called with the record when there is one (before
 * `readMirror` sees it); whatever it throws is swallowed.
 */
export function earlyReadScript(lab: string, onRecord = ""): string {
  const id = JSON.stringify(lab);
  const seen = onRecord ? `if(g.result)try{(${onRecord})(g.result)}catch(_){}` : "";
  return `try{var q=indexedDB.open(${JSON.stringify(DB)},1);q.onupgradeneeded=function(){` +
    `q.result.createObjectStore(${JSON.stringify(STORE)},{keyPath:"lab"})};` +
    `globalThis.${EARLY_READ}={lab:${id},read:new Promise(function(y){` +
    `q.onerror=q.onblocked=function(){y({ok:false})};q.onsuccess=function(){var d=q.result;` +
    `try{var t=d.transaction(${JSON.stringify(STORE)}),g=t.objectStore(${JSON.stringify(STORE)})` +
    `.get(${id});t.oncomplete=function(){d.close();${seen}y({ok:true,value:g.result})};` +
    `t.onerror=t.onabort=function(){d.close();y({ok:false})}}catch(_){d.close();y({ok:false})}}})}` +
    `}catch(_){}`;
}

/** The head script's read of `lab`'s record, taken once (later reads go to IndexedDB). */
function takeEarlyRead(lab: string): EarlyRead["read"] | null {
  const g = globalThis as unknown as Record<string, EarlyRead | undefined>;
  const early = g[EARLY_READ];
  if (!early || early.lab !== lab) return null;
  delete g[EARLY_READ];
  return early.read;
}

/** The mirrored commits of `lab`, or null (none, or no IndexedDB). Never throws. */
export async function readMirror(lab: string): Promise<MirroredCommits | null> {
  const early = takeEarlyRead(lab);
  if (early) {
    const r = await early;
    if (r.ok) return r.value ?? null;
  }
  try {
    return (await run("readonly", (s) => s.get(lab) as IDBRequest<MirroredCommits>)) ?? null;
  } catch {
    return null;
  }
}

/** Writes `lab`'s record (its attempt and every commit of it). Never throws. */
export async function writeMirror(record: MirroredCommits): Promise<void> {
  try {
    await run("readwrite", (s) => s.put(record));
  } catch { /* best effort: localStorage still has it */ }
}
