/**
 * `deno task new`: the scaffold writes a lab into labs/ (so it is in the catalog) that passes
 * `--check` (type-check + every cell headless), is fmt/lint clean, and stays clean with every
 * prediction option committed and the slider at its extremes. The temporary lab is removed in
 * `finally`.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { labIds, runLab } from "../../runtime/mod.ts";
import { checkLab } from "../../runtime/check.ts";
import { main, scaffold } from "../../runtime/cli/new.ts";

const BAD = /NaN|Infinity|undefined|\*\*/;

async function denoOk(...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .output();
  return out.success ? "" : new TextDecoder().decode(out.stderr);
}

Deno.test("deno task new: the scaffold is in the catalog, passes --check and is clean", async () => {
  const id = `tmp-new-${crypto.randomUUID().slice(0, 8)}`;
  let file: URL | null = null;
  try {
    file = (await scaffold(id, { title: 'A */ tricky "title"' })).file;
    assert.ok(labIds().includes(id), "writing the file adds the lab to the catalog");
    assert.deepEqual(await checkLab(id), []);
    const path = fileURLToPath(file);
    assert.equal(await denoOk("fmt", "--check", path), "");
    assert.equal(await denoOk("lint", path), "");

    const lab = await runLab(id);
    assert.equal(lab.state("overlay").status, "waiting", "the gate holds the act until the lock");
    for (const context of ["cloud", "edge"]) {
      for (const act1 of ["A", "B", "C", "D"]) {
        for (const fraction of [5, 100]) {
          await lab.update({ context, act1, fraction });
          const where = `${context}/${act1}/${fraction}`;
          assert.deepEqual(lab.errors().map((e) => e.describe()), [], where);
          for (const { cell, html } of lab.htmlAll()) {
            assert.doesNotMatch(html, BAD, `${where}: ${cell}`);
          }
          assert.match(lab.html("hud"), /CORRECT|WRONG/, where);
        }
      }
    }
    // Exactly one option per context is graded correct, and it is capacity ÷ bandwidth.
    await lab.update({ context: "cloud", act1: "A" });
    const answer = lab.value<{ right: string; seconds: number }>("answer");
    const choices = lab.value<Array<{ value: string; predicted: number }>>("choices");
    assert.equal(choices.find((c) => c.value === answer.right)!.predicted, answer.seconds);
    lab.dispose();
  } finally {
    if (file) await Deno.remove(file).catch(() => {});
  }
  assert.ok(!labIds().includes(id));
});

Deno.test("deno task new refuses an existing id and an invalid one", async () => {
  assert.equal(await main(["gallery"]), 1);
  assert.equal(await main(["Not A Lab!"]), 1);
  assert.equal(await main([]), 2);
  await assert.rejects(() => scaffold("../escape"), /not a lab id/);
});
