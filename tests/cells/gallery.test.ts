import assert from "node:assert/strict";
import { CellRuntimeError, runLab } from "../../runtime/mod.ts";

Deno.test("gallery: runs headless; only brokenOnPurpose fails, and the others keep updating", async () => {
  const h = await runLab("gallery");
  try {
    const errors = h.errors();
    assert.deepEqual(errors.map((e) => e.cells.map((c) => c.cell).join()), ["brokenOnPurpose"]);
    assert.ok(errors[0] instanceof CellRuntimeError);
    assert.match(h.html("brokenOnPurpose"), /role="alert".*fails on purpose/);

    // The chart's data depends on the slider; its table shows the marker row.
    const before = h.html("chartDemo");
    assert.match(before, /<td data-num>4,096<\/td>/);
    await h.update({ seqLen: 8192 });
    assert.match(h.html("chartDemo"), /<td data-num>8,192<\/td>/);
    assert.match(h.html("inputValues"), /data-testid="value-seqLen">8192</);
    assert.equal(h.errors().length, 1, "still only the broken cell");

    // A reversible failure state: over budget → danger banner; back → success.
    await h.update({ budget: 5 });
    assert.match(h.html("failure"), /data-kind="danger" role="alert".*OOM/s);
    await h.update({ budget: 640 });
    assert.match(h.html("failure"), /data-testid="fits"/);
  } finally {
    h.dispose();
  }
});

Deno.test("gallery: the prediction lock gates the reveal and its descendant", async () => {
  const h = await runLab("gallery");
  try {
    assert.match(h.html("act1Reveal"), /data-testid="gate".*Select your prediction to continue/s);
    assert.equal(h.state("act1Answer").status, "stopped");
    assert.deepEqual(h.state("act1Descendant"), {
      status: "waiting",
      on: "act1Answer",
      reason: "stopped",
    });
    assert.match(h.html("hud"), /data-tone="neutral">OPEN/);
    await h.update({ act1: "C" });
    assert.match(h.html("act1Reveal"), /data-testid="prediction-overlay"/);
    assert.match(h.html("act1Descendant"), /you chose <strong>C<\/strong>/);
    assert.match(h.html("act1"), /Locked\./);
    assert.match(h.html("hud"), /data-tone="ok">CORRECT/);
    assert.match(h.html("ledger"), /act1_prediction<\/th><td>C</);
    assert.throws(() => h.set("act1", "E"), /"E" is not an option/);
  } finally {
    h.dispose();
  }
});

Deno.test("gallery: every input accepts a new value headless", async () => {
  const h = await runLab("gallery");
  try {
    await h.update({
      context: "edge",
      batch: 32,
      smoothing: 0.25,
      precision: 1,
      model: "toy-7b",
      paged: false,
      emphasis: true,
      note: "hello",
      clicks: 2,
      run: 1,
      view: "Users",
      picked: [0, 2],
      config: { replicas: 4, policy: "continuous" },
      reflect1: "B",
      act2: 150,
    });
    const v = h.html("inputValues");
    for (
      const [k, want] of Object.entries({
        context: "edge",
        batch: "32",
        smoothing: "0.25",
        precision: "1",
        model: "toy-7b",
        paged: "false",
        emphasis: "true",
        note: "hello",
        clicks: "2",
        run: "1",
        view: "Users",
        picked: "toy-7b, toy-70b",
        config: `{&quot;replicas&quot;:4,&quot;policy&quot;:&quot;continuous&quot;}`,
      })
    ) assert.ok(v.includes(`data-testid="value-${k}">${want}<`), `${k} → ${want}`);
    assert.match(h.html("reflect1Feedback"), /data-kind="warn"/);
    assert.match(h.html("message"), /Robotics platform lead/);
    assert.equal(h.errors().length, 1);
  } finally {
    h.dispose();
  }
});
