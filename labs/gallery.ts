/**
 * The widget gallery: every input, output and pedagogy widget of cells/, wired into one lab. The
 * browser tests drive it (stable `data-testid`s), and it is the place to look at the styles in
 * light and dark mode. The arithmetic of the widgets is a toy model for the demo, not course
 * physics; the two acts at the end (a four-option and a numeric prediction, their reveals, the
 * HUD and ledger from `labSummary`) are computed with core/ like a course lab's.
 */
import { lab } from "../runtime/mod.ts";
import {
  accordion,
  badges,
  button,
  callout,
  chart,
  checkbox,
  choicePrediction,
  contextToggle,
  dropdown,
  failureBanner,
  form,
  formatNumber,
  grid,
  hstack,
  html,
  labHeader,
  labSummary,
  mathPeek,
  md,
  metricRow,
  number,
  numberPrediction,
  type OptionModel,
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
import {
  formatCount,
  formatMs,
  lookupGpu,
  lookupTransformer,
  maxUsers,
  serve,
} from "../core/mod.ts";

/** Toy bytes per token at 16-bit precision (a demo constant, not a model's shape). */
const TOY_BYTES_PER_TOKEN = 320_000;
const GB = 1e9;

const MODELS = [
  { model: "toy-7b", layers: 32, params_b: 7 },
  { model: "toy-13b", layers: 40, params_b: 13 },
  { model: "toy-70b", layers: 80, params_b: 70 },
];

/** The acts' scenario in each context: one model on one device (core's registry). */
const SCENARIOS = {
  cloud: { model: "llama-3.1-8b", gpu: "h100-sxm", precision: "bf16", seqLen: 4096 },
  edge: { model: "llama-3.1-8b", gpu: "jetson-orin-nx", precision: "int4", seqLen: 2048 },
} as const;
type Context = keyof typeof SCENARIOS;

/** Act I's options: four beliefs about the KV-cache, each applied to the scenario with core. */
function usersOptions(context: Context): OptionModel[] {
  const s = SCENARIOS[context];
  const spec = lookupTransformer(s.model);
  const q = { ...s, kvPrecision: "bf16" } as const;
  const real = maxUsers(q);
  return [
    {
      predicted: real.maxUsers,
      text:
        `each user caches ${spec.layers} layers × ${spec.kvHeads} KV heads; vLLM keeps a reserve`,
      why: "One key and one value per KV head per layer per token, in the budget vLLM leaves.",
    },
    {
      predicted: maxUsers({ ...q, reserve: "none" }).maxUsers,
      text: "every byte after the weights holds cache",
      why: "A serving engine keeps headroom and an activation reserve back from the cache.",
    },
    {
      predicted: maxUsers({ ...q, model: { ...spec, kvHeads: spec.heads } }).maxUsers,
      text: `each of the ${spec.heads} query heads caches its own key and value`,
      why: `Grouped-query attention: ${spec.heads} query heads share ${spec.kvHeads} KV heads.`,
    },
    {
      predicted: Math.floor(real.kvBudgetBytes / (real.kvPerUserBytes / 2)),
      text: "the cache holds keys; values are recomputed",
      why: "Each layer stores both the key and the value of every token (the factor 2).",
    },
  ];
}

/** "Llama-3.1-8B (INT4) on one NVIDIA Jetson Orin NX 16GB, 2,048-token contexts". */
function scenarioText(context: Context): string {
  const s = SCENARIOS[context];
  return `${lookupTransformer(s.model).name} (${s.precision.toUpperCase()} weights) on one ${
    lookupGpu(s.gpu).name
  }, ${formatCount(s.seqLen)}-token contexts`;
}

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
    contextToggle<Context>({
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
      <div class="syslab-table-scroll" tabindex="0" role="region" aria-label="Current input values">
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
  .show("chartInLayout", ({ curve, batch }) =>
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
        description: `The same curve as an area at batch ${batch}, inside an hstack.`,
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
  // ---- acts: predictions, reveals, HUD and ledger ------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ context }) =>
      md`## Act I · Predict, then see

${scenarioText(context)}. The widgets below this lock wait on its commit.`,
    prediction: ({ context }) =>
      choicePrediction({
        question: `${scenarioText(context)}: how many concurrent users fit?`,
        options: usersOptions(context),
        answer: maxUsers({ ...SCENARIOS[context], kvPrecision: "bf16" }).maxUsers,
        format: (n) => `${formatCount(n)} users`,
        key: context,
        testid: "prediction-lock",
      }),
  }, (act) =>
    act
      .show("act1Descendant", ({ act1 }) =>
        callout("info", `Revealed after the lock: you chose **${act1.value}**.`, {
          testid: "gated-descendant",
        }))
      .reveal()
      .input("reflect1", () =>
        reflection(REFLECT))
      .show("reflect1Feedback", ({ reflect1 }) =>
        reflectionFeedback(REFLECT, reflect1))
      .show(
        "math",
        () =>
          mathPeek(md`$$\text{KV bytes} = 2 \times L \times S \times H_{kv} \times d \times b$$

- $L$ layers, $S$ tokens, $H_{kv}$ KV heads, $d$ head dimension, $b$ bytes per element.`),
      )
      .record(({ act1 }) => ({
        hud: [["Max users", formatCount(act1.answer!)]],
        ledger: { max_users: act1.answer ?? null },
      })))
  .act("act2", {
    title: "Act II",
    prediction: ({ context }) => {
      const s = SCENARIOS[context];
      const r = serve({ ...s, batch: 32, prompt: 1024 });
      return numberPrediction({
        title: "Prediction lock · Act II",
        question: `${lookupTransformer(s.model).name} on one ${
          lookupGpu(s.gpu).name
        }: 32 prompts of 1,024 tokens arrive at once. What TTFT (ms) do you expect?`,
        min: 0,
        max: 100000,
        unit: "ms",
        answer: r.ttftS * 1e3,
        format: (ms) => formatMs(ms / 1e3, 0),
        explain: `Prefill is compute-bound: ${
          formatCount(32 * 1024)
        } tokens share each weight read.`,
        testid: "prediction-lock-number",
      });
    },
  }, (act) =>
    act
      .reveal()
      .record(({ act2 }) => ({
        hud: [["TTFT", formatMs(act2.answer / 1e3, 0)]],
        ledger: { ttft_ms: Math.round(act2.answer) },
      })))
  .summary("summary", ({ context, acts, kvGB, budget }) =>
    labSummary({
      lab: "gallery",
      context,
      acts,
      hud: [
        ["Lab", "Widget gallery"],
        ["Context", context.toUpperCase()],
        ["KV", `${kvGB.toFixed(1)} GB`],
        ["Memory", kvGB > budget ? "OOM" : "OK"],
      ],
    }));
