/**
 * Prediction vs reality (the course's Rule 2): the exact ratio actual / predicted and the verdict,
 * success when |ratio − 1| < 0.3, else warn.
 */
import { callout } from "../outputs/callout.ts";
import { type Content, type Html, html } from "../outputs/html.ts";
import { mdText } from "../outputs/md.ts";
import { formatNumber } from "../util.ts";

/** How close a prediction must be (|ratio − 1| below this) to count as calibrated. */
export const CALIBRATED_WITHIN = 0.3;

/** actual / predicted (Infinity when the prediction was 0 and the actual is not). */
export function predictionRatio(predicted: number, actual: number): number {
  if (predicted === 0) return actual === 0 ? 1 : Infinity;
  return actual / predicted;
}

/** The overlay's verdict for a ratio. */
export function verdict(ratio: number): "success" | "warn" {
  return Number.isFinite(ratio) && Math.abs(ratio - 1) < CALIBRATED_WITHIN ? "success" : "warn";
}

/** Options of `predictionOverlay`. */
export interface OverlayOptions {
  predicted: number;
  actual: number;
  /** The unit after each number ("users", "GB"). */
  unit?: string;
  /** Formats both numbers (default: thousands separators). */
  format?: (n: number) => string;
  /** Extra feedback under the comparison (markdown string or content). */
  feedback?: Content;
  testid?: string;
}

/** The prediction-vs-reality callout. */
export function predictionOverlay(o: OverlayOptions): Html {
  const f = o.format ?? formatNumber;
  const u = o.unit ? ` ${o.unit}` : "";
  const ratio = predictionRatio(o.predicted, o.actual);
  const kind = verdict(ratio);
  const r = Number.isFinite(ratio) ? `${ratio.toPrecision(3)}×` : "∞";
  const line = html`<p>Your estimate: <strong>${
    f(o.predicted)
  }${u}</strong>. The physics says <strong>${
    f(o.actual)
  }${u}</strong>. Ratio actual / predicted = <span class="syslab-overlay-ratio">${r}</span> — ${
    kind === "success" ? "within 30%: well calibrated." : "off by more than 30%."
  }</p>`;
  const title = kind === "success" ? "Prediction vs reality: close" : "Prediction vs reality: off";
  const feedback = typeof o.feedback === "string" ? mdText(o.feedback) : o.feedback;
  return callout(kind, feedback === undefined ? line : [line, feedback as Content], {
    title,
    testid: o.testid ?? "prediction-overlay",
  });
}
