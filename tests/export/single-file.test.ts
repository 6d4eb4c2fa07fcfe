/** The single-file export: deterministic, self-contained, strict CSP, pre-rendered content. */
import assert from "node:assert/strict";
import { exportLab, scriptHash } from "../../export/single-file.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { progressBar, siteIndex } from "../../export/site.ts";

Deno.test({
  name:
    "export v2-10: byte-identical twice, hashed scripts only, inert chunks, charts and markdown ahead",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    try {
      const [a, b] = [await exportLab("10"), await exportLab("v2-10")];
      assert.equal(a.html, b.html, "same input, same bytes");
      const html = a.html;
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
      assert.match(csp, /^default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      const scripts = [...html.matchAll(/<script type="module" async>([\s\S]*?)<\/script>/g)];
      assert.equal(scripts.length, 1);
      assert.ok(csp.includes(`'${await scriptHash(scripts[0][1])}'`), "the CSP allows the bundle");
      // The lazy chunks are inert text, each allowed by its own hash for when it runs.
      const chunks = [
        ...html.matchAll(
          /<script type="text\/plain" data-syslab-chunk="([^"]+)">([\s\S]*?)<\/script>/g,
        ),
      ];
      assert.deepEqual(chunks.map((c) => c[1]), ["markdown", "vega-lite"]);
      for (const c of chunks) assert.ok(csp.includes(`'${await scriptHash(c[2])}'`), c[1]);
      assert.equal(csp.match(/'sha256-/g)?.length, 3, "no other script may run");
      assert.match(chunks[0][2], /temml/i);
      assert.doesNotMatch(scripts[0][1], /temml/i, "the TeX engine is not in the bundle");
      // Rendered ahead: Vega specs for both charts in both schemes, and markdown parses.
      const specs = JSON.parse(
        /<script type="application\/json" id="syslab-vega-specs">([\s\S]*?)<\/script>/.exec(
          html,
        )![1],
      );
      assert.equal(Object.keys(specs).length, 4);
      const seeds = JSON.parse(
        /<script type="application\/json" id="syslab-markdown">([\s\S]*?)<\/script>/.exec(html)![1],
      ) as Array<[string, Array<{ out: string }>]>;
      assert.ok(seeds.some(([k]) => k.includes("Act I — The KV-Cache Memory Wall")));
      assert.ok(seeds.some(([, l]) => l.some((p) => p.out.includes("<math"))), "math rendered");
      assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);
      // Pre-rendered: the header and the scenario are readable before any script runs.
      const pre = html.slice(html.indexOf('id="syslab-root"'), html.indexOf("</main>"));
      assert.match(pre, /The KV-Cache Memory Wall/);
      assert.match(pre, /How many concurrent users fit\?/);
      assert.match(pre, /Select your prediction to continue/);
      assert.doesNotMatch(pre, /NaN|undefined|Infinity/);
    } finally {
      await stopExportBundler();
    }
  },
});

Deno.test("export --all: index cards and the progress bar", () => {
  const html = siteIndex([
    { id: "v2-10", title: "The KV-Cache Memory Wall", volume: "II", minutes: 40, topics: ["KV"] },
    { id: "a<b", title: "<script>", minutes: 5 },
  ]);
  assert.match(html, /href="v2-10\.html"/);
  assert.match(html, /Volume II · 40 min/);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /href="a%3Cb\.html"/);
  assert.equal(progressBar(3, 6, "v2-10", 10), "[#####·····] 3/6 v2-10");
});
