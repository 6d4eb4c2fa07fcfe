/**
 * Slider → chart latency with real key presses in headless Chromium: the time from the keydown
 * (read in the page) to the first mutation of the chart's SVG (a MutationObserver), per press.
 * A press the chart does not follow within `PRESS_TIMEOUT_MS` counts as lost (it once hung the
 * page bench); a run in which every press is lost throws.
 */
import type { Page } from "playwright-core";

/** How long one press may wait for the chart to change. */
const PRESS_TIMEOUT_MS = 3000;

/** Presses ArrowRight/ArrowLeft on `slider` `presses` times; returns each press's latency (ms). */
export async function sliderToChart(
  page: Page,
  slider: string,
  chart: string,
  presses = 40,
  onLost?: () => Promise<void>,
): Promise<number[]> {
  const input = page.locator(slider).first();
  await input.scrollIntoViewIfNeeded();
  await input.focus();
  const lat: number[] = [];
  for (let i = 0; i < presses; i++) {
    const armed = page.evaluate(([sel, timeout]) =>
      new Promise<number>((resolve, reject) => {
        const target = document.querySelector(sel);
        if (!target) return reject(new Error(`no ${sel}`));
        let down = 0;
        addEventListener("keydown", () => (down = performance.now()), {
          capture: true,
          once: true,
        });
        const lost = setTimeout(() => {
          mo.disconnect();
          reject(new Error("the chart did not change"));
        }, timeout);
        const mo = new MutationObserver(() => {
          if (!down) return;
          mo.disconnect();
          clearTimeout(lost);
          resolve(performance.now() - down);
        });
        mo.observe(target, {
          subtree: true,
          attributes: true,
          childList: true,
          characterData: true,
        });
      }), [chart, PRESS_TIMEOUT_MS] as const);
    await page.waitForTimeout(5);
    await page.keyboard.press(i % 2 ? "ArrowLeft" : "ArrowRight");
    const ms = await armed.catch(() => null);
    if (ms === null) {
      await onLost?.();
      await input.focus();
      continue;
    }
    lat.push(ms);
    await page.waitForTimeout(30);
  }
  if (!lat.length) throw new Error(`slider → chart: no press of ${slider} changed ${chart}`);
  return lat;
}

/** The q-quantile of `xs`. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Rounds to 2 decimals. */
export const round2 = (x: number) => Math.round(x * 100) / 100;
