/**
 * Markdown cannot act on the page (issue 17): `javascript:` links (from `mdText`, which renders
 * runtime strings, or authored) render as their text; a `<meta http-equiv=refresh>` in a lab's
 * markdown, which navigated an exported page away, is shown as text.
 */
import assert from "node:assert/strict";
import { md, mdText } from "../../cells/outputs/md.ts";
import { safeURL } from "../../cells/outputs/markdown-engine.ts";

Deno.test("mdText: javascript: links in any spelling render as text; safe links stay links", () => {
  const out = mdText(
    "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#x73;cript:alert(1)) " +
      "[d](javascript&colon;alert(1)) <javascript:alert(2)> [e](vbscript:x) [f](data:text/html,x) " +
      "[ok](https://example.org/x) [rel](#part) [mail](mailto:a@b.c)",
  ).html();
  assert.doesNotMatch(out, /href="(?!https:|#|mailto:)/i, out);
  assert.match(out, /<a href="https:\/\/example\.org\/x">ok<\/a>/);
  assert.match(out, /<a href="#part">rel<\/a>/);
  assert.match(out, /<a href="mailto:a@b\.c">mail<\/a>/);
  for (const t of ["a", "b", "c", "d", "e", "f"]) assert.match(out, new RegExp(`\\b${t}\\b`));
});

Deno.test("md: an authored javascript: link or image is not followed either", () => {
  const out = md`[go](javascript:alert(1)) ![pic](javascript:x) ![ok](data:image/png;base64,AA)`
    .html();
  assert.doesNotMatch(out, /javascript:/);
  assert.match(out, /<img src="data:image\/png;base64,AA" alt="ok">/);
});

Deno.test("md: <meta http-equiv=refresh> is shown as text, inline or as a block", () => {
  const inline = md`Hi <meta http-equiv="refresh" content="0;url=https://x.example"> <b>ok</b>`
    .html();
  assert.doesNotMatch(inline, /<meta/i);
  assert.match(inline, /&lt;meta http-equiv=&quot;refresh&quot;/);
  assert.match(inline, /<b>ok<\/b>/, "other raw HTML in authored markdown still works");
  const block = md`para

<META HTTP-EQUIV=refresh CONTENT="0;url=x">

end`.html();
  assert.doesNotMatch(block, /<meta/i);
  const link = md`<a href=" javascript:alert(1)">x</a>`.html();
  assert.doesNotMatch(link, /<a href/);
});

Deno.test("safeURL: relative, http(s), mailto; data:image only for images", () => {
  for (const ok of ["/x", "x.html", "#a", "?q=1", "https://a", "HTTP://a", "mailto:x@y"]) {
    assert.ok(safeURL(ok), ok);
  }
  for (const bad of ["javascript:x", " javascript:x", "java\tscript:x", "jav&#97;script:x"]) {
    assert.ok(!safeURL(bad), bad);
  }
  assert.ok(!safeURL("data:image/png;base64,AA"));
  assert.ok(safeURL("data:image/png;base64,AA", true));
  assert.ok(!safeURL("data:text/html,x", true));
});
