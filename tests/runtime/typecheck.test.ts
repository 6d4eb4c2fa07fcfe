/**
 * The one-line roots `deno check` is run through are kept between runs (so a clean result is
 * cached), and the ones whose module is gone are removed, so the folder does not grow for good.
 */
import assert from "node:assert/strict";
import { pruneRoots } from "../../runtime/typecheck.ts";

Deno.test("check roots: a root whose module is gone is removed; the others are kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "syslab-roots-" });
  try {
    const kept = `${dir}/lab.ts`;
    await Deno.writeTextFile(kept, "export const x = 1;\n");
    const root = (target: string) => `import ${JSON.stringify(`file://${target}`)};\n`;
    await Deno.writeTextFile(`${dir}/a.ts`, root(kept));
    await Deno.writeTextFile(`${dir}/b.ts`, root(`${dir}/deleted.ts`));
    await Deno.writeTextFile(`${dir}/c.ts`, "not a root\n");
    await Deno.writeTextFile(`${dir}/d.ts`, `import "https://example.com/x.ts";\n`);
    await pruneRoots(dir);
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left.sort(), ["a.ts", "c.ts", "d.ts", "lab.ts"]);
    await pruneRoots(`${dir}/missing`); // no folder: nothing to do, no throw
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
