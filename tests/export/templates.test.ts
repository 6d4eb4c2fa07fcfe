import assert from "node:assert/strict";
import { squeezeTemplates } from "../../export/templates.ts";
import { compactCSS } from "../../export/single-file.ts";

Deno.test("squeezeTemplates: html/css text squeezed, expressions and other strings untouched", () => {
  const src = [
    "const a = html`<div>\n    <b>${x ? `  keep  ${y}` : '  and  '}</b>\n  </div>`;",
    "const b = css`:host {\n    display: block;\n  }`;",
    "const c = `  plain  template  `;",
    "const d = html`<pre>\n  as is\n</pre>`;",
  ].join("\n");
  const out = squeezeTemplates(src);
  assert.ok(out.includes("html`<div> <b>${x ? `  keep  ${y}` : '  and  '}</b> </div>`"), out);
  assert.match(out, /css`:host \{ display: block; \}`/);
  assert.ok(out.includes("`  plain  template  `"));
  assert.ok(out.includes("<pre>\n  as is\n</pre>"));
});

Deno.test("compactCSS: comments and needless whitespace go, rules stay (a space before : is kept)", () => {
  assert.equal(compactCSS(".x :focus-visible { a: b }"), ".x :focus-visible{a: b}");
  assert.equal(
    compactCSS(
      "/* note */\n.a > .b {\n  color: red;\n  margin: 0 auto;\n}\n@media print { .a { x: y; } }",
    ),
    ".a>.b{color: red;margin: 0 auto}@media print{.a{x: y}}",
  );
});
