/**
 * Tabs as an output layout. The markup lists every panel under its own heading, so it reads well
 * headless and before scripts run; in the page, `<syslab-tabs>` upgrades it to an ARIA tab strip
 * (arrow keys, Home/End) that shows one panel, remembering the choice across re-renders.
 */
import { escapeHTML } from "../../runtime/render.ts";
import { attrs, defineElement, hasDOM } from "../util.ts";
import { type Content, type Html, Markup } from "./html.ts";

/** Tab panels from a `{ title: content }` map; `value` is the first selected title. */
export function tabs(
  panels: Readonly<Record<string, Content>>,
  opts: { value?: string; testid?: string } = {},
): Html {
  ensureTabsElement();
  const titles = Object.keys(panels);
  const selected = Math.max(0, opts.value ? titles.indexOf(opts.value) : 0);
  const m = new Markup().raw(
    `<syslab-tabs${
      attrs({ selected, "data-key": titles.join("\u001f"), "data-testid": opts.testid })
    }>`,
  );
  for (const t of titles) {
    m.raw(
      `<section class="syslab-tab-panel"${
        attrs({ "data-title": t })
      }><h3 class="syslab-tab-title">${escapeHTML(t)}</h3>`,
    );
    m.wrap("div", ` class="syslab-tab-body"`, panels[t]).raw("</section>");
  }
  return m.raw("</syslab-tabs>").done();
}

const remembered = new Map<string, number>();
let defined = false;

function ensureTabsElement(): void {
  if (defined || !hasDOM()) return;
  defined = true;
  defineElement("syslab-tabs", tabsElementClass());
}

function tabsElementClass(): CustomElementConstructor {
  let seq = 0;
  return class SyslabTabs extends HTMLElement {
    #strip: HTMLElement | null = null;
    connectedCallback() {
      if (this.#strip) return;
      const panels = [...this.querySelectorAll<HTMLElement>(":scope > .syslab-tab-panel")];
      const key = this.dataset.key ?? "";
      const start = remembered.get(key) ?? Number(this.getAttribute("selected") ?? 0);
      const id = `syslab-tabs-${++seq}`;
      const strip = document.createElement("div");
      strip.setAttribute("role", "tablist");
      strip.className = "syslab-tablist";
      const buttons = panels.map((p, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.setAttribute("role", "tab");
        b.id = `${id}-tab-${i}`;
        b.setAttribute("aria-controls", `${id}-panel-${i}`);
        b.textContent = p.dataset.title ?? `Tab ${i + 1}`;
        p.id = `${id}-panel-${i}`;
        p.setAttribute("role", "tabpanel");
        p.setAttribute("aria-labelledby", b.id);
        p.querySelector(":scope > .syslab-tab-title")?.setAttribute("hidden", "");
        b.addEventListener("click", () => select(i, true));
        return b;
      });
      const select = (i: number, focus: boolean) => {
        buttons.forEach((b, j) => {
          b.setAttribute("aria-selected", String(i === j));
          b.tabIndex = i === j ? 0 : -1;
          panels[j].hidden = i !== j;
        });
        if (focus) buttons[i].focus();
        remembered.set(key, i);
      };
      strip.addEventListener("keydown", (e) => {
        const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
        if (at < 0) return;
        const n = buttons.length;
        const to = e.key === "ArrowRight"
          ? (at + 1) % n
          : e.key === "ArrowLeft"
          ? (at - 1 + n) % n
          : e.key === "Home"
          ? 0
          : e.key === "End"
          ? n - 1
          : -1;
        if (to >= 0) (e.preventDefault(), select(to, true));
      });
      strip.append(...buttons);
      this.prepend(strip);
      this.#strip = strip;
      select(Math.min(Math.max(0, start), panels.length - 1), false);
    }
  };
}
