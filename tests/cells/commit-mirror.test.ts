/**
 * The head script's early read of the commits' IndexedDB copy (`earlyReadScript`): `readMirror`
 * takes its record over once, for its own lab only, and falls back to IndexedDB when it failed.
 * A tiny in-memory IndexedDB stands in for the browser's.
 */
import assert from "node:assert/strict";
import { earlyReadScript, readMirror } from "../../cells/ledger/commit-mirror.ts";
import { committedMarkScript } from "../../export/committed.ts";
import { STORAGE_KEY } from "../../cells/ledger/store.ts";

type Handler = (() => void) | null;

/** An IndexedDB with one object store whose `get` answers from `records`; counts its opens. */
function fakeIndexedDB(records: Record<string, unknown>, fail = false) {
  const calls = { opens: 0 };
  const db = {
    close() {},
    transaction() {
      const tx = {
        oncomplete: null as Handler,
        onerror: null as Handler,
        onabort: null as Handler,
        objectStore: () => ({
          get(key: string) {
            const req = { result: records[key], onsuccess: null as Handler };
            queueMicrotask(() => fail ? tx.onabort?.() : tx.oncomplete?.());
            return req;
          },
        }),
      };
      return tx;
    },
    createObjectStore() {},
  };
  const api = {
    open() {
      calls.opens++;
      const req = {
        result: db,
        error: null,
        onsuccess: null as Handler,
        onerror: null as Handler,
        onblocked: null as Handler,
        onupgradeneeded: null as Handler,
      };
      setTimeout(() => req.onsuccess?.(), 0);
      return req;
    },
  };
  return { api, calls };
}

async function withIndexedDB<T>(idb: unknown, fn: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as Record<string, unknown>;
  g.indexedDB = idb;
  try {
    return await fn();
  } finally {
    delete g.indexedDB;
    delete g.__syslabMirrorRead;
  }
}

const RECORD = { lab: "v2-10", attempt: 0, commits: [{ act: "I", value: "B", setup: {} }] };

Deno.test("commit mirror: readMirror takes the head script's read over, once", async () => {
  const { api, calls } = fakeIndexedDB({ "v2-10": RECORD });
  await withIndexedDB(api, async () => {
    new Function(earlyReadScript("v2-10"))();
    assert.equal(calls.opens, 1, "the head script opened the database");
    assert.deepEqual(await readMirror("v2-10"), RECORD);
    assert.equal(calls.opens, 1, "no second open for the first read");
    assert.deepEqual(await readMirror("v2-10"), RECORD);
    assert.equal(calls.opens, 2, "a later read asks IndexedDB again");
  });
});

Deno.test("commit mirror: another lab's early read is left alone", async () => {
  const { api, calls } = fakeIndexedDB({ "v2-10": RECORD, "v1-11": null });
  await withIndexedDB(api, async () => {
    new Function(earlyReadScript("v2-10"))();
    assert.equal(await readMirror("v1-11"), null);
    assert.equal(calls.opens, 2);
    assert.deepEqual(await readMirror("v2-10"), RECORD);
  });
});

Deno.test("commit mirror: a failed early read falls back to IndexedDB", async () => {
  const failing = fakeIndexedDB({ "v2-10": RECORD }, true);
  await withIndexedDB(failing.api, async () => {
    new Function(earlyReadScript("v2-10"))();
    // The early read aborts; the fallback read aborts too, so the answer is "none", not a throw.
    assert.equal(await readMirror("v2-10"), null);
    assert.equal(failing.calls.opens, 2, "the fallback opened the database again");
  });
});

Deno.test("commit mirror: the head script does nothing without IndexedDB", () => {
  new Function(earlyReadScript("v2-10"))();
  assert.equal((globalThis as Record<string, unknown>).__syslabMirrorRead, undefined);
});

/** Runs the export's head script with a fake document and localStorage; whether it marked. */
async function marked(ledger: unknown, records: Record<string, unknown>): Promise<boolean> {
  const g = globalThis as unknown as Record<string, unknown>;
  const attrs = new Set<string>();
  const store = new Map<string, string>();
  if (ledger) store.set(STORAGE_KEY, JSON.stringify(ledger));
  const saved = { document: g.document, localStorage: g.localStorage };
  g.document = { documentElement: { setAttribute: (n: string) => attrs.add(n) } };
  Object.defineProperty(g, "localStorage", {
    value: { getItem: (k: string) => store.get(k) ?? null },
    configurable: true,
  });
  try {
    return await withIndexedDB(fakeIndexedDB(records).api, async () => {
      new Function(committedMarkScript("v2-10"))();
      await readMirror("v2-10");
      return attrs.has("data-syslab-committed");
    });
  } finally {
    g.document = saved.document;
    Object.defineProperty(g, "localStorage", { value: saved.localStorage, configurable: true });
  }
}

Deno.test("export head script: marks a committed page from localStorage, or from the mirror", async () => {
  const committed = { labs: { "v2-10": { context: "", acts: { I: { prediction: "B" } } } } };
  assert.equal(await marked(committed, {}), true, "localStorage has the commit");
  assert.equal(await marked(null, { "v2-10": RECORD }), true, "localStorage lost it");
  assert.equal(await marked(null, {}), false, "no commit anywhere");
  const reset = { labs: { "v2-10": { context: "", attempt: 1 } } };
  assert.equal(await marked(reset, { "v2-10": RECORD }), false, "the mirror's attempt is old");
});
