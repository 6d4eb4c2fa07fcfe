/**
 * The charts' theme: vega-lite config for the light and the dark colour scheme (the syslab style
 * tokens). DOM-free, so the exporter compiles specs with exactly the page's theme.
 */
import type { Config } from "vega-lite";

/** The chart theme for the current colour scheme. */
export function themeConfig(dark: boolean): Config {
  const text = dark ? "#e2e8f0" : "#0f172a";
  const sec = dark ? "#cbd5e1" : "#475569";
  const grid = dark ? "#334155" : "#e2e8f0";
  return {
    background: "transparent",
    font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    aria: false,
    view: { stroke: "transparent" },
    axis: {
      labelColor: sec,
      titleColor: text,
      gridColor: grid,
      domainColor: sec,
      tickColor: sec,
    },
    legend: { labelColor: sec, titleColor: text },
    title: { color: text, subtitleColor: sec },
    range: {
      category: ["#006395", "#CC5500", "#008F45", "#CB202D", "#6366f1", "#A51C30"],
    },
    mark: { color: dark ? "#7cc4ec" : "#006395", aria: false },
  } as Config;
}
