/**
 * The site (`export --all`, site mode) in Chromium, from `file://` and from a static server on
 * 127.0.0.1: the index opens a lab, the lab renders with no console error or CSP violation, a
 * lock commit is final across a reload (the head script marks the committed page before the lab
 * runs), the back link returns to the index, which shows the prediction, and a second lab opens
 * from there. Over http the shared files are integrity-checked (a tampered one does not run) and
 * a second lab fetches none of them again.
 */
import assert from "node:assert/strict";
import { stopExportBundler } from "../../export/bundle.ts";
import { buildSite, writeSite } from "../../export/site-build.ts";
import { ASSETS_DIR } from "../../export/site-assets.ts";
import type { Browser } from "playwright-core";
import { browserOnlyTest, type Page, settled } from "./harness.ts";

const LABS = ["v2-10", "v1-11"];

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

/** A static file server over `dir`: hashed assets cacheable forever; counts requests per path. */
function staticServer(dir: string) {
  const hits = new Map<string, number>();
  let tamper = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    try {
      let body = await Deno.readFile(`${dir}${path === "/" ? "/index.html" : path}`);
      if (tamper && path.startsWith(`/${ASSETS_DIR}/syslab-`)) {
        body = new Uint8Array([...body, ...new TextEncoder().encode("\n// changed in transit\n")]);
      }
      const headers = new Headers({ "content-type": TYPES[path.split(".").pop()!] ?? "" });
      if (path.startsWith(`/${ASSETS_DIR}/`)) {
        headers.set("cache-control", "public, max-age=31536000, immutable");
      }
      return new Response(body, { headers });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    hits,
    setTamper: (on: boolean) => (tamper = on),
    close: () => server.shutdown(),
  };
}

type Handle = {
  __syslab: {
    ready: Promise<void>;
    engine: { value(n: string): unknown };
  };
};

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as { __syslab?: unknown }).__syslab);
  await page.evaluate(() => (globalThis as unknown as Handle).__syslab.ready);
  await settled(page);
}

/** A fresh context whose console errors, warnings and CSP violations land in `problems`. */
async function newPage(browser: Browser, problems: string[]): Promise<Page> {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() =>
    document.addEventListener(
      "securitypolicyviolation",
      (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    )
  );
  const page = await ctx.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return page;
}

/** The walk on one origin: index → lab, commit, reload, back link, index marks, second lab. */
async function walk(page: Page, base: string, where: string): Promise<void> {
  await page.goto(`${base}/index.html`);
  await page.locator(`.syslab-card[data-lab="v2-10"] a`).click();
  await page.waitForURL(/v2-10\.html$/);
  await waitReady(page);
  assert.equal(await page.locator("section.syslab-cell[data-state=error]").count(), 0, where);
  const scripts = await page.$$eval(
    "script[src]",
    (els) => els.map((e) => [e.getAttribute("src"), e.getAttribute("integrity")]),
  );
  assert.ok(scripts.some(([src]) => /^assets\/syslab-[0-9a-f]{16}\.js$/.test(src!)), where);
  for (const [src, integrity] of scripts) {
    if (where === "http") assert.match(integrity ?? "", /^sha384-/, `${src}: checked over http`);
    else assert.equal(integrity, null, `${src}: no integrity from file:// (it cannot be checked)`);
  }
  // Commit Act I (a wrong pick), as a student: its chart goes live (the Vega file loads).
  const lock = page.locator(`section[data-cell="act1Lock"] syslab-prediction-lock`);
  const wrong = await page.evaluate(() => {
    const p = (globalThis as unknown as Handle).__syslab.engine.value("act1Prediction") as {
      grade(v: string): { correct: boolean };
    };
    return ["A", "B", "C", "D"].find((l) => !p.grade(l).correct)!;
  });
  await lock.locator("input[type=radio]").nth("ABCD".indexOf(wrong)).check();
  await lock.locator("button").first().click();
  await page.waitForSelector("section[data-cell=act1Chart][data-syslab-embeds] svg");
  await page.reload();
  await waitReady(page);
  assert.equal(
    await page.evaluate(() => document.documentElement.hasAttribute("data-syslab-committed")),
    true,
    `${where}: the head script marked the committed page`,
  );
  assert.match(await lock.evaluate((el) => el.shadowRoot?.textContent ?? ""), /Locked/, where);
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as Handle).__syslab.engine.value("act1Lock")),
    wrong,
    `${where}: the commit survived the reload`,
  );
  // Back to the index: it shows the prediction; the second lab opens from its card.
  await page.locator(".syslab-site-nav a").click();
  await page.waitForURL(/index\.html$/);
  assert.match(
    await page.locator(`.syslab-card[data-lab="v2-10"] .syslab-card-progress`).innerText(),
    /Your predictions: 1 made, 0 correct/,
    where,
  );
  await page.locator(`.syslab-card[data-lab="v1-11"] a`).click();
  await page.waitForURL(/v1-11\.html$/);
  await waitReady(page);
  assert.equal(await page.locator("section.syslab-cell[data-state=error]").count(), 0, where);
  assert.ok(await page.locator("section.syslab-cell").count() > 5, `${where}: v1-11 rendered`);
  // A lazy file (vega-lite: only for a chart the exporter did not compile) loads on demand.
  const compile = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      __syslabSite: { load(n: string): Promise<void>; run(n: string): void };
      __syslabChunks: Record<string, Record<string, unknown>>;
    };
    await g.__syslabSite.load("vega-lite");
    g.__syslabSite.run("vega-lite");
    return typeof g.__syslabChunks["vega-lite"].compile;
  });
  assert.equal(compile, "function", `${where}: vega-lite loaded on demand`);
}

browserOnlyTest(
  "site: two labs from file:// and from a static server; commits, back links, SRI, caching",
  async (browser) => {
    const dir = await Deno.makeTempDir({ prefix: "syslab-site-browser-" });
    const server = staticServer(dir);
    try {
      await writeSite(await buildSite(LABS), dir);
      await stopExportBundler();

      const fromFile: string[] = [];
      await walk(await newPage(browser, fromFile), `file://${dir}`, "file");
      assert.deepEqual(fromFile, [], "file://: no console errors or CSP violations");

      const overHttp: string[] = [];
      await walk(await newPage(browser, overHttp), server.url, "http");
      assert.deepEqual(overHttp, [], "http: no console errors or CSP violations");
      // Two labs, a reload and the index, yet each shared file was fetched once (cached).
      const assets = [...server.hits].filter(([p]) => p.startsWith(`/${ASSETS_DIR}/`));
      assert.ok(assets.length >= 3, "the runtime, markdown and Vega files were fetched");
      for (const [path, n] of assets) assert.equal(n, 1, `${path} fetched once`);

      // A shared file changed in transit does not run: the integrity check blocks it.
      server.setTamper(true);
      const tampered: string[] = [];
      const page = await newPage(browser, tampered);
      await page.goto(`${server.url}/v2-10.html`);
      for (let i = 0; i < 100 && !tampered.some((m) => /integrity/i.test(m)); i++) {
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(200);
      assert.ok(tampered.some((m) => /integrity/i.test(m)), tampered.join("\n"));
      assert.equal(await page.evaluate(() => "__syslab" in globalThis), false, "nothing ran");
      assert.ok(
        await page.locator("section.syslab-cell").count() > 5,
        "the pre-rendered page still reads",
      );
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
