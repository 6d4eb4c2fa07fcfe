/**
 * Dev-server hardening (issue 8): path traversal in every form → 404, loopback only, 1,000
 * concurrent requests, a save with a syntax error keeps the last good bundle. No browser needed.
 */
import assert from "node:assert/strict";
import { declaredLines, stopBundler } from "../../serve/bundle.ts";
import { type DevServer, startDevServer } from "../../serve/server.ts";
import { resolveAsset } from "../../serve/static.ts";
import { tmpLab } from "./tmp-lab.ts";

const MINI = new URL("../fixtures/labs/browser-mini.ts", import.meta.url);
const opts = { port: 0, typecheck: false, watch: false, log: () => {} };

async function withServer(fn: (s: DevServer) => Promise<void>, lab = MINI, o = {}) {
  const dir = await Deno.makeTempDir();
  const s = await startDevServer(lab, { ...opts, ledgerPath: `${dir}/ledger.json`, ...o });
  try {
    await fn(s);
  } finally {
    await s.close();
    await stopBundler();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Sends a raw request line (no client-side normalisation) and returns the status code. */
async function rawStatus(
  port: number,
  target: string,
  host = `127.0.0.1:${port}`,
): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      ),
    );
    const buf = new Uint8Array(256);
    const n = await conn.read(buf);
    const head = new TextDecoder().decode(buf.subarray(0, n ?? 0));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}

const TRAVERSALS = [
  "/../../../../etc/passwd",
  "/..%2f..%2f..%2fetc%2fpasswd",
  "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
  "/%252e%252e/%252e%252e/etc/passwd",
  "/__syslab/static/temml/../../../../deno.json",
  "/__syslab/static/temml/%2e%2e/%2e%2e/%2e%2e/deno.json",
  "/__syslab/static/temml/%2E%2E%2F%2E%2E%2F%2E%2E%2Fdeno.json",
  "/__syslab/static/temml/%252e%252e/%252e%252e/%252e%252e/deno.json",
  "/__syslab/static/temml/..%5c..%5c..%5cdeno.json",
  "/__syslab/static/temml/..\\..\\..\\deno.json",
  "/__syslab/static/temml//etc/passwd",
  "/__syslab/static/temml/%2fetc%2fpasswd",
  "/__syslab/static//etc/passwd",
  "/__syslab/static/temml/Temml-Local.css%00.png",
  "/__syslab/b/../../deno.json",
  "/__syslab/b/..%2f..%2fdeno.json",
  "/__syslab/b/%2e%2e%2fdeno.json",
  "/etc/passwd",
  "//etc/passwd",
  "/deno.json",
  "/serve.ts",
  "/runtime/mod.ts",
  "/tests/fixtures/labs/browser-mini.ts",
  "/.ledger/ledger.json",
  "/node_modules/temml/package.json",
  "file:///etc/passwd",
];

Deno.test({
  name: "dev server: path traversal in every form is a 404; allowed files are served",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withServer(async (s) => {
      for (const target of TRAVERSALS) {
        const status = await rawStatus(s.port, target);
        assert.ok(status === 404 || status === 400, `${target} → ${status}`);
      }
      const abs = await rawStatus(s.port, `http://127.0.0.1:${s.port}/../../etc/passwd`);
      assert.ok(abs === 404 || abs === 400, `absolute-form → ${abs}`);
      // positive controls
      assert.equal(await rawStatus(s.port, "/"), 200);
      assert.equal(await rawStatus(s.port, `/__syslab/b/${s.build.lab}`), 200);
      assert.equal(await rawStatus(s.port, "/__syslab/static/temml/Temml-Local.css"), 200);
      // another Host header (DNS rebinding) is refused
      assert.equal(await rawStatus(s.port, "/", "evil.example"), 403);
      assert.equal(await rawStatus(s.port, "/", `localhost:${s.port}`), 200);
    });
  },
});

Deno.test("dev server: an asset symlink pointing outside its folder is refused", async () => {
  const dir = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${outside}/secret.txt`, "secret");
    await Deno.writeTextFile(`${dir}/ok.css`, "a{}");
    await Deno.symlink(`${outside}/secret.txt`, `${dir}/link.css`);
    await Deno.symlink(outside, `${dir}/sub`);
    const roots = { assets: dir };
    assert.equal(await resolveAsset(roots, "assets/ok.css"), await Deno.realPath(`${dir}/ok.css`));
    assert.equal(await resolveAsset(roots, "assets/link.css"), null);
    assert.equal(await resolveAsset(roots, "assets/sub/secret.txt"), null);
    assert.equal(
      await resolveAsset(roots, "assets/../" + outside.split("/").pop() + "/secret.txt"),
      null,
    );
    assert.equal(await resolveAsset(roots, `assets/${outside}/secret.txt`), null);
    assert.equal(await resolveAsset(roots, "other/ok.css"), null);
    assert.equal(await resolveAsset(roots, "__proto__/ok.css"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test({
  name: "dev server: binds 127.0.0.1 only, and takes the next port when one is taken",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const taken = (blocker.addr as Deno.NetAddr).port;
    try {
      await withServer(
        async (s) => {
          assert.ok(s.url.startsWith("http://127.0.0.1:"));
          assert.notEqual(s.port, taken);
          assert.ok(s.port > taken && s.port < taken + 50);
          const others = Deno.networkInterfaces().filter((i) =>
            i.family === "IPv4" && !i.address.startsWith("127.")
          );
          for (const i of others) {
            await assert.rejects(
              () => Deno.connect({ hostname: i.address, port: s.port }),
              `reachable on ${i.address}`,
            );
          }
          await assert.rejects(() => Deno.connect({ hostname: "::1", port: s.port }));
          (await Deno.connect({ hostname: "127.0.0.1", port: s.port })).close();
        },
        MINI,
        { port: taken },
      );
    } finally {
      blocker.close();
    }
  },
});

Deno.test({
  name: "dev server: 1,000 concurrent requests on loopback, 0 errors",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withServer(async (s) => {
      const paths = ["/", `/__syslab/b/${s.build.lab}`, `/__syslab/b/${s.build.deps}`, "/nope"];
      const signal = AbortSignal.timeout(30_000);
      const results = await Promise.allSettled(
        Array.from({ length: 1000 }, async (_, i) => {
          const p = paths[i % paths.length];
          const r = await fetch(s.url.slice(0, -1) + p, { signal });
          await r.arrayBuffer();
          return r.status === (p === "/nope" ? 404 : 200);
        }),
      );
      const errors = results.filter((r) => r.status === "rejected" || !r.value);
      assert.equal(errors.length, 0, `${errors.length} of 1000 failed`);
    });
  },
});

Deno.test({
  name: "dev server: a save with a syntax error keeps the last good bundle and reports it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const lab = await tmpLab(MINI);
    try {
      await withServer(
        async (s) => {
          const events = await fetch(`${s.url}__syslab/events`);
          const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
          const good = s.build;
          const next = s.nextBuild();
          await lab.write(
            lab.source.replace('.cell("sq", ({ n }) => n * n)', '.cell("sq", ({ n }) => n * )'),
          );
          const failed = await next;
          assert.ok("errors" in failed);
          assert.match(failed.errors.join("\n"), /lab\.ts:\d+:\d+/);
          assert.equal(s.build, good);
          const page = await (await fetch(s.url)).text();
          assert.ok(page.includes(good.lab));
          const js = await fetch(`${s.url}__syslab/b/${good.lab}`);
          assert.equal(js.status, 200);
          await js.body?.cancel();
          let seen = "";
          while (!seen.includes("build-error")) seen += (await reader.read()).value ?? "";
          // fixing the file produces a new build, announced to the page
          const fixed = s.nextBuild();
          await lab.write(lab.source.replace("n * n", "n * n + 1"));
          const b = await fixed;
          assert.ok("lab" in b && b.lab !== good.lab);
          while (!seen.includes(`"build":${b.id}`)) seen += (await reader.read()).value ?? "";
          await reader.cancel();
        },
        lab.url,
        { watch: true },
      );
    } finally {
      await lab.remove();
    }
  },
});

Deno.test("bundle: cell lines are read from the source, comments skipped", () => {
  const src = `/** .cell( in a comment */
export default lab({ id: "x", title: "t" })
  // .show( commented out
  .input("a", () => slider())
  .cell("b", ({ a }) => a)

  .show(({ b }) => b);`;
  assert.deepEqual(declaredLines(src), [4, 5, 7]);
});
