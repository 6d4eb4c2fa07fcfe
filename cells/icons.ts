/**
 * Small inline SVG icons for the pedagogy widgets, drawn instead of emoji (an emoji is an empty
 * box where no emoji font is installed, as in Debian's Chromium). Each is 1em, takes the text's
 * colour unless given one, carries its own alignment (so it also works inside a widget's shadow
 * DOM), and is hidden from screen readers: the text beside it says the same.
 */

/** The icons there are. */
export type IconName = "clock" | "lock" | "set-square" | "dot";

const PATHS: Record<IconName, string> = {
  clock: `<circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" stroke-width="1.5"/>` +
    `<path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" ` +
    `stroke-linecap="round"/>`,
  lock: `<rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor"/>` +
    `<path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" fill="none" stroke="currentColor" ` +
    `stroke-width="1.5"/>`,
  "set-square": `<path d="M2.5 13.5V2.5l11 11z" fill="none" stroke="currentColor" ` +
    `stroke-width="1.4" stroke-linejoin="round"/><path d="M5 11V8.5l2.5 2.5z" fill="currentColor"/>` +
    `<path d="M2.5 5.5h1.5M2.5 8h1M2.5 10.5h1.5" stroke="currentColor" stroke-width="1.2"/>`,
  dot: `<circle cx="8" cy="8" r="6" fill="currentColor"/>`,
};

/** The markup of icon `name` (trusted: insert it unescaped), in `color` (default: the text's). */
export function icon(name: IconName, color?: string): string {
  const style = `vertical-align:-0.125em;margin-right:0.35em;flex:none${
    color ? `;color:${color}` : ""
  }`;
  return `<svg class="syslab-icon" data-icon="${name}" viewBox="0 0 16 16" width="1em" ` +
    `height="1em" style="${style}" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}
