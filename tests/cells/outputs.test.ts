import assert from "node:assert/strict";
import {
  accordion,
  badge,
  callout,
  chart,
  grid,
  hstack,
  html,
  md,
  metricRow,
  raw,
  stat,
  table,
  tabs,
  vstack,
} from "../../cells/mod.ts";
import { Composite } from "../../cells/outputs/html.ts";

Deno.test("md: markdown, inline and display math as MathML, escaped interpolations", () => {
  const h = md`
    ## Title ${"<script>"}

    Inline $E = mc^2$ and **${42}**; costs $5 and $10 stay text.

    $$\frac{a}{${3}}$$
  `.html();
  assert.match(h, /<h2>Title &lt;script&gt;<\/h2>/);
  assert.match(
    h,
    /Inline <math><mrow><mi>E<\/mi><mo>=<\/mo><mi>m<\/mi><msup><mi>c<\/mi><mn[^>]*>2/,
  );
  assert.match(h, /<strong>42<\/strong>/);
  assert.match(h, /costs \$5 and \$10 stay text/);
  assert.match(h, /<math display="block"[^>]*><mfrac><mi>a<\/mi><mn>3<\/mn><\/mfrac>/);
  assert.ok(!h.includes("<script>"));
});

Deno.test("md: interpolated text is not read as markdown; Renderables render; code spans keep $", () => {
  const h = md`a ${"*not em*"} ${raw("<em>yes</em>")} \`$x$\``.html();
  assert.match(h, /a \*not em\* <em>yes<\/em> <code>\$x\$<\/code>/);
});

Deno.test("md: a block alone in a paragraph replaces the <p>", () => {
  const h = md`before

${callout("info", "inside")}

after`.html();
  assert.ok(!/<p><div class="syslab-callout"/.test(h));
  assert.match(h, /<\/p>\n?<div class="syslab-callout"/);
});

Deno.test("html template: escapes values, keeps Renderables, joins arrays", () => {
  const h = html`<p title="${`"q"`}">${"<b>"}${[raw("<i>1</i>"), 2500]}</p>`.html();
  assert.equal(h, `<p title="&quot;q&quot;">&lt;b&gt;<i>1</i>2,500</p>`);
});

Deno.test("callout: kinds, title, markdown string content, roles", () => {
  for (const k of ["neutral", "info", "success", "warn", "danger"] as const) {
    const h = callout(k, "**hi** <x>", { title: "T & U" }).html();
    assert.match(h, new RegExp(`data-kind="${k}"`));
    assert.match(h, /<p class="syslab-callout-title">T &amp; U<\/p>/);
    assert.match(h, /<strong>hi<\/strong> &lt;x&gt;/);
  }
  assert.match(callout("danger", "x").html(), /role="status"/);
  assert.match(callout("danger", "x", { role: "alert" }).html(), /role="alert"/);
});

Deno.test("stat and metricRow", () => {
  const h = metricRow([
    { label: "KV per user", value: 5.37, format: (v) => v.toFixed(1), unit: "GB", kind: "info" },
    stat({ label: "Users", value: 12345 }),
  ]).html();
  assert.match(h, /<p class="syslab-stat-value">5.4 GB<\/p>/);
  assert.match(h, /<p class="syslab-stat-value">12,345<\/p>/);
  assert.match(h, /data-kind="info"/);
});

Deno.test("layouts: stacks, grid, accordion as <details>, tabs list every panel headless", () => {
  assert.match(hstack(["a", "b"], { widths: [2, 1] }).html(), /style="flex:2 1 0"/);
  assert.match(vstack(["a"]).html(), /class="syslab-vstack"/);
  assert.match(grid([1, 2, 3], { columns: 3 }).html(), /repeat\(3, minmax\(0, 1fr\)\)/);
  // Responsive columns never exceed the container (one column on a phone, no sideways scroll).
  assert.match(grid([1, 2], { minWidth: 10 }).html(), /minmax\(min\(10rem, 100%\), 1fr\)/);
  // minWidth is rem; a pixel number is refused with the conversion.
  assert.throws(() => grid([1], { minWidth: 170 }), /minWidth is in rem.*write 10\.63/);
  const a = accordion({ "Why?": "Because **so**." }).html();
  assert.match(a, /<details><summary>Why\?<\/summary>/);
  assert.match(a, /<strong>so<\/strong>/);
  const t = tabs({ One: "first", Two: badge("second", "warn") }, { value: "Two" }).html();
  assert.match(t, /<syslab-tabs selected="1" titles="\[&quot;One&quot;,&quot;Two&quot;\]"/);
  assert.match(
    t,
    /<section class="syslab-tab-panel" slot="p0"><h3 class="syslab-tab-title">One<\/h3>/,
  );
  assert.match(t, /data-kind="warn">second<\/span>/);
});

Deno.test("table: numbers formatted and right-aligned, text escaped, row cap", () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ name: `<m${i}>`, gb: i * 1000 }));
  const h = table(rows, { maxRows: 3, caption: "Models" }).html();
  assert.match(h, /<caption>Models<\/caption>/);
  assert.match(h, /<th scope="col">name<\/th><th scope="col">gb<\/th>/);
  assert.match(h, /<td>&lt;m1&gt;<\/td><td data-num>1,000<\/td>/);
  assert.match(h, /… 2 more rows/);
});

Deno.test("chart: html is a figure with description and the data table; needs a description", () => {
  const c = chart({
    mark: "line",
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  }, { data: [{ x: 1, y: 10 }, { x: 2, y: 20 }], description: "y grows <fast>" });
  const h = c.html();
  assert.match(h, /^<figure class="syslab-chart">/);
  assert.match(h, /role="img" aria-label="y grows &lt;fast&gt;"/);
  assert.match(h, /<figcaption>y grows &lt;fast&gt;<\/figcaption>/);
  assert.match(h, /<summary>Show as table<\/summary>/);
  assert.match(h, /<td data-num>2<\/td><td data-num>20<\/td>/);
  assert.ok(!h.includes("<script"));
  assert.deepEqual((c.spec as { data?: unknown }).data, { name: "table" });
  assert.throws(() => chart({ mark: "bar" }, { description: " " }), /description is required/);
});

Deno.test("chart: structure key ignores data and signals (updates in place), follows the spec", () => {
  const spec = { mark: "line" as const, params: [{ name: "w", value: 1 }] };
  const a = chart(spec, { data: [{ x: 1 }], signals: { w: 1 }, description: "d" });
  const b = chart(spec, { data: [{ x: 2 }], signals: { w: 3 }, description: "d" });
  const c = chart({ mark: "bar" }, { data: [{ x: 2 }], description: "d" });
  assert.equal(a.structureKey, b.structureKey);
  assert.notEqual(a.structureKey, c.structureKey);
});

Deno.test("a layout holding a chart is a Composite (it mounts); one of plain text is not", () => {
  const c = chart({ mark: "point" }, { data: [], description: "d" });
  const withChart = hstack([c, "text"]);
  assert.ok(withChart instanceof Composite);
  assert.equal(typeof withChart.mount, "function");
  assert.match(withChart.html(), /data-syslab-part="0"><figure class="syslab-chart"/);
  assert.ok(!(hstack(["a", "b"]) instanceof Composite));
  assert.ok(md`${c}` instanceof Composite);
});

Deno.test("md: a template is parsed once; new values fill its slots, math values re-parse", async () => {
  const { watchMarkdown } = await import("../../cells/outputs/md.ts");
  const used: string[] = [];
  const fresh = new Set<object>();
  watchMarkdown((_source, parse) => {
    used.push(parse.out);
    fresh.add(parse);
  });
  try {
    const view = (n: number) => md`**Users:** ${n} at $x = ${n % 2}$ (unique-template-17)`;
    const a = view(2).html(), b = view(4).html(), c = view(3).html();
    assert.match(a, /<strong>Users:<\/strong> 2/);
    assert.match(b, /<strong>Users:<\/strong> 4/);
    assert.match(c, /<strong>Users:<\/strong> 3/);
    assert.equal(used.length, 3);
    assert.equal(fresh.size, 2, "2 and 4 share the parse (math reads 0); 3 needs math with 1");
    assert.match(c, /<mn>1<\/mn>/);
  } finally {
    watchMarkdown(null);
  }
});
