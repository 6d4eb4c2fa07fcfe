/** The exporter's walk of a lab and what it renders ahead (chart specs, markdown parses). */
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import { renderAhead } from "../../export/ahead.ts";
import { exploreLab, type WalkState } from "../../export/explore.ts";
import { Chart } from "../../cells/outputs/chart.ts";
import { compileChartSpec, vegaSpecKey } from "../../cells/outputs/vega-spec.ts";
import { resolveLab } from "../../runtime/catalog.ts";
import { importLab } from "../../runtime/loader.ts";
import { runLab } from "../../runtime/headless.ts";

const v210 = () => importLab(resolveLab("v2-10").href);

Deno.test("explore: the walk visits the defaults, every sample of every input, and gated cells", async () => {
  const def = await v210();
  const seen = new Set<string>();
  const states: WalkState[] = [];
  const n = await exploreLab(def, (_v, cell) => seen.add(cell), { enter: (s) => states.push(s) });
  assert.equal(n, states.length);
  assert.deepEqual(states[0], { base: "defaults", input: null, discrete: true });
  const act1 = states.filter((s) => s.base === "defaults" && s.input === "act1");
  assert.deepEqual(act1.map((s) => s.value), [null, "A", "B", "C", "D"]);
  assert.ok(act1.every((s) => s.discrete));
  assert.ok(states.some((s) => s.input === "seqLen" && !s.discrete), "a slider is not discrete");
  for (const cell of ["act1Chart", "act2Chart", "act1Verdict"]) {
    assert.ok(seen.has(cell), `${cell} ran (its gate was opened)`);
  }
});

Deno.test("renderAhead: every chart of v2-10 precompiled, the same as the page would compile", async () => {
  const def = await v210();
  const a = await renderAhead(def);
  assert.equal(a.structures, 2);
  assert.equal(Object.keys(a.charts).length, 4, "two charts × light and dark");
  const lab = await runLab(def);
  try {
    await lab.update({ act1: "C" });
    const chart = lab.value("act1Chart");
    assert.ok(chart instanceof Chart);
    for (const dark of [false, true]) {
      assert.deepEqual(
        a.charts[vegaSpecKey(chart.structureKey, dark)],
        compileChartSpec(compile, chart.spec, dark),
      );
    }
  } finally {
    lab.dispose();
  }
  // Markdown of the first states (a prediction answered), not of slider positions.
  const sources = a.markdown.map(([k]) => k);
  assert.ok(sources.some((k) => k.includes("## Act I")));
  assert.ok(sources.some((k) => k.startsWith("t**The answer is C.**")), "the overlay for C");
  assert.deepEqual(await renderAhead(def), a, "the same lab gives the same renders");
});
