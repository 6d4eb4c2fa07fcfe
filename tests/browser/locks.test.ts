/**
 * The prediction lock holds in Chromium, for every shipped lab with acts, in the dev server and
 * in its exported file opened from `file://`: commit a wrong option through the widget; reload →
 * still committed, the widget disabled, the engine refusing another commit; a second tab and a
 * fresh browser profile (the dev server's ledger file) see the same commit; switching the context
 * afterwards is refused and the recorded prediction does not change. Screenshots of the committed
 * lock after the reload go to $SYSLAB_SHOTS when set.
 */
import assert from "node:assert/strict";
import { type Browser } from "playwright-core";
import { exportLab } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { browserOnlyTest, browserSuite, type Page, ROOT, settled } from "./harness.ts";

/** The labs with acts and the testids of nothing: everything is found through the engine. */
export const LOCKED_LABS = Deno.env.get("SYSLAB_LOCK_LABS")?.split(",") ??
  [
    "v2-10",
    "v1-11",
    "v1-13",
    "v1-08",
    "v2-05",
    "v2-06",
    "v2-07",
    "v2-09",
    "kv-cache-tax",
    "llm-serving",
    "memory-growth",
    "gallery",
  ];
const shots = Deno.env.get("SYSLAB_SHOTS");

type Handle = {
  __syslab: {
    engine: {
      value(n: string): unknown;
      definition: { cells: Array<{ name: string; kind: string; lock?: { act: string } }> };
      inputSpec(n: string): { samples?: unknown[] } | null;
    };
    setInput(n: string, v: unknown): void;
    ready: Promise<void>;
  };
};

/** The first act's lock: its name, a wrong value, and the lab's contexts. */
async function firstLock(page: Page) {
  return await page.evaluate(() => {
    const s = (globalThis as unknown as Handle).__syslab;
    const lock = s.engine.definition.cells.find((c) => c.lock)!;
    const p = s.engine.value(`${lock.lock!.act}Prediction`) as {
      grade(v: unknown): { correct: boolean };
      input: { samples?: unknown[] };
    };
    const values = (p.input.samples ?? []).filter((v) => v !== null);
    const wrong = values.find((v) => !p.grade(v).correct) ?? values[0];
    const other = values.find((v) => v !== wrong);
    const contexts = s.engine.definition.cells.some((c) => c.name === "context")
      ? (s.engine.inputSpec("context")?.samples ?? [])
      : [];
    return { name: lock.name, act: lock.lock!.act, wrong, other, contexts };
  });
}

/** Commits `value` through the widget, as a student would (radio + button, or a number). */
async function commitInWidget(page: Page, name: string, value: unknown): Promise<void> {
  const host = page.locator(`section[data-cell="${name}"] syslab-prediction-lock`);
  const radios = host.locator("input[type=radio]");
  if (await radios.count()) {
    await radios.nth("ABCD".indexOf(String(value))).check();
  } else {
    await host.locator("input[type=number]").fill(String(value));
  }
  await host.locator("button").click();
  await settled(page);
}

const readValue = (page: Page, name: string) =>
  page.evaluate((n) => (globalThis as unknown as Handle).__syslab.engine.value(n), name);

/** Whether the engine refuses `value` for `name` (InputLockedError). */
const refuses = (page: Page, name: string, value: unknown) =>
  page.evaluate(([n, v]) => {
    try {
      (globalThis as unknown as Handle).__syslab.setInput(n as string, v);
      return "accepted";
    } catch (e) {
      return (e as Error).name;
    }
  }, [name, value] as const);

/** The lock as the page renders it: committed (no radios, a "Locked" badge) and disabled. */
async function assertCommitted(page: Page, name: string, where: string): Promise<void> {
  const host = page.locator(`section[data-cell="${name}"] syslab-prediction-lock`);
  await host.waitFor();
  const text = await host.evaluate((el) => el.shadowRoot?.textContent ?? "");
  assert.match(text, /Locked/, `${where}: the lock shows committed`);
  assert.equal(await host.locator("button").count(), 0, `${where}: no commit button`);
  assert.equal(await host.getAttribute("disabled"), "", `${where}: the widget is disabled`);
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as { __syslab?: unknown }).__syslab);
  await page.evaluate(() => (globalThis as unknown as Handle).__syslab.ready);
  await settled(page);
}

/** The whole walk on one page source; `fresh()` opens the lab in a new profile. */
async function walk(
  lab: string,
  page: Page,
  reopen: { tab: () => Promise<Page>; fresh: (() => Promise<Page>) | null },
  where: string,
): Promise<void> {
  const lock = await firstLock(page);
  await commitInWidget(page, lock.name, lock.wrong);
  assert.equal(await readValue(page, lock.name), lock.wrong, `${where}: committed`);
  const graded = await readValue(page, lock.act) as { correct: boolean };
  assert.equal(graded.correct, false, `${where}: a wrong pick is graded wrong`);

  await page.reload();
  await waitReady(page);
  await assertCommitted(page, lock.name, `${where} after reload`);
  if (where === "export") {
    // Before the module ran, the head script marked the page so its open pre-render stays hidden.
    assert.equal(
      await page.evaluate(() => document.documentElement.hasAttribute("data-syslab-committed")),
      true,
    );
  }
  assert.equal(await readValue(page, lock.name), lock.wrong, `${where}: kept across reload`);
  assert.equal(await refuses(page, lock.name, lock.other), "InputLockedError", where);
  if (shots) {
    await page.locator(`section[data-cell="${lock.name}"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/locks-${lab}-${where.split(" ")[0]}.png` });
  }

  const tab = await reopen.tab();
  await waitReady(tab);
  await assertCommitted(tab, lock.name, `${where} second tab`);
  assert.equal(await readValue(tab, lock.name), lock.wrong, `${where}: second tab`);
  await tab.close();

  if (reopen.fresh) {
    const other = await reopen.fresh();
    await other.waitForFunction(
      (n) => {
        try {
          return (globalThis as unknown as Handle).__syslab.engine.value(n) !== null;
        } catch {
          return false;
        }
      },
      lock.name,
    );
    await settled(other);
    await assertCommitted(other, lock.name, `${where} fresh profile`);
    assert.equal(await readValue(other, lock.name), lock.wrong, `${where}: fresh profile`);
  }

  if (lock.contexts.length > 1) {
    const ctx = await readValue(page, "context");
    const switched = lock.contexts.find((c) => c !== ctx);
    assert.equal(await refuses(page, "context", switched), "InputLockedError", where);
    assert.equal(await readValue(page, "context"), ctx, `${where}: context stays`);
    assert.equal(await readValue(page, lock.name), lock.wrong, `${where}: prediction stays`);
  }
}

for (const lab of LOCKED_LABS) {
  browserSuite(
    `locks: ${lab} — a commit is final across reload, tabs and profiles (dev server)`,
    { lab: new URL(`labs/${lab}.ts`, ROOT), watch: false },
    async (_t, env) => {
      const page = await env.open();
      await walk(lab, page, {
        tab: async () => {
          const p = await page.context().newPage();
          await p.goto(page.url());
          return p;
        },
        fresh: () => env.open(),
      }, "dev");
      const onDisk = JSON.parse(await Deno.readTextFile(env.ledgerPath)).labs[lab];
      assert.ok(onDisk.acts, "the commit is in the dev server's ledger file");
    },
  );
}

browserOnlyTest(
  "locks: every lab's export keeps its commit from file:// (reload, second tab)",
  async (
    browser: Browser,
  ) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-locks-" });
    try {
      for (const lab of LOCKED_LABS) {
        const { html } = await exportLab(lab);
        const file = `${dir}/${lab}.html`;
        await Deno.writeTextFile(file, html);
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        await page.goto(`file://${file}`);
        await waitReady(page);
        await walk(lab, page, {
          tab: async () => {
            const p = await ctx.newPage();
            await p.goto(`file://${file}`);
            return p;
          },
          fresh: null,
        }, "export");
        await ctx.close();
      }
    } finally {
      await stopExportBundler();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);

browserSuite(
  "locks: v2-10 — 'Start this lab over' asks first, then opens every lock again",
  { lab: new URL("labs/v2-10.ts", ROOT), watch: false },
  async (_t, env) => {
    const page = await env.open();
    const lock = await firstLock(page);
    await commitInWidget(page, lock.name, lock.wrong);
    const button = page.getByRole("button", { name: "Start this lab over" });
    // Dismissing the confirm dialog changes nothing.
    page.once("dialog", (d) => d.dismiss());
    await button.click();
    await settled(page);
    assert.equal(await readValue(page, lock.name), lock.wrong, "dismissed: still committed");
    // Accepting it clears the commits and reloads: the lock is open, and a new commit is final.
    page.once("dialog", (d) => d.accept());
    await Promise.all([page.waitForEvent("load"), button.click()]);
    await waitReady(page);
    assert.equal(await readValue(page, lock.name), null, "the lock is open again");
    assert.equal(await refuses(page, "context", lock.contexts.at(-1)), "accepted");
    await commitInWidget(page, lock.name, lock.other);
    assert.equal(await refuses(page, lock.name, lock.wrong), "InputLockedError");
    const entry = await page.evaluate(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs["v2-10"]
    );
    assert.equal(entry.attempt, 1);
    assert.equal(entry.acts.act1.prediction, lock.other);
  },
);

browserSuite(
  "locks: v2-10 — a record still waiting to be saved when 'Start this lab over' is accepted does not bring the old commit back",
  { lab: new URL("labs/v2-10.ts", ROOT), watch: false },
  async (_t, env) => {
    const page = await env.open();
    const lock = await firstLock(page);
    await commitInWidget(page, lock.name, lock.wrong);
    // Move an instrument behind the commit (its record changes: the summary's ledger save is
    // pending for a moment), then start over at once: the reload's pagehide flushes that save.
    await Promise.all([
      page.waitForEvent("load"),
      page.evaluate(async () => {
        const s = (globalThis as unknown as Handle).__syslab;
        const now = s.engine.value("model");
        const other = (s.engine.inputSpec("model")?.samples ?? []).find((v) => v !== now);
        s.setInput("model", other);
        await (s.engine as unknown as { settled(): Promise<unknown> }).settled();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        globalThis.confirm = () => true;
        const host = document.querySelector("syslab-start-over");
        (host?.shadowRoot?.querySelector("button") as HTMLButtonElement).click();
      }),
    ]);
    await waitReady(page);
    assert.equal(await readValue(page, lock.name), null, "the lock is open in the new attempt");
    const entry = await page.evaluate(() =>
      JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs["v2-10"]
    );
    assert.equal(entry.attempt, 1);
    assert.equal(entry.acts?.act1, undefined, "the old attempt's commit is not in the new one");
  },
);

/** Exports v2-10 to a temporary file, runs `fn` with its path, and cleans up after. */
async function withExportedV210(
  prefix: string,
  fn: (file: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    const { html } = await exportLab("v2-10");
    const file = `${dir}/v2-10.html`;
    await Deno.writeTextFile(file, html);
    await fn(file);
  } finally {
    await stopExportBundler();
    await Deno.remove(dir, { recursive: true });
  }
}

browserOnlyTest(
  "locks: a commit localStorage lost across a reload comes back from its IndexedDB copy (file://)",
  async (browser: Browser) => {
    await withExportedV210("syslab-mirror-", async (file) => {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`file://${file}`);
      await waitReady(page);
      const lock = await firstLock(page);
      await commitInWidget(page, lock.name, lock.wrong);
      // Wait for the copy, then lose the ledger as a starved renderer's reload can.
      await page.waitForFunction(() =>
        new Promise((resolve) => {
          const req = indexedDB.open("syslab", 1);
          req.onsuccess = () => {
            const get = req.result.transaction("commits").objectStore("commits").get("v2-10");
            get.onsuccess = () => resolve((get.result?.commits?.length ?? 0) > 0);
            get.onerror = () => resolve(false);
          };
          req.onerror = () => resolve(false);
        })
      );
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await waitReady(page);
      await page.waitForFunction(
        ([n, v]) => (globalThis as unknown as Handle).__syslab.engine.value(n as string) === v,
        [lock.name, lock.wrong],
      );
      await assertCommitted(page, lock.name, "restored from IndexedDB");
      assert.equal(
        await page.evaluate(() => document.documentElement.hasAttribute("data-syslab-committed")),
        true,
        "the head script marked the page from the IndexedDB copy",
      );
      assert.equal(await refuses(page, lock.name, lock.other), "InputLockedError");
      const entry = await page.evaluate(() =>
        JSON.parse(localStorage.getItem("syslab.ledger.v1") ?? "{}").labs["v2-10"]
      );
      assert.equal(entry.acts.act1.prediction, lock.wrong, "the ledger holds the commit again");
      await ctx.close();
    });
  },
);

/**
 * Installed before the page's scripts: IndexedDB transactions report completion only when the
 * test lets them (`__holdIDB`), so the test sees what the page shows while a commit's durable
 * copy is still being written.
 */
function holdIndexedDB() {
  const w = globalThis as unknown as { __holdIDB?: boolean; __heldIDB: Array<() => void> };
  w.__heldIDB = [];
  const desc = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, "oncomplete")!;
  Object.defineProperty(IDBTransaction.prototype, "oncomplete", {
    configurable: true,
    get() {
      return desc.get!.call(this);
    },
    set(fn: ((e: Event) => void) | null) {
      desc.set!.call(
        this,
        fn &&
          ((e: Event) => w.__holdIDB ? w.__heldIDB.push(() => fn.call(this, e)) : fn.call(this, e)),
      );
    },
  });
}

browserOnlyTest(
  "locks: a commit made in the widget is in IndexedDB before anything behind its lock shows (file://)",
  async (browser: Browser) => {
    await withExportedV210("syslab-durable-", async (file) => {
      const ctx = await browser.newContext();
      await ctx.addInitScript(holdIndexedDB);
      const page = await ctx.newPage();
      await page.goto(`file://${file}`);
      await waitReady(page);
      const lock = await firstLock(page);
      const chart = `section[data-cell="act1Chart"] svg`;
      await page.evaluate(() => (globalThis as unknown as { __holdIDB: boolean }).__holdIDB = true);
      const host = page.locator(`section[data-cell="${lock.name}"] syslab-prediction-lock`);
      await host.locator("input[type=radio]").nth("ABCD".indexOf(String(lock.wrong))).check();
      await host.locator("button").click();
      // The write is held: the lock has not taken the value, and nothing behind it ran.
      await page.waitForTimeout(300);
      assert.equal(await readValue(page, lock.name), null, "not applied before it is durable");
      assert.equal(await page.locator(chart).count(), 0, "no chart before the commit is durable");
      assert.match(
        await page.$eval(`section[data-cell="${lock.act}"]`, (el) => el.textContent ?? ""),
        /Commit your prediction/,
      );
      // Released: the commit applies and the reveal shows.
      await page.evaluate(() => {
        const w = globalThis as unknown as { __holdIDB: boolean; __heldIDB: Array<() => void> };
        w.__holdIDB = false;
        for (const f of w.__heldIDB.splice(0)) f();
      });
      await settled(page);
      assert.equal(await readValue(page, lock.name), lock.wrong, "applied once durable");
      await page.locator(chart).waitFor();
      await ctx.close();
    });
  },
);
