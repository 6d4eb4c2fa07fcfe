/**
 * Markup outputs: `Html` (a Renderable holding trusted markup), the `html` tagged template (literal
 * parts are markup, interpolations are escaped text or Renderables), and `Markup`, the builder
 * every layout uses.
 *
 * Live children (anything with `mount`, such as a chart) make their parent a `Composite`: its
 * `mount(slot)` keeps one wrapper element per child, mounts live children into theirs and morphs
 * the others, so a chart in an `hstack` keeps its Vega view while a sibling's text changes.
 * Inputs' `$name` wrappers are left to the page, which keeps their live elements.
 */
import { morph } from "../../runtime/morph.ts";
import { escapeHTML, isRenderable, type Renderable } from "../../runtime/render.ts";
import { formatNumber } from "../util.ts";

/** Trusted markup as a Renderable. */
export class Html implements Renderable {
  constructor(readonly markup: string) {}
  html(): string {
    return this.markup;
  }
  toString(): string {
    return this.markup;
  }
}

/** What layouts and templates accept as a child. */
export type Content =
  | Renderable
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly Content[];

/** Wraps markup you trust (no escaping) as a Renderable. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Is this child live: does it mount itself (a chart, or a layout holding one)? */
export function isLive(c: unknown): boolean {
  return isRenderable(c) && typeof c.mount === "function";
}

/**
 * A child as markup: Renderables render themselves (InputViews keep their wrapper, so the page can
 * swap in the live element), arrays concatenate, numbers get thousands separators, text is escaped.
 */
export function content(c: Content): string {
  if (c === null || c === undefined || c === false) return "";
  if (Array.isArray(c)) return c.map(content).join("");
  if (isRenderable(c)) return c.html();
  if (typeof c === "number") return escapeHTML(formatNumber(c));
  return escapeHTML(String(c));
}

/** Builds markup plus, for live children, the part wrappers a `Composite` updates in place. */
export class Markup {
  #full = "";
  #skeleton = "";
  #parts: Renderable[] = [];
  /** Appends trusted markup. */
  raw(s: string): this {
    this.#full += s;
    this.#skeleton += s;
    return this;
  }
  /** Appends a child inside a wrapper element (`<tag attrs>child</tag>`) that is a part. */
  wrap(tag: string, attrs: string, child: Content): this {
    const i = this.#parts.length;
    const inner = content(child);
    const r: Renderable = isRenderable(child) ? child : new Html(inner);
    this.#parts.push(r);
    this.#full += `<${tag}${attrs} data-syslab-part="${i}">${inner}</${tag}>`;
    this.#skeleton += `<${tag}${attrs} data-syslab-part="${i}"></${tag}>`;
    return this;
  }
  /** Appends a child: live children become parts (wrapped), others plain markup. */
  child(c: Content, block = true): this {
    if (isLive(c)) return this.wrap(block ? "div" : "span", ` class="syslab-part"`, c);
    return this.raw(content(c));
  }
  /** The result: a `Composite` when any part is live, else plain `Html`. */
  done(): Html {
    if (!this.#parts.some(isLive)) return new Html(this.#full);
    return new Composite(this.#full, this.#skeleton, this.#parts);
  }
}

interface SlotMemo {
  skeleton: string;
  parts: Renderable[];
  htmls: string[];
}
const memo = new WeakMap<HTMLElement, SlotMemo>();

/** Markup with live parts, updated part by part in the page (see the module comment). */
export class Composite extends Html {
  constructor(markup: string, readonly skeleton: string, readonly parts: readonly Renderable[]) {
    super(markup);
  }

  mount(slot: HTMLElement): void {
    let m = memo.get(slot);
    if (!m || m.skeleton !== this.skeleton || directParts(slot).length !== this.parts.length) {
      morph(slot, this.skeleton);
      m = { skeleton: this.skeleton, parts: [], htmls: [] };
      memo.set(slot, m);
    }
    const els = directParts(slot);
    this.parts.forEach((p, i) => {
      const el = els[i];
      if (!el || m.parts[i] === p) return;
      m.parts[i] = p;
      if (typeof p.mount === "function") return p.mount(el);
      const h = p.html();
      if (m.htmls[i] !== h) morph(el, h);
      m.htmls[i] = h;
    });
  }
}

/** The part wrappers that belong to this slot's composite (not to nested composites). */
function directParts(slot: HTMLElement): HTMLElement[] {
  const all = [...slot.querySelectorAll<HTMLElement>("[data-syslab-part]")];
  const direct = all.filter((el) => {
    const up = el.parentElement?.closest("[data-syslab-part]");
    return !up || up === slot || !slot.contains(up);
  });
  return direct.sort((a, b) => Number(a.dataset.syslabPart) - Number(b.dataset.syslabPart));
}

/** `html\`<b>${text}</b>\``: literal parts are markup, values are escaped or rendered. */
export function html(strings: TemplateStringsArray, ...values: Content[]): Html {
  const m = new Markup().raw(strings[0]);
  for (let i = 0; i < values.length; i++) m.child(values[i]).raw(strings[i + 1]);
  return m.done();
}
