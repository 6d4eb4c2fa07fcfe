/**
 * The one module of the page that touches Vega itself: build a running view of a compiled spec.
 * Everything around it (which view a slot holds, specs, updates) is `chart-view.ts`. Kept apart
 * so that an exported page can hold Vega as a lazy chunk (`export/chunks.ts`): its 420 KB are
 * compiled only when the first live view is built, after the page shows its drawings.
 */
import { parse, View, Warn } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { Handler } from "vega-tooltip";
import type { VegaSpec } from "./vega-spec.ts";

/** Whether the page declares a Content-Security-Policy (then `eval` is off the table). */
function underCSP(): boolean {
  return typeof document !== "undefined" &&
    document.querySelector('meta[http-equiv="Content-Security-Policy" i]') !== null;
}

/**
 * A running view of `spec` in `target` with `signals` set before its first run: SVG, vega-tooltip,
 * expressions interpreted under a CSP. Whatever `target` showed (a drawing ahead, an old view) is
 * replaced in the same task as the new view draws: no frame is painted in between.
 */
export async function createVegaView(
  target: HTMLElement,
  spec: VegaSpec,
  dark: boolean,
  signals: Readonly<Record<string, unknown>> = {},
): Promise<View> {
  const csp = underCSP();
  const view = new View(parse(spec as never, undefined, { ast: csp }), {
    renderer: "svg",
    logLevel: Warn,
    hover: false,
    ...(csp ? { expr: expressionInterpreter } : {}),
  } as never);
  view.tooltip(new Handler({ theme: dark ? "dark" : "light" }).call);
  for (const [name, v] of Object.entries(signals)) view.signal(name, v);
  target.replaceChildren();
  await view.initialize(target).runAsync();
  return view;
}
