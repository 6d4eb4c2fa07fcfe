/** Layout: horizontal and vertical stacks and a grid. Children render verbatim (inputs included). */
import { attrs } from "../util.ts";
import { type Content, type Html, Markup } from "./html.ts";

/** Options shared by stacks. */
export interface StackOptions {
  /** Space between items in rem (default 1 for hstack, 0.75 for vstack). */
  gap?: number;
  justify?: "start" | "center" | "end" | "space-between" | "space-around";
  align?: "start" | "center" | "end" | "stretch" | "baseline";
  /** hstack only: wrap onto new lines (default true). */
  wrap?: boolean;
  /** hstack only: relative widths of the items (flex-grow), e.g. [2, 1]. */
  widths?: readonly number[];
}

const flex = (v: string | undefined) => v === "start" || v === "end" ? `flex-${v}` : v;

function stack(dir: "h" | "v", items: readonly Content[], o: StackOptions): Html {
  const gap = o.gap ?? (dir === "h" ? 1 : 0.75);
  const style = [
    `gap:${gap}rem`,
    o.justify ? `justify-content:${flex(o.justify)}` : "",
    o.align ? `align-items:${flex(o.align)}` : "",
    dir === "h" && o.wrap !== false ? "flex-wrap:wrap" : "",
  ].filter(Boolean).join(";");
  const m = new Markup().raw(`<div${attrs({ class: `syslab-${dir}stack`, style })}>`);
  items.forEach((c, i) => {
    const w = dir === "h" ? o.widths?.[i] : undefined;
    m.wrap(
      "div",
      attrs({ class: "syslab-stack-item", style: w === undefined ? undefined : `flex:${w} 1 0` }),
      c,
    );
  });
  return m.raw("</div>").done();
}

/** Items side by side (wrapping on narrow screens). */
export function hstack(items: readonly Content[], opts: StackOptions = {}): Html {
  return stack("h", items, opts);
}

/** Items one under another. */
export function vstack(items: readonly Content[], opts: StackOptions = {}): Html {
  return stack("v", items, opts);
}

/** Widest `minWidth` a grid accepts, in rem (a larger number is almost surely pixels). */
const MAX_GRID_MIN_WIDTH_REM = 60;

/**
 * Items in a grid: a column count, or responsive columns at least `minWidth` rem wide (never wider
 * than the container: on a narrow screen the grid is one column, not a sideways scroll).
 */
export function grid(
  items: readonly Content[],
  opts: { columns?: number; minWidth?: number; gap?: number } = {},
): Html {
  const min = opts.minWidth ?? 14;
  if (!(min > 0 && min <= MAX_GRID_MIN_WIDTH_REM)) {
    throw new RangeError(
      `grid: minWidth is in rem (1 rem ≈ 16 px), from 0 to ${MAX_GRID_MIN_WIDTH_REM}; got ${min}` +
        (min > MAX_GRID_MIN_WIDTH_REM ? ` — for ${min} px write ${+(min / 16).toFixed(2)}` : ""),
    );
  }
  const cols = opts.columns
    ? `repeat(${opts.columns}, minmax(0, 1fr))`
    : `repeat(auto-fit, minmax(min(${min}rem, 100%), 1fr))`;
  const style = `grid-template-columns:${cols};gap:${opts.gap ?? 1}rem`;
  const m = new Markup().raw(`<div${attrs({ class: "syslab-grid", style })}>`);
  for (const c of items) m.wrap("div", ` class="syslab-grid-item"`, c);
  return m.raw("</div>").done();
}
