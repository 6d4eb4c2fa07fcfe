/**
 * The widget gallery: every input, output and pedagogy widget of cells/, wired into one lab. The
 * browser tests drive it (stable `data-testid`s), and it is the place to look at the styles in
 * light and dark mode. The arithmetic here is a toy model for the demo, not course physics.
 */
import { lab } from "../runtime/mod.ts";
import {
  accordion,
  badges,
  button,
  callout,
  chart,
  checkbox,
  contextToggle,
  dropdown,
  failureBanner,
  form,
  formatNumber,
  gate,
  grid,
  hstack,
  html,
  hudFooter,
  labHeader,
  ledgerSave,
  mathPeek,
  md,
  metricRow,
  number,
  predictionLock,
  predictionOverlay,
  radio,
  reflection,
  reflectionFeedback,
  runButton,
  slider,
  stakeholder,
  stat,
  switchInput,
  table,
  tableInput,
  tabs,
  tabsInput,
  text,
  vstack,
} from "../cells/mod.ts";

/** Toy bytes per token at 16-bit precision (a demo constant, not a model's shape). */
const TOY_BYTES_PER_TOKEN = 320_000;
const GB = 1e9;

const MODELS = [
  { model: "toy-7b", layers: 32, params_b: 7 },
  { model: "toy-13b", layers: 40, params_b: 13 },
  { model: "toy-70b", layers: 80, params_b: 70 },
];

/** Predicted users for each prediction option. */
const ACT1_GUESS: Record<string, number> = { A: 200, B: 50, C: 20, D: 5 };

const REFLECT = {
  question: "Why does the context length dominate the cache?",
  options: {
    "A) Every token keeps a key and a value per layer": "A",
    "B) Longer prompts need more compute per token": "B",
    "C) The cache compresses with model width": "C",
    "D) Longer contexts use more attention heads": "D",
  },
  feedback: {
    A: "**Right.** The cache holds one key and one value per token per layer, so it grows with the context.",
    B: "Compute per token is not what fills memory; **stored** keys and values are.",
    C: "Nothing is compressed: the cache stores exact tensors.",
    D: "The number of heads is fixed by the architecture, not by the context.",
  },
  correct: "A",
  testid: "reflection",
} as const;

export default lab({
  id: "gallery",
  title: "Widget gallery",
  subtitle: "Every input, output and pedagogy widget of cells/",
  minutes: 5,
  volume: "tutorial",
  status: "ready",
})
  .show("header", () =>
    labHeader({
      kicker: "syslab · cells/ · widget gallery",
      title: "Widget gallery",
      subtitle: "Every input, output and widget a lab uses, wired to a toy model.",
      minutes: 5,
      badges: [
        { text: "KV = 2 × L × S × H × D × bytes", kind: "info" },
        { text: "TTFT SLO < 200 ms", kind: "warn" },
        { text: "Inputs are keyboard-operable", kind: "success" },
      ],
    }))
  .input("context", () =>
    contextToggle({
      options: { "Cloud (H100)": "cloud", "Edge (Jetson Orin NX)": "edge" },
    }))
  .show("message", ({ context }) =>
    stakeholder({
      persona: context === "cloud" ? "Serving team lead" : "Robotics platform lead",
      role: context === "cloud" ? "cloud inference" : "on-device inference",
      quote: context === "cloud"
        ? "We have 8 GPUs and a 4,096-token context. How many users can we hold? Give me a number."
        : "One 16 GB module, one robot. How long a context can the planner keep?",
      testid: "stakeholder",
    }))
  // ---- inputs ---------------------------------------------------------------------------------
  .input("seqLen", () =>
    slider({
      label: "Context length (tokens)",
      min: 512,
      max: 32768,
      step: 512,
      value: 4096,
      testid: "slider",
    }))
  .input("batch", () =>
    slider({
      label: "Batch size",
      steps: [1, 2, 4, 8, 16, 32, 64],
      value: 8,
      format: (v) => `${v} seq`,
      testid: "slider-steps",
    }))
  .input("smoothing", () =>
    slider({
      label: "Smoothing (debounced)",
      min: 0,
      max: 1,
      step: 0.05,
      value: 0.5,
      debounce: 150,
      testid: "slider-debounced",
    }))
  .input(
    "budget",
    () =>
      number({ label: "Memory budget", min: 1, max: 640, value: 80, unit: "GB", testid: "number" }),
  )
  .input("precision", () =>
    radio({
      label: "KV-cache precision",
      options: { "FP16 (2 bytes)": 2, "FP8 (1 byte)": 1, "INT4 (½ byte)": 0.5 },
      value: 2,
      testid: "radio",
    }))
  .input("model", () =>
    dropdown({
      label: "Model",
      options: { "toy-7b (32 layers)": "toy-7b", "toy-70b (80 layers)": "toy-70b" },
      value: "toy-70b",
      testid: "dropdown",
    }))
  .input("paged", () => checkbox({ label: "Paged attention", value: true, testid: "checkbox" }))
  .input("emphasis", () => switchInput({ label: "Emphasize the curve", testid: "switch" }))
  .input(
    "note",
    () => text({ label: "Design note", placeholder: "Why this config?", testid: "text" }),
  )
  .input("clicks", () => button({ label: "Count clicks", testid: "button" }))
  .input("run", () => runButton({ label: "Run sweep ▶", testid: "run-button" }))
  .input(
    "view",
    () =>
      tabsInput({ label: "Instrument view", options: ["Memory", "Users"], testid: "tabs-input" }),
  )
  .input(
    "picked",
    () =>
      tableInput({
        label: "Models to compare",
        rows: MODELS,
        value: [MODELS[0]],
        testid: "table-input",
      }),
  )
  .input("config", () =>
    form({
      label: "Serving config",
      fields: {
        replicas: number({ label: "Replicas", min: 1, max: 16, value: 2 }),
        policy: dropdown({ label: "Batching", options: ["static", "continuous"] }),
      },
      submitLabel: "Apply config",
      testid: "form",
    }))
  .show("inputValues", (
    {
      context,
      seqLen,
      batch,
      smoothing,
      budget,
      precision,
      model,
      paged,
      emphasis,
      note,
      clicks,
      run,
      view,
      picked,
      config,
    },
  ) => {
    const values: Record<string, unknown> = {
      context,
      seqLen,
      batch,
      smoothing,
      budget,
      precision,
      model,
      paged,
      emphasis,
      note,
      clicks,
      run,
      view,
      picked: picked.map((r) => r.model).join(", "),
      config: JSON.stringify(config),
    };
    const rows = Object.entries(values).map(([k, v]) =>
      html`
        <tr>
          <th scope="row">${k}</th>
          <td data-testid="${`value-${k}`}">${String(v)}</td>
        </tr>
      `
    );
    return html`
      <div class="syslab-table-scroll">
        <table class="syslab-table" data-testid="input-values">
          <caption>Current input values</caption>
          <tbody>${rows}</tbody>
        </table>
      </div>
    `;
  })
  // ---- a toy model, charts and metrics --------------------------------------------------------
  .cell(
    "kvGB",
    ({ seqLen, batch, precision, paged }) =>
      (TOY_BYTES_PER_TOKEN * seqLen * batch * precision / 2) * (paged ? 1 : 1.3) / GB,
  )
  .cell("curve", ({ batch, precision, paged }) => {
    const rows = [];
    for (let s = 512; s <= 32768; s += 512) {
      rows.push({
        tokens: s,
        gb: (TOY_BYTES_PER_TOKEN * s * batch * precision / 2) * (paged ? 1 : 1.3) / GB,
      });
    }
    return rows;
  })
  .show("chartDemo", ({ curve, seqLen, kvGB, emphasis }) =>
    chart({
      width: 480,
      height: 220,
      params: [{ name: "lineWidth", value: 2 }],
      layer: [
        {
          data: { name: "table" },
          mark: { type: "line", strokeWidth: { expr: "lineWidth" }, tooltip: true },
          encoding: {
            x: { field: "tokens", type: "quantitative", title: "Context length (tokens)" },
            y: { field: "gb", type: "quantitative", title: "KV-cache (GB, toy)" },
          },
        },
        {
          data: { name: "marker" },
          mark: { type: "point", filled: true, size: 120, color: "#CC5500", tooltip: true },
          encoding: {
            x: { field: "tokens", type: "quantitative" },
            y: { field: "gb", type: "quantitative" },
          },
        },
      ],
    }, {
      data: { table: curve, marker: [{ tokens: seqLen, gb: kvGB }] },
      signals: { lineWidth: emphasis ? 4 : 2 },
      description: `KV-cache (toy model) against context length; the marker is at ${
        formatNumber(seqLen)
      } tokens, ${kvGB.toFixed(1)} GB.`,
      table: { dataset: "marker" },
      testid: "chart",
    }))
  .show("brokenOnPurpose", ({ seqLen }) => {
    if (seqLen > 0) throw new Error("this cell fails on purpose; the others keep updating");
    return "never";
  })
  .show("metrics", ({ kvGB, budget, seqLen }) =>
    metricRow([
      {
        label: "KV per batch",
        value: kvGB,
        format: (v) => v.toFixed(1),
        unit: "GB",
        kind: "info",
        caption: `at ${formatNumber(seqLen)} tokens`,
        testid: "stat-kv",
      },
      { label: "Budget", value: budget, unit: "GB", testid: "stat-budget" },
      {
        label: "Headroom",
        value: budget - kvGB,
        format: (v) => v.toFixed(1),
        unit: "GB",
        kind: kvGB > budget ? "danger" : "success",
        testid: "stat-headroom",
      },
    ]))
  .show("failure", ({ kvGB, budget }) =>
    kvGB > budget
      ? failureBanner({
        title: "OOM — infeasible.",
        body: `The cache needs **${kvGB.toFixed(1)} GB** but the budget is **${budget} GB**. ` +
          "Lower the context or the batch, or raise the budget.",
      })
      : callout("success", `Fits: ${kvGB.toFixed(1)} GB of ${budget} GB.`, { testid: "fits" }))
  // ---- outputs and layout ---------------------------------------------------------------------
  .show("callouts", () =>
    vstack([
      callout("neutral", "A **neutral** note.", { testid: "callout-neutral" }),
      callout("info", "**Recommended reading:** the KV-cache section.", {
        title: "Info",
        testid: "callout-info",
      }),
      callout("success", "Everything fits.", { testid: "callout-success" }),
      callout("warn", "Close to the limit.", { testid: "callout-warn" }),
      callout("danger", "Over the limit.", { testid: "callout-danger" }),
    ]))
  .show("mathText", ({ seqLen }) =>
    md`## Markdown with math

The cache grows linearly: $\text{KV} = 2 \cdot L \cdot S \cdot H \cdot d \cdot b$ with
$S = ${seqLen}$ tokens now. Display math:

$$\frac{\text{memory}}{\text{user}} = 2 L H d b \cdot S$$

Interpolated text is escaped: ${"<b>not bold</b>"}.`)
  .show("layouts", ({ view, kvGB, budget, $seqLen }) =>
    hstack([
      vstack([
        md`**${view} view** — the slider, placed by a layout cell:`,
        $seqLen,
        badges([
          { text: kvGB > budget ? "OOM" : "fits", kind: kvGB > budget ? "danger" : "success" },
          { text: "toy model", kind: "neutral" },
        ]),
      ]),
      grid([
        stat({ label: "Cell A", value: 1 }),
        stat({ label: "Cell B", value: 2 }),
        stat({ label: "Cell C", value: 3 }),
        stat({ label: "Cell D", value: 4 }),
      ], { columns: 2, gap: 0.5 }),
    ], { widths: [2, 1] }))
  .show("chartInLayout", ({ curve }) =>
    hstack([
      chart({
        mark: "area",
        width: 240,
        height: 120,
        encoding: {
          x: { field: "tokens", type: "quantitative" },
          y: { field: "gb", type: "quantitative" },
        },
      }, {
        data: curve,
        description: "The same curve as an area, inside an hstack.",
        table: false,
        testid: "chart-layout",
      }),
      md`A chart inside a layout keeps its Vega view across updates.`,
    ]))
  .show("moreOutputs", ({ picked }) =>
    vstack([
      accordion({
        "What is in the cache?": "One key and one value per token, per layer.",
        "Why does paging help?":
          "It allocates in blocks, so short requests do not reserve the maximum.",
      }, { testid: "accordion" }),
      tabs({
        "Selected models": table(picked, {
          caption: "Rows picked in the table input",
          testid: "table-output",
        }),
        "All models": table(MODELS),
      }, { testid: "tabs-output", label: "Model tables" }),
    ]))
  // ---- pedagogy -------------------------------------------------------------------------------
  .input("act1", () =>
    predictionLock({
      question: "8 GPUs, 500 GB for the cache, 4,096-token contexts: how many concurrent users?",
      options: [
        { value: "A", label: "A) ~200 users — the cache is small" },
        { value: "B", label: "B) ~50 users" },
        { value: "C", label: "C) ~20 users — each user's cache is large" },
        { value: "D", label: "D) ~5 users" },
      ],
      testid: "prediction-lock",
    }))
  .input("act2", () =>
    predictionLock({
      title: "Prediction lock · Act II",
      question: "What TTFT (ms) do you expect at batch 32?",
      min: 0,
      max: 2000,
      unit: "ms",
      testid: "prediction-lock-number",
    }))
  .show("act1Reveal", ({ act1, budget, kvGB }) => {
    gate(act1);
    const users = Math.max(0, Math.floor(budget / Math.max(kvGB / 8, 1e-9)));
    return predictionOverlay({ predicted: ACT1_GUESS[act1], actual: users, unit: "users" });
  })
  .cell("act1Answer", ({ act1 }) => {
    gate(act1);
    return act1;
  })
  .show(
    "act1Descendant",
    ({ act1Answer }) =>
      callout("info", `Revealed after the lock: you chose **${act1Answer}**.`, {
        testid: "gated-descendant",
      }),
  )
  .input("reflect1", () => reflection(REFLECT))
  .show("reflect1Feedback", ({ reflect1 }) => reflectionFeedback(REFLECT, reflect1))
  .show(
    "math",
    () =>
      mathPeek(md`$$\text{KV bytes} = 2 \times L \times S \times H_{kv} \times d \times b$$

- $L$ layers, $S$ tokens, $H_{kv}$ KV heads, $d$ head dimension, $b$ bytes per element.`),
  )
  .show("ledger", ({ context, act1, act2, kvGB, budget, model }) =>
    ledgerSave({
      lab: "gallery",
      entry: {
        context,
        act1_prediction: act1,
        act1_correct: act1 === null ? null : act1 === "C",
        act2_result: Number(kvGB.toFixed(2)),
        act2_decision: model,
        constraint_hit: kvGB > budget,
        predictions: { act2_ttft_ms: act2 },
        decisions: { budget_gb: budget },
      },
    }))
  .show("hud", ({ context, act1, kvGB, budget }) =>
    hudFooter({
      items: [
        ["Lab", "Widget gallery"],
        ["Context", context.toUpperCase()],
        ["Act I", act1 === null ? "OPEN" : act1 === "C" ? "CORRECT" : "WRONG"],
        ["KV", `${kvGB.toFixed(1)} GB`],
        ["Memory", kvGB > budget ? "OOM" : "OK"],
      ],
    }));
