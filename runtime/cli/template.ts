/**
 * The source `deno task new` writes: a working miniature of a course lab (header, context toggle,
 * a four-option prediction lock with its gate, one instrument on core/ physics, the overlay, a
 * math peek, a failure state, ledger and HUD). It runs and passes `--check` as written; the author
 * grows it into two acts (docs/authoring.md).
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
 * Scaffolded by \`deno task new\`: a toy on core/ physics (how long one pass over the device's
 * memory takes). Replace it with the lab's own scenario and grow it into two acts; see
 * docs/authoring.md.
 */
import { lab } from "../runtime/mod.ts";
import {
  callout,
  closestOption,
  contextToggle,
  failureBanner,
  gate,
  hudFooter,
  labHeader,
  ledgerSave,
  type Letter,
  letterOptions,
  mathPeek,
  md,
  metricRow,
  predictionLock,
  predictionOverlay,
  slider,
  vstack,
} from "../cells/mod.ts";
import { formatBandwidth, formatGB, formatMs, lookupGpu } from "../core/mod.ts";

/** The two deployment contexts and their registry ids (labs.md, rule 5). */
const DEVICES = { cloud: "h100-sxm", edge: "jetson-orin-nx" } as const;
type Context = keyof typeof DEVICES;
/** Scenario choice: a frame budget of 100 ms (10 frames per second). */
const BUDGET_S = 0.1;

/** The four options: one pass over memory, as four beliefs about the units. */
function sweepOptions(context: Context) {
  const g = lookupGpu(DEVICES[context]);
  const t = g.runtimeMemoryBytes / g.bandwidth;
  return letterOptions([
    { predicted: t, text: "capacity ÷ bandwidth", why: "Bytes over bytes per second." },
    { predicted: t * 8, text: "bandwidth counted in bits", why: "Bandwidth is in bytes/s." },
    { predicted: t / 8, text: "capacity counted in bits", why: "Capacity is in bytes." },
    { predicted: t * 1000, text: "GB/s read as MB/s", why: "The datasheet says GB/s." },
  ], (s) => formatMs(s, 1));
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
  .cell("choices", ({ context }) => sweepOptions(context))
  .cell("answer", ({ device, choices }) => {
    const seconds = device.runtimeMemoryBytes / device.bandwidth;
    return { seconds, right: closestOption(choices, seconds).value };
  })
  .input("act1", ({ choices, device }) =>
    predictionLock<Letter>({
      question: \`How long does reading all of the \${device.name}'s memory once take?\`,
      options: choices,
      testid: "act1-lock",
    }))
  .cell("unlocked1", ({ act1 }) => {
    gate(act1);
    return act1;
  })
  .input("fraction", () =>
    slider({ label: "Share of memory read (%)", min: 5, max: 100, step: 5, value: 100 }))
  .cell("sweepS", ({ device, fraction }) =>
    (device.runtimeMemoryBytes * fraction / 100) / device.bandwidth)
  .after("unlocked1")
  .show("instrument", ({ $fraction, device, fraction, sweepS }) =>
    vstack([
      $fraction,
      metricRow([
        { label: "Bytes read", value: formatGB(device.runtimeMemoryBytes * fraction / 100, 1) },
        { label: "Bandwidth", value: formatBandwidth(device.bandwidth) },
        { label: "One pass", value: formatMs(sweepS, 1), testid: "sweep" },
      ]),
    ]))
  .show("overlay", ({ unlocked1, choices, answer }) => {
    const picked = choices.find((c) => c.value === unlocked1)!;
    const verdict = picked.value === answer.right
      ? "**Correct.**"
      : \`**The answer is \${answer.right}.**\`;
    return predictionOverlay({
      predicted: picked.predicted,
      actual: answer.seconds,
      format: (s) => formatMs(s, 1),
      feedback: \`\${verdict} \${picked.why}\`,
    });
  })
  .show("verdict", ({ sweepS }) =>
    sweepS > BUDGET_S
      ? failureBanner({
        title: \`Over budget: \${formatMs(sweepS, 1)} > \${formatMs(BUDGET_S, 0)}.\`,
        body: "Read less of the memory per frame.",
      })
      : callout("success", \`Within the \${formatMs(BUDGET_S, 0)} budget.\`, { testid: "ok" }))
  .show("math", () => mathPeek(md\`$$t = \\frac{\\text{bytes}}{\\text{bandwidth}}$$\`))
  .after(null)
  .show("ledger", ({ context, act1, answer, sweepS }) =>
    ledgerSave({
      lab: ${JSON.stringify(o.id)},
      entry: {
        context,
        act1_prediction: act1 ?? undefined,
        act1_correct: act1 === null ? undefined : act1 === answer.right,
        act2_result: Math.round(sweepS * 1e4) / 10,
        constraint_hit: sweepS > BUDGET_S,
      },
    }))
  .show("hud", ({ context, act1, answer, sweepS }) =>
    hudFooter({
      items: [
        ["Lab", ${JSON.stringify(o.id)}],
        ["Context", context.toUpperCase()],
        ["Act I", act1 === null ? "OPEN" : act1 === answer.right ? "CORRECT" : "WRONG"],
        ["One pass", formatMs(sweepS, 1)],
      ],
    }));
`;
}
