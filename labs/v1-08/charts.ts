/**
 * The instrument of lab v1-08: the training-memory stack. One horizontal bar per row (a mental
 * model, a design), stacked by component (weights, gradients, fp32 master weights, optimizer
 * moments, activations, logits), against a dashed line at the memory the GPU's runtime can
 * allocate. The spec's structure is fixed; only the data moves, so the live view updates in place.
 *
 * @module
 */
import { chart, COLORS } from "../../cells/mod.ts";
import { formatGB, formatGiB } from "../../core/mod.ts";
import { type Component, COMPONENTS } from "./scenario.ts";

type Spec = Parameters<typeof chart>[0];

/** One bar: a label and its bytes by component. */
export interface StackBar {
  row: string;
  parts: Partial<Record<Component, number>>;
}

/** Component colours (the course's tokens), in {@link COMPONENTS} order. */
const RANGE = [
  COLORS.BlueLine,
  COLORS.GreenLine,
  COLORS.Cloud,
  COLORS.OrangeLine,
  COLORS.Crimson,
  COLORS.TextSec,
  COLORS.TextMuted,
];

/** The stacked bars of `bars` against the `usable` bytes of the GPU. */
export function stackChart(
  bars: readonly StackBar[],
  usable: number,
  o: { gpu: string; testid: string; height?: number; headroom?: boolean },
): ReturnType<typeof chart> {
  const parts = bars.flatMap((b) =>
    COMPONENTS.map((c, i) => ({
      row: b.row,
      component: c,
      order: i,
      gb: (b.parts[c] ?? 0) / 1e9,
      size: formatGB(b.parts[c] ?? 0, 1),
    })).filter((p) => p.gb > 0)
  );
  const totals = bars.map((b) => {
    const t = Object.values(b.parts).reduce((a, v) => a + (v ?? 0), 0);
    return { row: b.row, gb: t / 1e9, text: formatGB(t, 1), oom: t > usable };
  });
  const limit = [{
    gb: usable / 1e9,
    text: `usable ${formatGB(usable, 1)}`,
  }];
  const max = Math.max(usable, ...totals.map((t) => t.gb * 1e9)) / 1e9;
  const y = { field: "row", type: "nominal", sort: null, title: null, axis: { labelLimit: 110 } };
  // Only Act I's inference-sizing bar has a guessed headroom; the other chart leaves it out.
  const domain = COMPONENTS.filter((c) => o.headroom || c !== "Headroom (guess)");
  const spec = {
    width: "container",
    height: o.height ?? 44 * bars.length + 20,
    layer: [
      {
        data: { name: "parts" },
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          y,
          x: {
            field: "gb",
            type: "quantitative",
            stack: "zero",
            title: "Memory on the GPU (GB)",
          },
          color: {
            field: "component",
            type: "nominal",
            title: null,
            scale: { domain, range: RANGE.slice(0, domain.length) },
            legend: { orient: "bottom", columns: 2, labelLimit: 160 },
          },
          order: { field: "order", type: "quantitative" },
          tooltip: [{ field: "row" }, { field: "component" }, { field: "size", title: "size" }],
        },
      },
      {
        data: { name: "totals" },
        mark: { type: "text", align: "left", dx: 4, fontWeight: "bold" },
        encoding: { y, x: { field: "gb", type: "quantitative" }, text: { field: "text" } },
      },
      {
        // An invisible point past the longest bar keeps room for its label (data, not spec).
        data: { name: "pad" },
        mark: { type: "point", opacity: 0 },
        encoding: { x: { field: "gb", type: "quantitative" } },
      },
      {
        data: { name: "limit" },
        mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 2, color: COLORS.RedLine },
        encoding: { x: { field: "gb", type: "quantitative" } },
      },
      {
        data: { name: "limit" },
        mark: {
          type: "text",
          align: "right",
          baseline: "top",
          dx: -4,
          dy: 2,
          color: COLORS.RedLine,
        },
        encoding: {
          x: { field: "gb", type: "quantitative" },
          y: { value: 0 },
          text: { field: "text" },
        },
      },
    ],
  } as unknown as Spec;
  const over = totals.filter((t) => t.gb * 1e9 > usable).map((t) => t.row);
  return chart(spec, {
    data: { parts, totals, limit, pad: [{ gb: max * 1.35 }] },
    description: `Memory stack per GPU against the ${o.gpu}'s usable ${formatGiB(usable, 1)} (${
      formatGB(usable, 1)
    }): ${totals.map((t) => `${t.row} ${t.text}${t.oom ? " (OOM)" : ""}`).join("; ")}${
      over.length ? `. Over the line (out of memory): ${over.join(", ")}` : ". Every bar fits"
    }.`,
    table: { dataset: "parts", columns: ["row", "component", "size"] },
    testid: o.testid,
  });
}
