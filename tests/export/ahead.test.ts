/** The exporter's walk of a lab and what it renders ahead (chart specs, markdown parses). */
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import { renderAhead } from "../../export/ahead.ts";
import { helveticaWidth } from "../../export/draw.ts";
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

Deno.test("renderAhead: the chart a prediction reveals is drawn ahead, in both schemes", async () => {
  const def = await v210();
  const a = await renderAhead(def);
  const lab = await runLab(def);
  try {
    await lab.update({ act1: "A" });
    const chart = lab.value("act1Chart") as Chart;
    // One chart one choice away (Act I's, the same whichever answer); Act II's needs two.
    assert.deepEqual(Object.keys(a.drawn), [chart.drawnKey]);
    assert.deepEqual(a.firstPage, {}, "v2-10's first page has no chart");
    const [light, dark] = a.drawn[chart.drawnKey];
    for (const svg of [light, dark]) {
      assert.match(svg, /^<svg[^>]+width="\d+" height="\d+"/);
      assert.match(svg, /Context length \(tokens\)/);
      assert.match(svg, /class="mark-area role-mark/);
      assert.equal((svg.match(/class="mark-symbol role-mark/g) ?? []).length, 1);
    }
    assert.match(light, /#e2e8f0/, "light grid");
    assert.match(dark, /#334155/, "dark grid");
    // A different chart (another context length) has another key.
    await lab.update({ seqLen: 8192 });
    assert.notEqual((lab.value("act1Chart") as Chart).drawnKey, chart.drawnKey);
  } finally {
    lab.dispose();
  }
});

Deno.test("renderAhead: a chart on the first page is drawn once; its other states are not", async () => {
  const def = await importLab(resolveLab("gallery").href);
  const a = await renderAhead(def);
  const lab = await runLab(def);
  try {
    const first = lab.value("chartDemo") as Chart;
    assert.deepEqual(Object.keys(a.firstPage), [first.drawnKey]);
    assert.deepEqual(a.drawn, {}, "it is live by the time a student changes it");
  } finally {
    lab.dispose();
  }
});

Deno.test("draw: Helvetica widths for vega's text layout", () => {
  assert.equal(helveticaWidth({ fontSize: 10 }, "0"), 5.56);
  assert.equal(helveticaWidth({}, "WI"), (944 + 278) * 11 / 1000, "11 px by default");
  assert.ok(helveticaWidth({ fontWeight: "bold" }, "ab") > helveticaWidth({}, "ab"));
  assert.equal(
    helveticaWidth({ fontWeight: 700 }, "r"),
    helveticaWidth({ fontWeight: "bold" }, "r"),
  );
  assert.equal(helveticaWidth({ fontSize: 10 }, "é"), 5.56, "outside ASCII: a digit's width");
  assert.equal(helveticaWidth({ fontSize: 10 }, "~"), 5.84, "the table ends at ~");
});
