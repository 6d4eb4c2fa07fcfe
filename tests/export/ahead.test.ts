/** The exporter's walk of a lab and what it renders ahead (chart specs, markdown parses). */
import assert from "node:assert/strict";
import { compile } from "vega-lite";
import { chartsIn, renderAhead } from "../../export/ahead.ts";
import { helveticaWidth } from "../../export/draw.ts";
import { exploreLab, type WalkState } from "../../export/explore.ts";
import { Chart } from "../../cells/outputs/chart.ts";
import { compileChartSpec, vegaSpecKey } from "../../cells/outputs/vega-spec.ts";
import { resolveLab } from "../../runtime/catalog.ts";
import { importLab } from "../../runtime/loader.ts";
import { runLab } from "../../runtime/headless.ts";
import { act1Actual } from "../../labs/v2-10/scenario.ts";

const v210 = () => importLab(resolveLab("v2-10").href);

Deno.test("explore: the walk visits the defaults and every sample, then commits the locks (for structures only)", async () => {
  const def = await v210();
  const seen = new Set<string>();
  const states: WalkState[] = [];
  const n = await exploreLab(def, (_v, cell) => seen.add(cell), { enter: (s) => states.push(s) });
  assert.equal(n, states.length);
  assert.deepEqual(states[0], { base: "defaults", input: null, discrete: true });
  assert.ok(states.some((s) => s.input === "context" && s.discrete), "the context toggle");
  assert.ok(!states.some((s) => s.input?.endsWith("Lock")), "no lock is walked through options");
  assert.equal(states.at(-1)?.base, "locks", "the last state commits the locks, for structures");
  assert.ok(seen.has("act1Intro") && seen.has("summary"));
});

Deno.test("renderAhead: behind v2-10's locks only chart structures are compiled — no data, drawing or reveal", async () => {
  const def = await v210();
  const a = await renderAhead(def);
  assert.equal(a.structures, 2, "Act I's and Act II's charts, found by committing the locks");
  assert.equal(Object.keys(a.charts).length, 4, "two structures × light and dark");
  assert.deepEqual(a.drawn, {}, "no drawing of a chart behind a lock (it would hold its data)");
  assert.deepEqual(a.firstPage, {}, "v2-10's first page has no chart");
  const text = JSON.stringify(a);
  assert.doesNotMatch(text, /Prediction vs reality|physics picks|Correct\./);
  const answer = act1Actual("latency").maxUsers;
  assert.doesNotMatch(text, new RegExp(`[^\\d.,]${answer}[^\\d.,]`), "the answer is not in it");
  // The page's own compile of a chart behind the lock is the spec the file holds.
  const lab = await runLab(def);
  try {
    await lab.update({ act1Lock: "C" });
    const chart = lab.value("act1Chart") as Chart;
    for (const dark of [false, true]) {
      assert.deepEqual(
        a.charts[vegaSpecKey(chart.structureKey, dark)],
        compileChartSpec(compile, chart.spec, dark),
      );
    }
  } finally {
    lab.dispose();
  }
  const sources = a.markdown.map(([k]) => k);
  assert.ok(sources.some((k) => k.includes("## Act I")));
  assert.deepEqual(await renderAhead(def), a, "the same lab gives the same renders");
});

Deno.test("renderAhead: a chart the page would compile is the same as the exporter's", async () => {
  const def = await importLab(resolveLab("gallery").href);
  const a = await renderAhead(def);
  const lab = await runLab(def);
  try {
    const chart = lab.value("chartDemo") as Chart;
    for (const dark of [false, true]) {
      assert.deepEqual(
        a.charts[vegaSpecKey(chart.structureKey, dark)],
        compileChartSpec(compile, chart.spec, dark),
      );
    }
    const [light, dark] = a.firstPage[chart.drawnKey];
    for (const svg of [light, dark]) assert.match(svg, /^<svg[^>]+width="\d+" height="\d+"/);
    assert.match(light, /#e2e8f0/, "light grid");
    assert.match(dark, /#334155/, "dark grid");
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

Deno.test("renderAhead: a chart inside a layout has its structure compiled (the page needs no vega-lite for it)", async () => {
  const def = await importLab(resolveLab("kv-cache-tax").href);
  const a = await renderAhead(def);
  const lab = await runLab(def);
  try {
    const nested = def.cells.filter((c) => c.display).flatMap((c) => {
      const st = lab.state(c.name);
      const v = st.status === "ok" ? st.value : null;
      return v instanceof Chart ? [] : chartsIn(v);
    });
    assert.ok(nested.length > 0, "kv-cache-tax shows a chart inside a layout");
    for (const chart of nested) {
      for (const dark of [false, true]) {
        assert.ok(
          a.charts[vegaSpecKey(chart.structureKey, dark)],
          `${chart.structureKey} compiled`,
        );
      }
    }
  } finally {
    lab.dispose();
  }
});
