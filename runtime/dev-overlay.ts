/**
 * The page's dev tools: a trace panel ("why did this re-run?": which input changed, which cells
 * ran in order, ms each) behind a toggle button, and an error overlay for build and type errors.
 */
import { escapeHTML } from "./render.ts";
import type { UpdateTrace } from "./trace.ts";

/** Handle on the dev tools of one page. */
export interface DevOverlay {
  /** Re-draws the trace panel from the newest updates (no-op while closed). */
  update(traces: readonly UpdateTrace[]): void;
  /** Opens or closes the trace panel. */
  toggle(open?: boolean): void;
  /** Shows an error overlay (build or type errors); `kind` lets a later `clearError` target it. */
  showError(kind: string, title: string, detail: string): void;
  /** Removes the overlay of `kind` (or every overlay). */
  clearError(kind?: string): void;
  dispose(): void;
}

const SHOWN = 8;

/** Adds the dev tools to `doc.body`; `open` shows the trace panel at once. */
export function createDevOverlay(doc: Document, open: boolean): DevOverlay {
  const box = doc.createElement("aside");
  box.className = "syslab-dev";
  box.setAttribute("aria-label", "Re-run trace");
  box.innerHTML = `<div class="syslab-trace" role="log" aria-live="off"></div>` +
    `<button type="button" class="syslab-dev-toggle" aria-expanded="false">trace</button>`;
  const panel = box.querySelector<HTMLElement>(".syslab-trace")!;
  const button = box.querySelector<HTMLButtonElement>("button")!;
  doc.body.append(box);
  let last: readonly UpdateTrace[] = [];
  const errors = new Map<string, HTMLElement>();

  const draw = () => {
    const items = last.slice(-SHOWN).reverse().map((t) => {
      const cause = t.inputs.length ? `input ${t.inputs.join(", ")} changed` : "load / reload";
      const runs = t.runs.map((r) =>
        `<li>${escapeHTML(r.cell)}${r.ms === null ? "" : ` — ${r.ms.toFixed(2)} ms`}</li>`
      );
      return `<div class="syslab-trace-update" data-update="${t.id}">` +
        `<div class="syslab-trace-head">#${t.id} ${escapeHTML(cause)} · ${t.runs.length} ran · ${
          t.ms.toFixed(1)
        } ms</div><ol>${runs.join("")}</ol></div>`;
    });
    panel.innerHTML = `<h2>Last updates (newest first)</h2>${items.join("") || "<p>none yet</p>"}`;
  };
  const toggle = (to = !box.hasAttribute("data-open")) => {
    box.toggleAttribute("data-open", to);
    button.setAttribute("aria-expanded", String(to));
    if (to) draw();
  };
  button.addEventListener("click", () => toggle());
  if (open) toggle(true);

  return {
    update(traces) {
      last = traces;
      if (box.hasAttribute("data-open")) draw();
    },
    toggle,
    showError(kind, title, detail) {
      let el = errors.get(kind);
      if (!el) {
        el = doc.createElement("div");
        el.className = "syslab-overlay";
        el.setAttribute("role", "alert");
        el.dataset.kind = kind;
        doc.body.append(el);
        errors.set(kind, el);
      }
      el.innerHTML = `<button type="button" aria-label="Dismiss">×</button><strong>${
        escapeHTML(title)
      }</strong><pre>${escapeHTML(detail)}</pre>`;
      const self = el;
      el.querySelector("button")!.addEventListener("click", () => {
        self.remove();
        errors.delete(kind);
      });
    },
    clearError(kind) {
      for (const [k, el] of errors) {
        if (kind === undefined || k === kind) {
          el.remove();
          errors.delete(k);
        }
      }
    },
    dispose() {
      box.remove();
      for (const el of errors.values()) el.remove();
      errors.clear();
    },
  };
}
