/**
 * `deno task new`: the scaffold writes a lab into labs/ (so it is in the catalog) in the act
 * structure that passes `--check` (type-check + every cell headless), is fmt/lint clean, grades
 * its predictions against core (the correct option is capacity ÷ bandwidth, a wrong one is
 * wrong), holds a commit (InputLockedError) and freezes the context with it, shows nothing of an
 * act in the HUD or ledger before its commit, and stays clean with every option committed and the
 * slider at its extremes. The temporary lab is removed in `finally`.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type HeadlessLab, labIds, runLab } from "../../runtime/mod.ts";
import { checkLab } from "../../runtime/check.ts";
import { main, scaffold } from "../../runtime/cli/new.ts";
import type { ChoiceGrade } from "../../cells/mod.ts";
import type { ActPrediction } from "../../runtime/act.ts";
import { formatMs, lookupGpu } from "../../core/mod.ts";

const BAD = /NaN|Infinity|undefined|\*\*/;
const DEVICES = { cloud: "h100-sxm", edge: "jetson-orin-nx" } as const;

/**
 * "Start this lab over", and reopen both acts: the headless `startOver()` releases the locks but
 * keeps their values, and committing the value a lock still holds does not freeze it again.
 */
function restart(lab: HeadlessLab): void {
  lab.startOver();
  lab.set({ act2Lock: null, act1Lock: null });
}

async function denoOk(...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .output();
  return out.success ? "" : new TextDecoder().decode(out.stderr);
}

Deno.test("deno task new: the two-act scaffold is in the catalog, passes --check and holds its locks", async () => {
  const id = `tmp-new-${crypto.randomUUID().slice(0, 8)}`;
  let file: URL | null = null;
  try {
    file = (await scaffold(id, { title: 'A */ tricky "title"' })).file;
    assert.ok(labIds().includes(id), "writing the file adds the lab to the catalog");
    assert.deepEqual(await checkLab(id), []);
    const path = fileURLToPath(file);
    assert.equal(await denoOk("fmt", "--check", path), "");
    assert.equal(await denoOk("lint", path), "");
    const source = await Deno.readTextFile(file);
    assert.doesNotMatch(source, /the answer is|you predicted/i);
    assert.doesNotMatch(source, /predictionLock|gate\(|predictionOverlay|hudFooter|ledgerSave/);

    const lab = await runLab(id);
    try {
      // Before the commit: the instruments wait; the HUD and ledger hold nothing of Act I.
      const g = lookupGpu(DEVICES.cloud);
      const pass = g.runtimeMemoryBytes / g.bandwidth;
      assert.equal(lab.state("act1Instrument").status, "waiting");
      assert.equal(lab.html("act2Lock"), "", "Act II waits on Act I");
      for (const { cell, html } of lab.htmlAll()) {
        if (cell === "act1Lock") continue;
        assert.ok(!html.includes(formatMs(pass, 1)), `${cell} shows Act I's pass time early`);
      }
      assert.match(lab.html("summary"), /Act I<\/dt><dd[^>]*>OPEN/);
      assert.doesNotMatch(lab.html("summary"), /One pass|pass_ms/);

      // The correct option is capacity ÷ bandwidth; a wrong one is graded wrong; commits hold.
      for (const context of ["cloud", "edge"] as const) {
        restart(lab);
        await lab.update({ context });
        const d = lookupGpu(DEVICES[context]);
        const t = d.runtimeMemoryBytes / d.bandwidth;
        const p = lab.value<ActPrediction<ChoiceGrade>>("act1Prediction");
        const graded = ["A", "B", "C", "D"].map((l) => p.grade(l));
        const right = graded.filter((x) => x.correct);
        assert.equal(right.length, 1, context);
        assert.equal(right[0].picked.predicted, t, context);
        for (const x of graded) {
          assert.ok(x.picked.predicted! / t <= 8 && t / x.picked.predicted! <= 8, "within 8×");
        }
        const wrong = graded.find((x) => !x.correct)!.value;
        await lab.update({ act1Lock: wrong });
        assert.match(lab.html("act1Reveal"), new RegExp(`physics picks ${right[0].value}`));
        assert.throws(() => lab.set("act1Lock", right[0].value), { name: "InputLockedError" });
        assert.throws(() => lab.set("context", context === "cloud" ? "edge" : "cloud"), {
          name: "InputLockedError",
        });
        assert.match(lab.html("summary"), /Act I<\/dt><dd[^>]*>WRONG/);
        // Act II: the share of memory a 10 ms step reads, from core; within 30 % is correct.
        const share = Math.min(100, (0.01 / t) * 100);
        await lab.update({ act2Lock: Math.round(share) });
        assert.equal(lab.value<{ correct: boolean }>("act2").correct, true, context);
        assert.match(lab.html("act2Reveal"), /data-kind="success"/);
        assert.throws(() => lab.set("act2Lock", 90), { name: "InputLockedError" });
      }

      for (const context of ["cloud", "edge"]) {
        for (const act1 of ["A", "B", "C", "D"]) {
          restart(lab);
          await lab.update({ context, act1Lock: act1 });
          await lab.update({ act2Lock: 50 });
          for (const fraction of [5, 100]) {
            await lab.update({ fraction });
            const where = `${context}/${act1}/${fraction}`;
            assert.deepEqual(lab.errors().map((e) => e.describe()), [], where);
            for (const { cell, html } of lab.htmlAll()) {
              assert.doesNotMatch(html, BAD, `${where}: ${cell}`);
            }
            assert.match(lab.html("summary"), /Act II<\/dt><dd[^>]*>(CORRECT|WRONG)/, where);
            assert.equal(lab.html("verdict").includes("Over budget"), fraction === 100, where);
          }
        }
      }
    } finally {
      lab.dispose();
    }
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
