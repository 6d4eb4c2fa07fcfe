/**
 * The dev server's two-half bundle: a save of the lab file rebuilds only the lab half; an edit to
 * anything it imports (a helper of its own included) rebuilds the shared half; a new import adds
 * an entry to it; the shared half comes from the disk cache when no input changed.
 */
import assert from "node:assert/strict";
import { type Build, type BuildFailure, stopBundler } from "../../serve/bundle.ts";
import { LabBundler } from "../../serve/lab-bundler.ts";
import { ROOT } from "../../runtime/catalog.ts";

const MINI = `import { lab } from "${new URL("../../runtime/mod.ts", import.meta.url).pathname}";
import { FACTOR } from "./helper.ts";

export default lab({ id: "two-halves", title: "Two halves" })
  .input("n", () => ({ value: 3, html: (v: number) => String(v) }))
  .cell("scaled", ({ n }) => n * FACTOR)
  .show("out", ({ scaled }) => \`scaled: \${scaled}\`);
`;

function ok(b: Build | BuildFailure): Build {
  if ("errors" in b) throw new Error(b.errors.join("\n"));
  return b;
}

const text = (b: Build, name: string) => new TextDecoder().decode(b.files.get(name));

Deno.test({
  name:
    "lab bundler: lab saves rebuild the lab half only; imports and helpers rebuild the shared half",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ dir: new URL("../", import.meta.url).pathname });
    const cacheDir = `${dir}/cache`;
    const labPath = `${dir}/two-halves.ts`;
    const helper = `${dir}/helper.ts`;
    const extra = `${dir}/extra.ts`;
    await Deno.writeTextFile(helper, "export const FACTOR = 2;\n");
    await Deno.writeTextFile(extra, "(globalThis as Record<string, unknown>).__extra = 1;\n");
    await Deno.writeTextFile(labPath, MINI);
    const labUrl = new URL(`file://${labPath}`);
    let bundler = new LabBundler(labUrl, ROOT, { cacheDir });
    try {
      const first = ok(await bundler.build());
      assert.equal(bundler.lastDeps, "built", "an empty cache builds the shared half");
      const lab = text(first, first.lab);
      // The lab half imports its helper and the runtime by URL: their code is not in it.
      assert.match(lab, /from "\/__syslab\/b\/m\d+-[\w-]*helper-[A-Z0-9]+\.js"/);
      assert.match(lab, /from "\/__syslab\/b\/m\d+-runtime-mod-[A-Z0-9]+\.js"/);
      assert.doesNotMatch(lab, /FACTOR = 2|class LabEngine/);
      for (const m of lab.matchAll(/"\/__syslab\/b\/([^"]+)"/g)) {
        assert.ok(first.shared.includes(m[1]), `${m[1]} is served with the shared half`);
      }

      // A save of the lab file: only the lab half, in place (same shared names: a hot reload).
      await Deno.writeTextFile(labPath, MINI.replace("scaled: ", "scaled = "));
      const t0 = performance.now();
      const second = ok(await bundler.build([labPath]));
      const labMs = performance.now() - t0;
      assert.equal(bundler.lastDeps, "kept");
      assert.deepEqual(second.shared, first.shared);
      assert.notEqual(second.lab, first.lab);
      assert.ok(labMs < 400, `a lab save rebuilt in ${labMs.toFixed(0)} ms`);

      // A helper edit: the shared half is rebuilt (a hot reload would keep stale cell values).
      await Deno.writeTextFile(helper, "export const FACTOR = 7919;\n");
      const third = ok(await bundler.build([helper]));
      assert.equal(bundler.lastDeps, "built");
      assert.notDeepEqual(third.shared, second.shared);
      const has7919 = (b: typeof third) =>
        [...b.files.values()].some((f) => new TextDecoder().decode(f).includes("7919"));
      assert.ok(has7919(third) && !has7919(second), "the new value is in the shared half");

      // A new import in the lab: a new entry of the shared half.
      await Deno.writeTextFile(labPath, `import "./extra.ts";\n${MINI}`);
      const fourth = ok(await bundler.build([labPath]));
      assert.equal(bundler.lastDeps, "built");
      assert.match(
        text(fourth, fourth.lab),
        /import "\/__syslab\/b\/m\d+-[\w-]*extra-[A-Z0-9]+\.js"/,
      );

      // A syntax error in a helper fails the build and names the file; fixing it recovers.
      await Deno.writeTextFile(helper, "export const FACTOR = ;\n");
      const broken = await bundler.build([helper]);
      assert.ok("errors" in broken && /helper\.ts:1:\d+/.test(broken.errors.join("\n")));
      // A lab save meanwhile does not paper over it with the last good helper.
      const still = await bundler.build([labPath]);
      assert.ok("errors" in still && /helper\.ts:1:\d+/.test(still.errors.join("\n")));
      await Deno.writeTextFile(helper, "export const FACTOR = 7919;\n");
      const fixed = ok(await bundler.build([helper]));
      await bundler.dispose();

      // A new server start: the shared half comes from the disk cache, byte for byte.
      bundler = new LabBundler(labUrl, ROOT, { cacheDir });
      const warm = ok(await bundler.build());
      assert.equal(bundler.lastDeps, "cache");
      assert.deepEqual(warm.shared, fixed.shared);
      for (const n of warm.shared) assert.deepEqual(warm.files.get(n), fixed.files.get(n), n);
      // ... and so does the lab half: nothing was built (esbuild did not even start).
      assert.equal(bundler.lastLab, "cache");
      assert.equal(warm.lab, fixed.lab);
      assert.deepEqual(warm.files.get(warm.lab), fixed.files.get(fixed.lab));
      // A save after a start from the cache builds as usual.
      await Deno.writeTextFile(labPath, `import "./extra.ts";\n${MINI}`.replace("scaled:", "s:"));
      const saved = ok(await bundler.build([labPath]));
      assert.equal(bundler.lastLab, "built");
      assert.notEqual(saved.lab, warm.lab);
      assert.match(text(saved, saved.lab), /s: /);
      await bundler.dispose();

      // The lab edited while no server ran: the shared half from the cache, the lab half built.
      await Deno.writeTextFile(labPath, `import "./extra.ts";\n${MINI}`.replace("scaled:", "t:"));
      bundler = new LabBundler(labUrl, ROOT, { cacheDir });
      const edited = ok(await bundler.build());
      assert.equal(bundler.lastDeps, "cache");
      assert.equal(bundler.lastLab, "built");
      assert.match(text(edited, edited.lab), /t: /);
      await bundler.dispose();
      // A new import while no server ran: the shared half gets the entry.
      await Deno.writeTextFile(`${dir}/extra2.ts`, "export {};\n");
      await Deno.writeTextFile(labPath, `import "./extra.ts";\nimport "./extra2.ts";\n${MINI}`);
      bundler = new LabBundler(labUrl, ROOT, { cacheDir });
      const added = ok(await bundler.build());
      assert.equal(bundler.lastDeps, "built");
      assert.match(
        text(added, added.lab),
        /import "\/__syslab\/b\/m\d+-[\w-]*extra2-[A-Z0-9]+\.js"/,
      );
      await bundler.dispose();
      await Deno.writeTextFile(labPath, `import "./extra.ts";\n${MINI}`);

      // An input edited while no server ran (same size, same second): stale, rebuilt.
      await Deno.writeTextFile(helper, "export const FACTOR = 4;\n");
      bundler = new LabBundler(labUrl, ROOT, { cacheDir });
      ok(await bundler.build());
      assert.equal(bundler.lastDeps, "built");
      await bundler.dispose();

      // A corrupt cache entry is rebuilt (and replaced), never trusted.
      for await (const e of Deno.readDir(cacheDir)) {
        if (e.isDirectory) await Deno.writeTextFile(`${cacheDir}/${e.name}/manifest.json`, "{oops");
      }
      bundler = new LabBundler(labUrl, ROOT, { cacheDir });
      ok(await bundler.build());
      assert.equal(bundler.lastDeps, "built");
      await bundler.dispose();
      bundler = new LabBundler(labUrl, ROOT, { cacheDir });
      ok(await bundler.build());
      assert.equal(bundler.lastDeps, "cache");
    } finally {
      await bundler.dispose();
      await stopBundler();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
