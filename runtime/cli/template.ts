/**
 * The source `deno task new` writes: a working miniature of a course lab in the act structure —
 * header, context toggle, Act I (a four-option prediction whose correct option is computed from
 * core/, an instrument, the reveal, a HUD/ledger record), Act II (a numeric estimate, a slider, a
 * failure state, a math peek) and the summary (HUD, ledger, start over) from `labSummary`. It
 * runs and passes `--check` as written; the author replaces the scenario (docs/authoring.md).
 */

/** What the template needs to know about the new lab. */
export interface TemplateOptions {
  id: string;
  title: string;
  /** "I", "II"…, or undefined for a slug id. */
  volume?: string;
}

/** The lab file's source for `o`. */
export function labTemplate(o: TemplateOptions): string {
  const meta = [
    `id: ${JSON.stringify(o.id)}`,
    `title: ${JSON.stringify(o.title)}`,
    `minutes: 5`,
    o.volume ? `volume: ${JSON.stringify(o.volume)}` : "",
    `status: "draft"`,
  ].filter(Boolean).join(", ");
  return `/**
 * ${o.title.replace(/\*\//g, "* /")} (lab ${o.id}).
 *
 * Scaffolded by \`deno task new\`: two acts on core/ physics — how long one pass over the device's
 * memory takes (Act I), and how much of it one 10 ms decode step can read (Act II). Replace them
 * with the lab's own scenario and acts; see docs/authoring.md.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  choicePrediction,
  contextToggle,
  failureBanner,
  labHeader,
  labSummary,
  mathPeek,
  md,
  metricRow,
  numberPrediction,
  type OptionModel,
  slider,
  vstack,
} from "../cells/mod.ts";
import { formatBandwidth, formatGB, formatMs, formatPercent, lookupGpu } from "../core/mod.ts";

/** The two deployment contexts and their registry ids (labs.md, rule 5). */
const DEVICES = { cloud: "h100-sxm", edge: "jetson-orin-nx" } as const;
type Context = keyof typeof DEVICES;
/** Scenario choice: one decode step may take 10 ms (100 tokens per second per user). */
const STEP_BUDGET_S = 0.01;

/** One pass over the device's memory: capacity ÷ bandwidth, in seconds. */
function passSeconds(context: Context): number {
  const g = lookupGpu(DEVICES[context]);
  return g.runtimeMemoryBytes / g.bandwidth;
}

/** Act I's options: one pass over memory, as four beliefs about the units (core's numbers). */
function passOptions(context: Context): OptionModel[] {
  const t = passSeconds(context);
  return [
    { predicted: t, text: "capacity ÷ bandwidth", why: "Bytes over bytes per second." },
    { predicted: t * 8, text: "bandwidth counted in bits", why: "Bandwidth is in bytes/s." },
    { predicted: t / 8, text: "capacity counted in bits", why: "Capacity is in bytes." },
    {
      predicted: t * 2,
      text: "every byte is read and written back",
      why: "A pass that only reads moves each byte once.",
    },
  ];
}

export default lab({ ${meta} })
  .show("header", () =>
    labHeader({
      title: ${JSON.stringify(o.title)},
      subtitle: "How long does one pass over the accelerator's memory take?",
      minutes: 5,
    }))
  .input("context", () =>
    contextToggle<Context>({
      options: { "Cloud (H100)": "cloud", "Edge (Jetson Orin NX)": "edge" },
    }))
  .cell("device", ({ context }) => lookupGpu(DEVICES[context]))
  // ---- Act I: one pass over memory ------------------------------------------------------------
  .act("act1", {
    title: "Act I",
    intro: ({ device }) =>
      md\`## Act I · One pass over memory

The \${device.name} holds \${formatGB(device.runtimeMemoryBytes, 1)} and reads it at
\${formatBandwidth(device.bandwidth)}.\`,
    prediction: ({ context, device }) =>
      choicePrediction({
        question: \`How long does reading all of the \${device.name}'s memory once take?\`,
        options: passOptions(context),
        answer: passSeconds(context),
        format: (s) => formatMs(s, 1),
        explain: \`One pass reads every byte once: \${formatGB(device.runtimeMemoryBytes, 1)} ÷ \${
          formatBandwidth(device.bandwidth)
        }.\`,
        key: context,
        testid: "act1-lock",
      }),
  }, (act) =>
    act
      .show("act1Instrument", ({ device }) =>
        metricRow([
          { label: "Bytes", value: formatGB(device.runtimeMemoryBytes, 1) },
          { label: "Bandwidth", value: formatBandwidth(device.bandwidth) },
          {
            label: "One pass",
            value: formatMs(device.runtimeMemoryBytes / device.bandwidth, 1),
            testid: "pass",
          },
        ]))
      .reveal()
      .record(({ act1 }) => ({
        hud: [["One pass", formatMs(act1.answer!, 1)]],
        ledger: { pass_ms: Math.round(act1.answer! * 1e4) / 10 },
      })))
  // ---- Act II: a decode step's budget -----------------------------------------------------------
  .act("act2", {
    title: "Act II",
    intro: () =>
      md\`## Act II · A decode step's budget

One decode step may take \${formatMs(STEP_BUDGET_S, 0)}. Reading the weights is most of it.\`,
    prediction: ({ context, device }) =>
      numberPrediction({
        question: "What share of the memory (%) can one step read within its budget?",
        min: 0,
        max: 100,
        unit: "%",
        answer: Math.min(100, (STEP_BUDGET_S / passSeconds(context)) * 100),
        format: (p) => formatPercent(p / 100),
        explain: \`In \${formatMs(STEP_BUDGET_S, 0)} the \${device.name} reads \${
          formatGB(STEP_BUDGET_S * device.bandwidth, 1)
        }: a model whose weights are larger cannot decode at that rate.\`,
        testid: "act2-lock",
      }),
  }, (act) =>
    act
      .input("fraction", () =>
        slider({ label: "Share of memory read (%)", min: 5, max: 100, step: 5, value: 100 }))
      .cell("stepS", ({ device, fraction }) =>
        (device.runtimeMemoryBytes * fraction / 100) / device.bandwidth)
      .show("act2Instrument", ({ $fraction, device, fraction, stepS }) =>
        vstack([
          $fraction,
          metricRow([
            { label: "Bytes read", value: formatGB(device.runtimeMemoryBytes * fraction / 100, 1) },
            { label: "One step", value: formatMs(stepS, 1), testid: "step" },
          ]),
        ]))
      .show("verdict", ({ stepS }) =>
        stepS > STEP_BUDGET_S
          ? failureBanner({
            title: \`Over budget: \${formatMs(stepS, 1)} > \${formatMs(STEP_BUDGET_S, 0)}.\`,
            body: "Read less of the memory per step (a smaller or quantized model).",
          })
          : callout("success", \`Within the \${formatMs(STEP_BUDGET_S, 0)} budget.\`, { testid: "ok" }))
      .reveal()
      .show("math", () => mathPeek(md\`$$t = \\frac{\\text{bytes}}{\\text{bandwidth}}$$\`))
      .record(({ act2, stepS, fraction }) => ({
        hud: [["Step", formatMs(stepS, 1)]],
        ledger: {
          act2_result: Math.round(act2.answer * 10) / 10,
          act2_decision: \`\${fraction} % of memory per step\`,
          constraint_hit: stepS > STEP_BUDGET_S,
        },
      })))
  .summary("summary", ({ context, acts }) =>
    labSummary({
      lab: ${JSON.stringify(o.id)},
      context,
      acts,
      hud: [["Lab", ${JSON.stringify(o.id)}], ["Context", context.toUpperCase()]],
    }));
`;
}
