/** Issue 16 item 6: display derivations wrap between their steps on a 390 px phone. */
import assert from "node:assert/strict";
import { splitRelations, tex } from "../../cells/outputs/markdown-engine.ts";
import { cellsCSS } from "../../cells/style.ts";

Deno.test("splitRelations splits before top-level = and \\approx only", () => {
  assert.deepEqual(
    splitRelations(String.raw`2 \cdot 80 \cdot 8 \cdot 128 \cdot 2 = 327{,}680 \text{ bytes}`),
    [
      String.raw`2 \cdot 80 \cdot 8 \cdot 128 \cdot 2`,
      String.raw`= 327{,}680 \text{ bytes}`,
    ],
  );
  assert.deepEqual(
    splitRelations(String.raw`N = \left\lfloor \frac{a = b}{c} \right\rfloor \approx 3 = 3`),
    [
      "N",
      String.raw`= \left\lfloor \frac{a = b}{c} \right\rfloor`,
      String.raw`\approx 3`,
      "= 3",
    ],
  );
  assert.deepEqual(splitRelations(String.raw`\begin{aligned} a &= b \\ c &= d \end{aligned}`), [
    String.raw`\begin{aligned} a &= b \\ c &= d \end{aligned}`,
  ]);
  assert.deepEqual(splitRelations(String.raw`x \{ = \} y`), [String.raw`x \{`, String.raw`= \} y`]);
  assert.deepEqual(splitRelations("a + b"), ["a + b"]);
});

Deno.test("a multi-step display derivation renders one math element per step in a wrapping row", () => {
  const html = tex(String.raw`2 \cdot 80 = 160 = 1.6 \times 10^2`, true);
  assert.match(html, /^<span class="syslab-math-display syslab-math-wrap">/);
  assert.equal(html.match(/<math/g)?.length, 3);
  assert.match(html.split("<math")[2], /<mo[^>]*>=<\/mo>/);
  const single = tex("a + b", true);
  assert.match(single, /^<span class="syslab-math-display"><math[^>]*display="block"/);
  assert.match(cellsCSS, /\.syslab-math-wrap \{ display: flex; flex-wrap: wrap;/);
  assert.match(cellsCSS, /\.syslab-chart-view svg, \.syslab-chart-view canvas \{ max-width: 100%/);
});
