import assert from "node:assert/strict";
import {
  contextToggle,
  failureBanner,
  hudFooter,
  labHeader,
  MATH_PEEK_TITLE,
  mathPeek,
  md,
  reflection,
  reflectionFeedback,
  stakeholder,
} from "../../cells/mod.ts";
import { predictionLock } from "../../cells/pedagogy/prediction-lock.ts";

const OPTIONS = [
  { value: "A", label: "A) ~200" },
  { value: "B", label: "B) ~50" },
  { value: "C", label: "C) ~20" },
  { value: "D", label: "D) ~5" },
];

Deno.test("labHeader: title, subtitle, time and constraint badges, escaped", () => {
  const h = labHeader({
    title: "The KV-Cache <Wall>",
    subtitle: "How many users?",
    minutes: 40,
    badges: [{ text: "TTFT SLO < 200 ms", kind: "warn" }, "new instrument"],
  }).html();
  assert.match(h, /<h1>The KV-Cache &lt;Wall&gt;<\/h1>/);
  assert.match(
    h,
    /<svg class="syslab-icon" data-icon="clock"[^>]*aria-hidden="true"[\s\S]*?<\/svg>40 min<\/span>/,
  );
  assert.doesNotMatch(h, /⏱/, "no emoji: it is a box where no emoji font is installed");
  assert.match(h, /data-kind="warn">TTFT SLO &lt; 200 ms<\/span>/);
  assert.match(h, /data-kind="info">new instrument<\/span>/);
});

Deno.test("contextToggle: exactly two contexts, segmented radio", () => {
  const t = contextToggle({ options: { Cloud: "cloud", Edge: "edge" } });
  assert.equal(t.value, "cloud");
  assert.match(t.html("edge"), /variant="segmented"/);
  assert.match(t.html("edge"), /Deployment context: Edge/);
  assert.throws(
    () => contextToggle({ options: ["cloud", "edge", "mobile"] }),
    /exactly two deployment contexts, not 3/,
  );
});

Deno.test("stakeholder: persona, role and quote, escaped", () => {
  const h = stakeholder({ persona: "Lead", role: "serving", quote: `Give me "a number" <now>` })
    .html();
  assert.match(h, /Incoming message · Lead, serving/);
  assert.match(h, /“Give me &quot;a number&quot; &lt;now&gt;”/);
  assert.match(h, /aria-label="Message from Lead, serving"/);
});

Deno.test("predictionLock: exactly 4 options; null until committed; locked markup after", () => {
  const p = predictionLock({ question: "How many users?", options: OPTIONS });
  assert.equal(p.value, null);
  assert.equal(p.coerce!("C"), "C");
  assert.equal(p.coerce!(null), null);
  assert.throws(() => p.coerce!("E"), /"E" is not an option/);
  assert.match(p.html(null), /○ A\) ~200/);
  const locked = p.html("C");
  assert.match(locked, /Locked\. How many users\?/);
  assert.match(locked, /Your prediction: C\) ~20/);
  assert.throws(
    () => predictionLock({ question: "Q", options: OPTIONS.slice(0, 3) }),
    /needs exactly 4 options \(one correct\), not 3/,
  );
});

Deno.test("predictionLock: a bounded number", () => {
  const p = predictionLock({ question: "TTFT?", min: 0, max: 2000, unit: "ms" });
  assert.equal(p.value, null);
  assert.equal(p.coerce!(150), 150);
  assert.throws(() => p.coerce!(5000), /5000 is outside 0…2000/);
  assert.match(p.html(1500), /Your prediction: 1,500 ms/);
});

Deno.test("reflection: per-option feedback; correct → success, others → warn", () => {
  const cfg = {
    question: "Why?",
    options: { "A) keys and values": "A", "B) compute": "B" },
    feedback: { A: "**Right.**", B: "Not quite." },
    correct: "A",
  } as const;
  const r = reflection(cfg);
  assert.equal(r.value, null);
  assert.equal(r.config, cfg);
  assert.match(reflectionFeedback(cfg, null).html(), /Select your answer to continue/);
  const right = reflectionFeedback(r, "A").html();
  assert.match(right, /data-kind="success"/);
  assert.match(right, /<strong>Right\.<\/strong>/);
  assert.match(reflectionFeedback(cfg, "B").html(), /data-kind="warn"[^]*Not quite\./);
  assert.throws(
    () => reflection({ ...cfg, feedback: { A: "x" } }),
    /no feedback for "B"/,
  );
  assert.throws(() => reflection({ ...cfg, correct: "Z" as "A" }), /"Z" is not an option/);
});

Deno.test("mathPeek: a closed accordion titled 'The governing equation' with math", () => {
  const h = mathPeek(md`$$x^2$$`).html();
  assert.match(h, /<details><summary><svg [^>]*data-icon="set-square"[^>]*aria-hidden="true"/);
  assert.ok(h.includes(`</svg>${MATH_PEEK_TITLE}</summary>`));
  assert.match(h, /<msup><mi>x<\/mi><mn[^>]*>2<\/mn><\/msup>/);
  assert.match(mathPeek("Roofline", "$R$").html(), /<\/svg>Roofline<\/summary>/);
});

Deno.test("failureBanner: danger callout announced as an alert", () => {
  const h = failureBanner({ title: "OOM — infeasible.", body: "Needs **90 GB** of 80 GB." }).html();
  assert.match(h, /data-kind="danger" role="alert"/);
  assert.match(h, /data-icon="dot"[^>]*>.*<\/svg>OOM — infeasible\./);
  const warn = failureBanner({ kind: "warn", title: "At risk.", body: "x" }).html();
  assert.match(warn, /data-kind="warn" role="alert".*data-icon="dot"/);
  assert.match(h, /<strong>90 GB<\/strong>/);
});

Deno.test("hudFooter: items with tones, ledger status", () => {
  const h = hudFooter({
    items: [["Act I", "CORRECT"], ["SLO", "VIOLATED"], { label: "KV", value: "5 GB" }],
  })
    .html();
  assert.match(
    h,
    /<dt class="syslab-hud-label">Act I<\/dt><dd class="syslab-hud-value" data-tone="ok">CORRECT/,
  );
  assert.match(h, /data-tone="bad">VIOLATED/);
  assert.match(h, /data-tone="neutral">5 GB/);
  assert.match(h, /<syslab-ledger-status data-testid="ledger-status">not saved yet/);
});
