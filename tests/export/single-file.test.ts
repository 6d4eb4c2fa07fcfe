/** The single-file export: deterministic, self-contained, strict CSP, pre-rendered content. */
import assert from "node:assert/strict";
import { exportLab, scriptHash } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { progressBar, siteIndex } from "../../export/site.ts";
import { inflateRawSync } from "node:zlib";
import { Buffer } from "node:buffer";

Deno.test({
  name:
    "export v2-10: byte-identical twice, hashed scripts only, inert chunks, charts and markdown ahead",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    try {
      const [a, b] = [await exportLab("10"), await exportLab("v2-10")];
      assert.equal(a.html, b.html, "same input, same bytes");
      // On a site (export --all) the page links back to the index; a single file does not.
      const onSite = await exportLab("v2-10", { site: true });
      assert.match(onSite.html, /<nav class="syslab-site-nav"[^>]*><a href="index\.html">/);
      assert.doesNotMatch(a.html, /syslab-site-nav/);
      const html = a.html;
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
      assert.match(csp, /^default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      const scripts = [...html.matchAll(/<script type="module" async>([\s\S]*?)<\/script>/g)];
      assert.equal(scripts.length, 1);
      assert.ok(csp.includes(`'${await scriptHash(scripts[0][1])}'`), "the CSP allows the bundle");
      // The lazy chunks are inert text, each allowed by its own hash for when it runs: the markdown
      // engine, Vega (run when the first chart goes live), and vega-lite, packed (raw deflate,
      // base64), whose hash is that of the script it unpacks to.
      const chunks = [
        ...html.matchAll(
          /<script type="text\/plain" data-syslab-chunk="([^"]+)"( data-syslab-packed)?>([\s\S]*?)<\/script>/g,
        ),
      ].map(([, name, packed, text]) => ({
        name,
        packed: !!packed,
        script: packed
          ? new TextDecoder().decode(inflateRawSync(Buffer.from(text, "base64")))
          : text,
        bytes: text.length,
      }));
      assert.deepEqual(chunks.map((c) => [c.name, c.packed]), [
        ["markdown", false],
        ["vega", false],
        ["vega-lite", true],
      ]);
      for (const c of chunks) assert.ok(csp.includes(`'${await scriptHash(c.script)}'`), c.name);
      // The head's one-line script that hides a committed lab's open pre-rendered locks.
      const mark = /<script>([^<]*)<\/script>/.exec(html)?.[1] ?? "";
      assert.match(mark, /data-syslab-committed/);
      assert.ok(csp.includes(`'${await scriptHash(mark)}'`), "the CSP allows the head script");
      assert.equal(csp.match(/'sha256-/g)?.length, 5, "no other script may run");
      assert.match(chunks[0].script, /temml/i);
      assert.match(chunks[1].script, /Unrecognized signal name/);
      assert.match(chunks[2].script, /__syslabChunks/);
      assert.ok(chunks[2].bytes < chunks[2].script.length / 2, "packed to under half");
      assert.doesNotMatch(scripts[0][1], /temml/i, "the TeX engine is not in the bundle");
      assert.doesNotMatch(scripts[0][1], /Unrecognized signal name/, "Vega is not in the bundle");
      assert.ok(scripts[0][1].length < 250_000, `the bundle is ${scripts[0][1].length} B`);
      // Rendered ahead: the structure of the charts behind the locks (no data), and markdown
      // parses of the scenario.
      const specs = JSON.parse(
        /<script type="application\/json" id="syslab-vega-specs">([\s\S]*?)<\/script>/.exec(
          html,
        )![1],
      );
      assert.equal(Object.keys(specs).length, 4, "the structures of the two locked charts");
      assert.doesNotMatch(JSON.stringify(specs), /https?:/, "no $schema or data URL in the specs");
      const seeds = JSON.parse(
        /<script type="application\/json" id="syslab-markdown">([\s\S]*?)<\/script>/.exec(html)![1],
      ) as Array<[string, Array<{ out: string }>]>;
      assert.ok(seeds.some(([k]) => k.includes("Act I — The KV-Cache Memory Wall")));
      // Drawn ahead: nothing — the chart a commit reveals is drawn by the page after it.
      const drawn = JSON.parse(
        /<script type="application\/json" id="syslab-drawn-charts">([\s\S]*?)<\/script>/.exec(
          html,
        )![1],
      ) as Record<string, [string, string]>;
      assert.deepEqual(drawn, {});
      assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);
      // Pre-rendered: the header and the scenario are readable before any script runs.
      const pre = html.slice(html.indexOf('id="syslab-root"'), html.indexOf("</main>"));
      assert.match(pre, /The KV-Cache Memory Wall/);
      assert.match(pre, /How many concurrent users fit\?/);
      assert.match(pre, /Commit your prediction to continue/);
      assert.doesNotMatch(pre, /NaN|undefined|Infinity/);
      assert.doesNotMatch(
        pre,
        /<figure class="syslab-chart"|syslab-drawn/,
        "the gated chart is not on the first page",
      );
    } finally {
      await stopExportBundler();
    }
  },
});

Deno.test({
  name: "export gallery: a chart on the first page is pre-rendered as its drawing, both schemes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    try {
      const { html } = await exportLab("gallery");
      const pre = html.slice(html.indexOf('id="syslab-root"'), html.indexOf("</main>"));
      const figure = /<figure[^>]*data-syslab-drawn="([0-9a-f]{16})"[\s\S]*?<\/figure>/.exec(pre);
      assert.ok(figure, "a drawn figure in the pre-render");
      assert.match(
        figure[0],
        /<div class="syslab-drawn" data-scheme="light" aria-hidden="true"><svg/,
      );
      assert.match(
        figure[0],
        /<div class="syslab-drawn" data-scheme="dark" aria-hidden="true"><svg/,
      );
      assert.match(figure[0], /Show as table/, "the numbers stay readable as a table");
      // The page keeps it as it hydrates: it is not stored a second time.
      assert.equal(html.split(figure[1]).length - 1, 1);
    } finally {
      await stopExportBundler();
    }
  },
});

Deno.test("export --all: index cards and the progress bar", async () => {
  const html = await siteIndex([
    { id: "v2-10", title: "The KV-Cache Memory Wall", volume: "II", minutes: 40, topics: ["KV"] },
    { id: "a<b", title: "<script>", minutes: 5 },
  ]);
  assert.match(html, /href="v2-10\.html"/);
  assert.match(html, /Volume II · 40 min/);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /href="a%3Cb\.html"/);
  // Its one script (the visitor's predictions) is the only one the CSP allows, by its hash.
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  const csp = /content="(default-src 'none'[^"]*)"/.exec(html)![1];
  assert.equal(csp.match(/'sha256-[^']+'/g)?.join(), `'${await scriptHash(script)}'`);
  assert.equal(progressBar(3, 6, "v2-10", 10), "[#####·····] 3/6 v2-10");
});
