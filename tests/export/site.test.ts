/**
 * Site mode (`export --all`): the shared files are named by their content and checked against it,
 * each page's CSP allows exactly the scripts it runs, every reference points at a file of the
 * site, pages carry only their own code, and the single-file export is the page it was.
 */
import assert from "node:assert/strict";
import { siteLabIds } from "../../export/cli.ts";
import { stopExportBundler } from "../../export/bundle.ts";
import { exportLab, scriptHash } from "../../export/single-file.ts";
import { buildSite, type BuiltSite, writeSite } from "../../export/site-build.ts";
import { ASSETS_DIR, contentHash } from "../../export/site-assets.ts";
import { bundleSite, functionBody, importsOf } from "../../export/site-bundle.ts";
import { resolveLab } from "../../runtime/catalog.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** The loader's file list of a site page: [name, file, integrity, when]. */
function loaderFiles(html: string): string[][] {
  const m = /\)\("assets\/", (\[\[.*?\]\]), function \(\) \{/s.exec(html);
  assert.ok(m, "the page calls the loader with its files");
  return JSON.parse(m[1]);
}

/** Inline classic scripts (not JSON data) of a page. */
const inlineScripts = (html: string) =>
  [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);

const csp = (html: string) =>
  /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";

Deno.test({
  name: "export --all (site mode): hashes, integrity, CSP, references, pages carry their own code",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    let site: BuiltSite;
    try {
      site = await buildSite(siteLabIds());
    } finally {
      await stopExportBundler();
    }
    const assets = [...site.files].filter(([p]) => p.startsWith(`${ASSETS_DIR}/`));
    const pages = [...site.pages.values()].map((p) => [p, site.files.get(p)!] as const);

    await t.step(
      "every lab is a page; the shared files are the runtime and the three chunks",
      () => {
        assert.deepEqual([...site.pages.keys()].sort(), siteLabIds().sort());
        assert.deepEqual(site.shared.map((f) => [f.name, f.when]), [
          ["syslab", "boot"],
          ["markdown", "boot"],
          ["vega", "eager"],
          ["vega-lite", "lazy"],
        ]);
        assert.equal(assets.length, 4);
      },
    );

    await t.step("each shared file's name and integrity are its content's SHA-384", async () => {
      for (const [path, text] of assets) {
        const { integrity, hex } = await contentHash(bytes(text));
        const f = site.shared.find((s) => `${ASSETS_DIR}/${s.file}` === path)!;
        assert.equal(path, `${ASSETS_DIR}/${f.name}-${hex}.js`, "the name is the content's hash");
        assert.equal(f.integrity, integrity);
        assert.match(text, new RegExp(`^__syslabSite\\.define\\("${f.name}", function \\(\\) \\{`));
        new Function(text); // a classic script
      }
    });

    await t.step("every page loads every shared file with the right integrity", () => {
      const expected = site.shared.map((f) => [f.name, f.file, f.integrity, f.when]);
      for (const [, html] of pages) {
        assert.deepEqual(loaderFiles(html), expected);
        assert.doesNotMatch(html, /<script[^>]* src=/, "no script loads outside the loader");
      }
    });

    await t.step("the CSP allows exactly the page's inline scripts and shared files", async () => {
      for (const [page, html] of pages) {
        const policy = csp(html);
        assert.match(policy, /^default-src 'none'; /);
        assert.doesNotMatch(policy, /unsafe-eval|unsafe-inline'[^;]*script|strict-dynamic|\*/);
        const scriptSrc = /script-src ([^;]+)/.exec(policy)![1].split(" ").sort();
        const inline = await Promise.all(inlineScripts(html).map((s) => scriptHash(s)));
        assert.equal(inline.length, 2, `${page}: the head's lock mark and the loader`);
        const allowed = [
          ...inline.map((h) => `'${h}'`),
          ...site.shared.map((f) => `'${f.integrity}'`),
          "'self'",
        ].sort();
        assert.deepEqual(scriptSrc, allowed, page);
        assert.match(policy, /style-src 'unsafe-inline'; img-src data: blob:; font-src data:/);
      }
      // The index runs its one script, by hash.
      const index = site.files.get("index.html")!;
      const [script] = inlineScripts(index);
      assert.match(
        csp(index),
        new RegExp(`script-src '${await scriptHash(script)}'`.replace(/[+/]/g, "\\$&")),
      );
    });

    await t.step("every page references only files of the site; no external URL", () => {
      for (const [path, html] of [...site.files].filter(([p]) => p.endsWith(".html"))) {
        const refs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
        if (site.pages.has(path.replace(/\.html$/, ""))) {
          assert.ok(refs.includes("index.html"), `${path} links back to the index`);
          for (const f of loaderFiles(html)) refs.push(`${ASSETS_DIR}/${f[1]}`);
        }
        for (const ref of refs) {
          assert.doesNotMatch(ref, /^([a-z]+:|\/\/|\/)/i, `${path}: ${ref} is relative`);
          assert.ok(site.files.has(decodeURIComponent(ref)), `${path} → ${ref} exists`);
        }
        assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)/, `${path}: no network URL`);
      }
      const cards = [...site.files.get("index.html")!.matchAll(/<a href="([^"]+)"/g)].map((m) =>
        m[1]
      );
      assert.deepEqual(cards.sort(), [...site.pages.values()].sort(), "a card per lab");
    });

    await t.step("a site page is the single file's page, its code the lab's own", async () => {
      const single = (await exportLab("v2-10", { site: true })).html;
      await stopExportBundler();
      const page = site.files.get("v2-10.html")!;
      const content = (html: string) => [
        /<nav [\s\S]*?<\/main>/.exec(html)?.[0],
        ...[...html.matchAll(/<script type="application\/json"[^>]*>[\s\S]*?<\/script>/g)].map((
          m,
        ) => m[0]),
      ];
      assert.deepEqual(content(page), content(single), "same pre-render, back link and data");
      assert.ok(
        bytes(page).length * 5 < bytes(single).length,
        "a fifth of the single file or less",
      );
      const code = inlineScripts(page)[1];
      assert.doesNotMatch(code, /\$lit\$|temml|Unrecognized signal name/i, "no shared code");
      assert.match(site.files.get(`${ASSETS_DIR}/${site.shared[0].file}`)!, /\$lit\$/);
      // The single file knows nothing of the site's files.
      const alone = (await exportLab("v2-10")).html;
      await stopExportBundler();
      assert.doesNotMatch(alone, /__syslabSite|assets\/|__syslabShared/);
      assert.doesNotMatch(csp(alone), /'self'/);
    });

    await t.step("writeSite replaces the shared files an earlier export left", async () => {
      const dir = await Deno.makeTempDir({ prefix: "syslab-site-" });
      try {
        await Deno.mkdir(`${dir}/${ASSETS_DIR}`, { recursive: true });
        await Deno.writeTextFile(`${dir}/${ASSETS_DIR}/syslab-0123456789abcdef.js`, "old");
        await Deno.writeTextFile(`${dir}/${ASSETS_DIR}/notes.txt`, "mine");
        await writeSite(site, dir);
        const names = [...Deno.readDirSync(`${dir}/${ASSETS_DIR}`)].map((e) => e.name).sort();
        assert.deepEqual(names, [...site.shared.map((f) => f.file), "notes.txt"].sort());
        assert.equal(await Deno.readTextFile(`${dir}/v2-10.html`), site.files.get("v2-10.html"));
        assert.match(await Deno.readTextFile(`${dir}/_headers`), /immutable/);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});

Deno.test({
  name: "site bundles: deterministic; imports read without types; bodies must be classic",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    try {
      const labs = [resolveLab("v2-10"), resolveLab("v1-11")];
      const [a, b] = [await bundleSite(labs), await bundleSite(labs)];
      assert.equal(a.shared, b.shared, "same input, same bytes");
      assert.deepEqual([...a.labs], [...b.labs]);
      // Both labs use core's registries: shared; each lab's own folder stays in its page.
      assert.ok(a.sharedModules.includes("core/mod.ts"), a.sharedModules.join(" "));
      assert.ok(a.sharedModules.includes("runtime/browser.ts"));
      assert.ok(!a.sharedModules.some((m) => m.startsWith("labs/v2-10")));
      const uses = await importsOf(
        `import d, { a, b as c, type T } from "x";\nimport * as n from "y";\nimport "z";\n` +
          `import type { Q } from "q";\nexport { r, s as u } from "w";\nexport * from "v";\n` +
          `import {\n  m1,\n  m2\n} from "multi";\nconsole.log(a, c, d, n, m1, m2);`,
        "a.ts",
      );
      assert.deepEqual(
        Object.fromEntries([...uses].map(([k, v]) => [k, [...v].sort()])),
        {
          x: ["a", "b", "default"],
          y: ["*"],
          z: [],
          w: ["r", "s"],
          v: ["*"],
          multi: ["m1", "m2"],
        },
      );
      assert.throws(() => functionBody("const u = import.meta.url;"), SyntaxError);
      assert.throws(() => functionBody("await 1;"), SyntaxError);
      assert.equal(functionBody("let x = 1;"), `"use strict";let x = 1;`);
    } finally {
      await stopExportBundler();
    }
  },
});
