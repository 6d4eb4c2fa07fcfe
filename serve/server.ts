/**
 * The dev server for one lab: bundles it, serves the page on 127.0.0.1, watches the sources,
 * rebuilds and pushes hot reloads, type-checks in the background, and keeps the design ledger.
 * Only the generated page, the current bundles, the ledger endpoints and an allowlist of assets
 * are served; every other path is a 404.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { hashSource } from "../runtime/hash.ts";
import type { Build, BuildFailure } from "./bundle.ts";
import { LabBundler } from "./lab-bundler.ts";
import { EventHub } from "./events.ts";
import { LedgerFullError, type LedgerRules, LedgerStore } from "./ledger-store.ts";
import { loadLedgerRules } from "./ledger-rules.ts";
import { pageHTML } from "./page.ts";
import { listen } from "./listen.ts";
import { type AssetRoots, contentType, defaultAssetRoots, resolveAsset } from "./static.ts";
import { TypeCheckQueue } from "./typecheck.ts";
import { type Watcher, watchTree } from "./watch.ts";

/** Options of `startDevServer`. */
export interface DevServerOptions {
  /** First port to try (0: any free port); taken ports are skipped upward. Default 8000. */
  port?: number;
  /** The project root (default: this repository). */
  root?: URL;
  /** Ledger file (default: `$SYSLAB_LEDGER` or `<root>/.ledger/ledger.json`). */
  ledgerPath?: string;
  /** Watch and hot-reload (default true). */
  watch?: boolean;
  /** Run `deno check` after each build (default true). */
  typecheck?: boolean;
  /** How ledger entries are checked and merged (default: cells/ledger's rules). */
  ledgerRules?: LedgerRules;
  /** Where progress lines go (default console.log; tests pass a no-op). */
  log?: (line: string) => void;
  /**
   * Where the page's shared half is kept between runs (default `$SYSLAB_CACHE` or
   * `<root>/.syslab-cache/dev-deps`;
   * null: rebuilt at every start). See `lab-bundler.ts`.
   */
  cacheDir?: string | null;
  /** How long a client may take to send a request's headers, in ms (default 10 s). */
  headerTimeoutMs?: number;
}

/** A running dev server. */
export interface DevServer {
  readonly url: string;
  readonly port: number;
  readonly labId: string;
  /** The build the page currently gets. */
  readonly build: Build;
  /** The last build error (null after a good build). */
  readonly buildError: BuildFailure | null;
  /**
   * Rebuilds now (what the watcher does on save, with the saved files; without them everything
   * is rebuilt); resolves after pages were told.
   */
  rebuild(changed?: string[]): Promise<Build | BuildFailure>;
  /** Resolves after the next build finished (useful in tests after writing a file). */
  nextBuild(): Promise<Build | BuildFailure>;
  /** Stops everything: watcher, esbuild, open event streams, the listener. */
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
const KEEP_BUILDS = 4;
/**
 * The first type check waits for the first page: it starts this long after a page opened the
 * event stream (the page has mounted; its first charts draw meanwhile), or after
 * `FIRST_CHECK_LATEST_MS` if no page comes. `deno check` takes a core for seconds when its cache
 * is cold, and on two cores it slowed the first page by as much. Its errors reach open pages
 * when it ends, as before.
 */
const FIRST_CHECK_AFTER_PAGE_MS = 800;
const FIRST_CHECK_LATEST_MS = 2500;
/** A ledger entry's path (PUT only). */
const LEDGER_ENTRY = /^\/__syslab\/ledger\/([A-Za-z0-9_.-]{1,100})$/;
/** Paths that answer GET and HEAD only (anything else gets 405 with `Allow`). */
const GET_ONLY = /^\/(index\.html|favicon\.ico|__syslab\/(events|ledger|b\/.+|static\/.+))?$/;

/** Starts the dev server for the lab file at `labUrl`. */
export async function startDevServer(labUrl: URL, opts: DevServerOptions = {}): Promise<DevServer> {
  const root = opts.root ?? new URL("../", import.meta.url);
  const rootPath = fileURLToPath(root).replace(/\/$/, "");
  const labPath = fileURLToPath(labUrl);
  const log = opts.log ?? ((l: string) => console.log(l));
  const labId = labPath.split("/").pop()!.replace(/\.ts$/, "");
  const bundler = new LabBundler(labUrl, root, { cacheDir: opts.cacheDir });
  // Loaded while the first build runs (neither needs the other; both cost a fresh process).
  const rules = opts.ledgerRules ? Promise.resolve(opts.ledgerRules) : loadLedgerRules(root);
  const cssOf = async (): Promise<string> => {
    const styleUrl = new URL("cells/style.ts", root);
    try {
      const mtime = (await Deno.stat(styleUrl)).mtime?.getTime() ?? 0;
      const mod = await import(`${styleUrl.href}?v=${mtime}`) as Record<string, unknown>;
      const css = Object.values(mod).find((v) => typeof v === "string" && v.includes("{"));
      return typeof css === "string" ? css : "";
    } catch {
      return "";
    }
  };
  void cssOf();
  const first = await bundler.build();
  const ledger = new LedgerStore(
    opts.ledgerPath ?? Deno.env.get("SYSLAB_LEDGER") ?? `${rootPath}/.ledger/ledger.json`,
    await rules,
  );
  const assets: AssetRoots = defaultAssetRoots(root);
  if (!("lab" in first)) {
    await bundler.dispose();
    throw new Error(`the lab does not build:\n${first.errors.join("\n")}`);
  }
  let build: Build = first;
  let buildError: BuildFailure | null = null;
  let typeErrors: string[] = [];
  const recent: Build[] = [first];
  const sigOf = (b: Build) => hashSource(b.shared.join("\n"));
  const reloadMsg = () => ({
    type: "reload",
    build: build.id,
    sig: sigOf(build),
    lab: `/__syslab/b/${build.lab}`,
  });
  // The last ledger warning (a corrupt file moved aside): pages that open later get it too.
  let ledgerWarning: string | null = null;
  const hub = new EventHub(() => {
    firstPage();
    return greeting();
  });
  const greeting = () => [
    reloadMsg(),
    ...(buildError ? [{ type: "build-error", errors: buildError.errors }] : []),
    { type: "types", errors: typeErrors },
    ...(ledgerWarning ? [{ type: "ledger-warning", message: ledgerWarning }] : []),
  ];
  const checker = new TypeCheckQueue(labPath, rootPath, (errors) => {
    typeErrors = errors;
    hub.send({ type: "types", errors });
  });
  let waiters: Array<(b: Build | BuildFailure) => void> = [];
  // The first check, deferred (see FIRST_CHECK_AFTER_PAGE_MS); a rebuild asks at once. esbuild
  // is started then too, if the first build came from the cache (the first save needs it).
  let firstCheck: ReturnType<typeof setTimeout> | undefined;
  const checkNow = () => {
    if (firstCheck !== undefined) void bundler.prewarm();
    clearTimeout(firstCheck);
    firstCheck = undefined;
    if (opts.typecheck !== false) checker.request();
  };
  let pageSeen = false;
  const firstPage = () => {
    if (firstCheck === undefined || pageSeen) return;
    pageSeen = true;
    clearTimeout(firstCheck);
    firstCheck = setTimeout(checkNow, FIRST_CHECK_AFTER_PAGE_MS);
  };

  let building: Promise<Build | BuildFailure> | null = null;
  let again = false;
  // Files saved since the last build started (null: unknown, rebuild everything).
  let saved: Set<string> | null = new Set();
  const rebuild = (changed?: string[]): Promise<Build | BuildFailure> => {
    if (!changed) saved = null;
    else if (saved) { for (const p of changed) saved.add(p); }
    if (building) {
      again = true;
      return building;
    }
    building = (async () => {
      let result: Build | BuildFailure;
      do {
        again = false;
        const files = saved ? [...saved] : undefined;
        saved = new Set();
        result = await bundler.build(files);
        if ("lab" in result) {
          const changed = result.files.size !== build.files.size ||
            [...result.files.keys()].some((k) => !build.files.has(k));
          buildError = null;
          if (changed) {
            build = result;
            recent.push(result);
            if (recent.length > KEEP_BUILDS) recent.shift();
            log(`rebuilt in ${result.ms.toFixed(0)} ms`);
          }
          hub.send(reloadMsg());
          checkNow();
        } else {
          buildError = result;
          log(`build failed (the last good page stays):\n${result.errors.join("\n")}`);
          hub.send({ type: "build-error", errors: result.errors });
        }
      } while (again);
      building = null;
      const ws = waiters;
      waiters = [];
      for (const w of ws) w(result);
      return result;
    })();
    return building;
  };

  const watcher: Watcher | null = opts.watch === false ? null : watchTree(
    [
      ...new Set(
        ["labs", "cells", "core", "runtime"].map((d) => `${rootPath}/${d}`).concat(
          dirname(labPath),
        ),
      ),
    ],
    (paths) => void rebuild(paths),
  );
  firstCheck = setTimeout(checkNow, FIRST_CHECK_LATEST_MS);

  const handler = async (req: Request, port: number): Promise<Response> => {
    // The Host is checked before the URL is parsed: a malformed one is refused, never echoed.
    const host = req.headers.get("host") ?? "";
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) {
      return text(403, "forbidden host");
    }
    const url = new URL(req.url);
    const path = url.pathname;
    const method = req.method;
    if (method === "GET" || method === "HEAD") {
      if (path === "/" || path === "/index.html") {
        const html = pageHTML({
          labId,
          title: labId,
          build,
          sig: sigOf(build),
          css: await cssOf(),
        });
        return new Response(method === "HEAD" ? null : html, {
          headers: {
            ...SECURE,
            "content-type": "text/html; charset=utf-8",
            "cache-control": "no-store",
          },
        });
      }
      if (path === "/favicon.ico") return new Response(null, { status: 204 });
      if (path === "/__syslab/events") return hub.response();
      const b = /^\/__syslab\/b\/([\w.-]+)$/.exec(path);
      if (b) {
        const bytes = recent.findLast((r) => r.files.has(b[1]))?.files.get(b[1]);
        if (!bytes) return notFound();
        return new Response(method === "HEAD" ? null : bytes as BodyInit, {
          headers: {
            ...SECURE,
            "content-type": contentType(b[1]),
            "cache-control": "public, max-age=31536000, immutable",
          },
        });
      }
      if (path.startsWith("/__syslab/static/")) {
        const file = await resolveAsset(assets, path.slice("/__syslab/static/".length));
        if (!file) return notFound();
        return new Response(method === "HEAD" ? null : await Deno.readFile(file) as BodyInit, {
          headers: { ...SECURE, "content-type": contentType(file) },
        });
      }
      if (path === "/__syslab/ledger") {
        const r = await ledger.read();
        const warned = reportWarning(r.warning);
        // No ledger yet is not an error: 204, so a fresh page logs no failed request.
        if (!r.value) return new Response(null, { status: 204, headers: { ...SECURE, ...warned } });
        return json(200, r.value, warned);
      }
      return LEDGER_ENTRY.test(path) ? methodNotAllowed("PUT") : notFound();
    }
    const put = LEDGER_ENTRY.exec(path);
    if (put && method === "PUT") {
      const limit = ledger.limits.entryBytes;
      const body = await readBody(req, limit);
      if (body === null) {
        return text(413, `the entry is larger than ${limit / 1024} KB; it was not saved`);
      }
      let entry: unknown;
      try {
        entry = JSON.parse(body);
      } catch {
        return text(400, "the entry is not JSON");
      }
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        return text(400, "the entry must be a JSON object");
      }
      let r;
      try {
        r = await ledger.put(put[1], entry);
      } catch (e) {
        return text(e instanceof LedgerFullError ? 413 : 400, (e as Error).message);
      }
      const warned = reportWarning(r.warning);
      // The reply holds this lab's entry only: a PUT's cost does not grow with the ledger.
      const labs = Object.hasOwn(r.value.labs, put[1]) ? { [put[1]]: r.value.labs[put[1]] } : {};
      return json(200, { ...r.value, labs }, {
        ...warned,
        ...(r.movedAside ? { "x-syslab-moved-aside": r.movedAside } : {}),
      });
    }
    if (put) return methodNotAllowed("PUT");
    return GET_ONLY.test(path) ? methodNotAllowed("GET, HEAD") : notFound();
  };

  /** Logs a ledger warning and tells the pages; returns the header the reply carries it in. */
  const reportWarning = (message: string | undefined): Record<string, string> => {
    if (!message) return {};
    ledgerWarning = message;
    log(message);
    hub.send({ type: "ledger-warning", message });
    return { [WARNING_HEADER]: encodeURIComponent(message) };
  };

  const server = await listen(
    opts.port ?? 8000,
    (req) =>
      handler(req, server.port).catch((e) => {
        // Logged here; the reply says nothing about the request (it may echo what was sent).
        console.error(`syslab dev server: ${(e as Error)?.stack ?? e}`);
        return text(500, "internal error (see the dev server's terminal)");
      }),
    { headerTimeoutMs: opts.headerTimeoutMs },
  );
  const port = server.port;
  const url = `http://${HOST}:${port}/`;

  return {
    url,
    port,
    labId,
    get build() {
      return build;
    },
    get buildError() {
      return buildError;
    },
    rebuild,
    nextBuild: () => new Promise((r) => waiters.push(r)),
    async close() {
      watcher?.close();
      clearTimeout(firstCheck);
      checker.close();
      hub.close();
      await server.close();
      await bundler.dispose();
      await checker.idle();
    },
  };
}

const SECURE = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };

/** The header a ledger reply carries a warning in (URI-encoded), for the page's ledger store. */
export const WARNING_HEADER = "x-syslab-ledger-warning";

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { ...SECURE, "content-type": "text/plain; charset=utf-8" },
  });
}

function notFound(): Response {
  return text(404, "not found");
}

function methodNotAllowed(allow: string): Response {
  const r = text(405, `method not allowed; this path answers ${allow}`);
  r.headers.set("allow", allow);
  return r;
}

function json(status: number, value: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: {
      ...extra,
      ...SECURE,
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}

/** The body as text, or null (read no further) once it passes `max` bytes. */
async function readBody(req: Request, max: number): Promise<string | null> {
  const reader = req.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) all.set(c, (o += c.length) - c.length);
  return new TextDecoder().decode(all);
}
