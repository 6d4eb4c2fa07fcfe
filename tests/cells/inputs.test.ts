import assert from "node:assert/strict";
import {
  button,
  checkbox,
  dropdown,
  form,
  number,
  radio,
  runButton,
  slider,
  switchInput,
  tableInput,
  tabsInput,
  text,
} from "../../cells/mod.ts";

Deno.test("slider: html describes the element fully, escapes the label, shows the value", () => {
  const s = slider({ label: `Context <"length">`, min: 512, max: 131072, value: 4096 });
  const h = s.html(4096);
  assert.match(h, /^<syslab-slider /);
  assert.match(h, /label="Context &lt;&quot;length&quot;&gt;"/);
  assert.match(h, /min="512"/);
  assert.match(h, /max="131072"/);
  assert.match(h, /value="4096"/);
  assert.match(h, /Context &lt;&quot;length&quot;&gt;: 4,096/);
  assert.ok(!h.includes(`<"length">`));
});

Deno.test("slider: coerce rejects out-of-range, non-numbers and values off the steps list", () => {
  const s = slider({ label: "Context", min: 512, max: 8192, value: 4096 });
  assert.equal(s.coerce!(1024), 1024);
  assert.equal(s.coerce!("2048"), 2048);
  assert.throws(() => s.coerce!(99999), /slider "Context": 99999 is outside 512…8192/);
  assert.throws(() => s.coerce!("lots"), /slider "Context": "lots" is not a number/);
  const p = slider({ label: "Batch", steps: [1, 2, 4, 8], value: 2 });
  assert.equal(p.coerce!(8), 8);
  assert.throws(() => p.coerce!(3), /slider "Batch": 3 is not one of the steps 1, 2, 4, 8/);
  assert.match(p.html(2), /steps="\[1,2,4,8\]"/);
  assert.throws(() => slider({ label: "Bad", min: 0, max: 10, value: 11 }), /outside 0…10/);
});

Deno.test("slider: format shapes the shown value", () => {
  const s = slider({ label: "Batch", steps: [1, 2, 4], value: 4, format: (v) => `${v} seq` });
  assert.match(s.html(4), /Batch: 4 seq/);
});

Deno.test("number: bounded", () => {
  const n = number({ label: "Budget", min: 1, max: 640, value: 80, unit: "GB" });
  assert.equal(n.value, 80);
  assert.match(
    n.html(80),
    /<syslab-number label="Budget" min="1" max="640" step="1" unit="GB" value="80"/,
  );
  assert.throws(() => n.coerce!(0), /number "Budget": 0 is outside 1…640/);
  assert.throws(() => n.coerce!(NaN), /is not a number/);
});

Deno.test("radio: options as a map or a list; value null until picked; coerce names options", () => {
  const r = radio({ label: "Context", options: { "Cloud (H100)": "cloud", "Edge": "edge" } });
  assert.equal(r.value, null);
  assert.equal(r.coerce!("edge"), "edge");
  assert.equal(r.coerce!(null), null);
  assert.throws(
    () => r.coerce!("tiny"),
    /radio "Context": "tiny" is not an option; the options are "cloud", "edge"/,
  );
  assert.match(r.html(null), /\(none selected\)/);
  assert.match(r.html("cloud"), /Context: Cloud \(H100\)/);
  assert.match(r.html("cloud"), /value="&quot;cloud&quot;"/);
  const preset = radio({ label: "P", options: [2, 1], value: 2 });
  assert.equal(preset.value, 2);
  assert.throws(() => preset.coerce!(null), /null is not an option/);
  assert.throws(() => radio({ label: "D", options: ["a", "a"] }), /appears twice/);
});

Deno.test("dropdown: defaults to the first option", () => {
  const d = dropdown({ label: "Model", options: ["llama", "gemma"] });
  assert.equal(d.value, "llama");
  assert.throws(() => d.coerce!("gpt"), /dropdown "Model": "gpt" is not an option/);
});

Deno.test("checkbox and switch: booleans only", () => {
  const c = checkbox({ label: "Paged" });
  assert.equal(c.value, false);
  assert.throws(() => c.coerce!("yes"), /checkbox "Paged": "yes" is not true\/false/);
  const s = switchInput({ label: "Dark", value: true });
  assert.match(s.html(true), /kind="switch" value/);
  assert.match(s.html(true), /Dark: on/);
});

Deno.test("text: strings, max length", () => {
  const t = text({ label: "Note", maxLength: 5, placeholder: "<why>" });
  assert.equal(t.value, "");
  assert.match(t.html("a&b"), /value="a&amp;b"/);
  assert.match(t.html(""), /placeholder="&lt;why&gt;"/);
  assert.throws(() => t.coerce!("toolong"), /longer than 5/);
  assert.throws(() => t.coerce!(3), /is not a string/);
});

Deno.test("buttons: click counts", () => {
  const b = button({ label: "Go" });
  assert.equal(b.value, 0);
  assert.equal(b.coerce!(3), 3);
  assert.throws(() => b.coerce!(-1), /click count/);
  assert.match(runButton().html(0), /label="Run ▶" kind="primary"/);
});

Deno.test("tabsInput: the selected tab", () => {
  const t = tabsInput({ label: "View", options: ["Memory", "Latency"] });
  assert.equal(t.value, "Memory");
  assert.throws(() => t.coerce!("Power"), /tabs "View": "Power" is not an option/);
});

Deno.test("tableInput: value is the selected rows; coerce accepts rows, copies or indices", () => {
  const rows = [{ m: "a", n: 1 }, { m: "b", n: 2 }, { m: "c", n: 3 }];
  const t = tableInput({ label: "Models", rows });
  assert.deepEqual(t.value, []);
  assert.deepEqual(t.coerce!([rows[2], { m: "a", n: 1 }]), [rows[0], rows[2]]);
  assert.deepEqual(t.coerce!([1]), [rows[1]]);
  assert.throws(
    () => t.coerce!([{ m: "z" }]),
    /table "Models": \{"m":"z"\} is not one of its rows/,
  );
  const single = tableInput({ label: "One", rows, selection: "single" });
  assert.throws(() => single.coerce!([0, 1]), /single selection/);
  assert.match(t.html([rows[0]]), /Models: 1 of 3 rows selected/);
});

Deno.test("form: value is each field's value; coerce checks fields; html holds the children", () => {
  const f = form({
    label: "Config",
    fields: {
      replicas: number({ label: "Replicas", min: 1, max: 8, value: 2 }),
      policy: dropdown({ label: "Batching", options: ["static", "continuous"] }),
    },
  });
  assert.deepEqual(f.value, { replicas: 2, policy: "static" });
  assert.deepEqual(f.coerce!({ replicas: 4 }), { replicas: 4, policy: "static" });
  assert.throws(() => f.coerce!({ replicas: 9 }), /number "Replicas": 9 is outside 1…8/);
  assert.throws(() => f.coerce!({ nope: 1 }), /no field "nope"/);
  const h = f.html({ replicas: 3, policy: "continuous" });
  assert.match(h, /^<syslab-form label="Config"/);
  assert.match(h, /<syslab-number label="Replicas"[^>]*value="3"/);
  assert.match(h, /<syslab-dropdown label="Batching"[^>]*value="&quot;continuous&quot;"/);
});

Deno.test("cells/mod.ts imports in plain Deno and defines no DOM", async () => {
  await import("../../cells/mod.ts");
  assert.equal(typeof document, "undefined");
});

Deno.test("samples: the values the exporter visits (options, ranges, both states)", async () => {
  const { formatNumber } = await import("../../cells/mod.ts");
  const { predictionLock } = await import("../../cells/pedagogy/prediction-lock.ts");
  assert.deepEqual(slider({ label: "s", min: 0, max: 100, step: 10, value: 35 }).samples, [
    0,
    30,
    50,
    80,
    100,
    35,
  ]);
  assert.deepEqual(slider({ label: "s", steps: [512, 1024, 4096], value: 1024 }).samples, [
    512,
    1024,
    4096,
  ]);
  assert.deepEqual(number({ label: "n", min: 1, max: 9, value: 4 }).samples, [1, 5, 9, 4]);
  assert.deepEqual(radio({ label: "r", options: { a: "A", b: "B" } }).samples, ["A", "B"]);
  assert.deepEqual(dropdown({ label: "d", options: ["x", "y"] }).samples, ["x", "y"]);
  assert.deepEqual(checkbox({ label: "c" }).samples, [false, true]);
  const lock = predictionLock({
    question: "q",
    options: { "A) 1": "A", "B) 2": "B", "C) 3": "C", "D) 4": "D" },
  });
  assert.deepEqual(lock.samples, [null, "A", "B", "C", "D"]);
  for (const v of lock.samples ?? []) assert.equal(lock.coerce!(v), v, "every sample is valid");
  // formatNumber (no Intl): grouping, at most three decimals, no "-0".
  assert.deepEqual(
    [131072, 1234.5678, 0.1, -1234567.25, -0.0001, 1e21].map(formatNumber),
    ["131,072", "1,234.568", "0.1", "-1,234,567.25", "0", "1e+21"],
  );
});
