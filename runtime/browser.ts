/**
 * The page: runs a lab's engine and renders every displayed cell into its own slot, in file
 * order. Inputs get one live element each (from `InputSpec.create`), placed wherever a layout
 * puts `$name` (or in the input's own slot when nobody does). Re-renders patch the DOM in place
 * (`morph`), renderables with `mount(slot)` update themselves (charts keep one Vega view), and
 * `remount` swaps in a new definition for hot reload, keeping input values and live elements.
 */
import { BROWSER_CSS } from "./browser-css.ts";
import { createDevOverlay, type DevOverlay } from "./dev-overlay.ts";
import { type CellState, LabEngine } from "./engine.ts";
import type { InputSpec, ViewElement } from "./input.ts";
import type { CellDef, LabDefinition } from "./lab.ts";
import type { ActCommit } from "./act.ts";
import { inputsPlacedElsewhere } from "./graph.ts";
import { morph } from "./morph.ts";
import { isRenderable, type Renderable } from "./render.ts";
import { stateHTML } from "./state-html.ts";
import type { UpdateTrace } from "./trace.ts";
import { type CommitStore, commitStoreFor } from "./commits.ts";

/** Options of `mountLab`. */
export interface MountOptions {
  /** Show the trace panel at once (default: when the URL has `?trace`). */
  trace?: boolean;
  /** Add the dev tools (trace toggle, error overlay); default true. */
  devtools?: boolean;
  /** Input values to restore (a full reload during development). */
  restore?: Record<string, unknown>;
  /**
   * Keep input values (predictions included) across reloads of the tab, in sessionStorage under
   * `syslab.inputs:<lab id>` (default true). A student who presses F5 loses nothing.
   */
  persist?: boolean;
  /** Publish the handle as `window.__syslab` (default true). */
  expose?: boolean;
  /**
   * Where the acts' commits are kept (default: the store `cells/` provides, over the design
   * ledger). Commits are restored before the first render, so a committed lock shows committed
   * and disabled from the first frame; `null` keeps them in memory only.
   */
  commits?: CommitStore | null;
  /**
   * `root` holds the exporter's pre-render: take its `<section data-cell>` elements over as the
   * cells' slots (a first render that matches changes nothing), instead of building the page
   * again beside them.
   */
  hydrate?: boolean;
}

/** A lab mounted in a page. */
export interface MountedLab {
  readonly engine: LabEngine;
  /** The newest update traces, oldest first (live). */
  readonly traces: readonly UpdateTrace[];
  /** Resolves after the first settle. */
  readonly ready: Promise<void>;
  /** Sets an input by name, as a user would (the live element follows). */
  setInput(name: string, value: unknown): void;
  /** The current value of every input that has one. */
  inputValues(): Record<string, unknown>;
  /** Hot reload: redefines changed cells only; slots are added, removed and reordered. */
  remount(def: LabDefinition): { changed: string[]; added: string[]; removed: string[] };
  /** Shows an error overlay (build / type errors), keeping the page as it is. */
  showError(kind: string, title: string, detail: string): void;
  /** Removes the overlay of `kind` (or all). */
  clearError(kind?: string): void;
  dispose(): void;
}

interface Slot {
  el: HTMLElement;
  html: string | null;
  /** "prerendered": the page's own markup, not yet rendered by the lab (hydration). */
  mode: "none" | "prerendered" | "html" | "mount";
  /** Which pending report is waiting to mark the slot busy (0: none). */
  busySince: number;
}

interface Live {
  spec: InputSpec<unknown>;
  el: ViewElement<unknown>;
}

/** Mounts `def` into `root` and starts it. */
export function mountLab(
  def: LabDefinition,
  root: HTMLElement,
  opts: MountOptions = {},
): MountedLab {
  const doc = root.ownerDocument;
  injectStyles(doc);
  const slots = new Map<string, Slot>();
  const lives = new Map<string, Live>();
  let current = def;
  let placedElsewhere = inputsPlacedElsewhere(def);
  let hashes = new Map(def.cells.map((c) => [c.name, c.hash]));
  const trace = opts.trace ?? new URLSearchParams(globalThis.location?.search ?? "").has("trace");
  const dev: DevOverlay | null = opts.devtools === false ? null : createDevOverlay(doc, trace);

  const prerendered = new Map<string, HTMLElement>();
  if (opts.hydrate) {
    for (const el of Array.from(root.children)) {
      if (el instanceof HTMLElement && el.dataset.cell) prerendered.set(el.dataset.cell, el);
    }
  }
  const layout = () => {
    const cells = current.cells.filter((c) => c.display);
    const keep = new Set(cells.map((c) => c.name));
    for (const [name, slot] of slots) {
      if (!keep.has(name)) {
        slot.el.remove();
        slots.delete(name);
      }
    }
    cells.forEach((cell, i) => {
      let slot = slots.get(cell.name);
      if (!slot) {
        const pre = opts.hydrate ? prerendered.get(cell.name) : undefined;
        const el = pre ?? doc.createElement("section");
        if (!pre) {
          el.className = "syslab-cell";
          el.dataset.cell = cell.name;
          el.dataset.state = "pending";
        }
        slot = { el, html: null, mode: pre ? "prerendered" : "none", busySince: 0 };
        slots.set(cell.name, slot);
      }
      slot.el.dataset.kind = cell.kind;
      slot.el.hidden = cell.kind === "input" && placedElsewhere.has(cell.name);
      if (root.children[i] !== slot.el) root.insertBefore(slot.el, root.children[i] ?? null);
    });
  };

  const currentValue = (name: string, spec: InputSpec<unknown>): unknown => {
    let v: unknown = spec.value;
    try {
      v = engine.value(name);
    } catch { /* not computed yet: the spec's initial value */ }
    try {
      return spec.coerce ? spec.coerce(v) : v;
    } catch {
      return spec.value;
    }
  };

  const liveElement = (name: string): ViewElement<unknown> | null => {
    const spec = engine.inputSpec(name);
    if (!spec?.create) return null;
    const had = lives.get(name);
    if (had && had.spec === spec) return had.el;
    // A held input (a commit, or what it froze) shows its held value from the first frame.
    const held = engine.locks.has(name);
    const el = spec.create(held ? engine.locks.held(name) : currentValue(name, spec));
    if (held) el.setAttribute("disabled", "");
    el.addEventListener("input", () => {
      if (lives.get(name)?.el !== el) return;
      const refused = (e: unknown) => console.warn(`syslab: input "${name}" rejected a value:`, e);
      try {
        // A commit the student makes is durable before anything behind its lock is shown.
        const persist = commits?.persist?.bind(commits);
        if (persist) engine.setInputDurably(name, el.value, persist).catch(refused);
        else engine.setInput(name, el.value);
      } catch (e) {
        refused(e);
      }
    });
    lives.set(name, { spec, el });
    return el;
  };

  const placeInputs = (container: HTMLElement) => {
    for (const w of Array.from(container.querySelectorAll<HTMLElement>("[data-syslab-input]"))) {
      const el = liveElement(w.dataset.syslabInput!);
      if (el && (w.firstChild !== el || w.childNodes.length !== 1)) w.replaceChildren(el);
    }
  };

  const render = (cell: CellDef, state: CellState) => {
    // Unchanged cells keep their variables across a hot reload, so `cell` may be an older CellDef
    // of the same name (same hash). A replaced cell's deleted variable may still report
    // (`undefined`) after its successor rendered: a different hash, ignored.
    if (hashes.get(cell.name) !== cell.hash) return;
    const slot = slots.get(cell.name);
    if (!slot) return;
    const el = slot.el;
    const ancestorStopped = state.status === "waiting" && state.reason === "stopped";
    if (state.status === "pending" && slot.mode !== "none") {
      // Most cells finish within the same task: mark a cell busy only if it is still running a
      // frame later, so a slider move does not flip every slot's attributes twice.
      slot.busySince = ++busyTick;
      const tick = busyTick;
      requestAnimationFrame(() => {
        if (slot.busySince !== tick) return;
        el.dataset.state = "pending";
        el.setAttribute("aria-busy", "true");
      });
      return;
    }
    slot.busySince = 0;
    setData(el, "state", ancestorStopped ? "stopped" : state.status);
    if (state.status === "pending") el.setAttribute("aria-busy", "true");
    else if (el.hasAttribute("aria-busy")) el.removeAttribute("aria-busy");
    const value = state.status === "ok" ? state.value : undefined;
    if (!el.hidden && isMountable(value)) {
      // A pre-rendered slot is the value's to take over (a chart keeps the drawing it shows).
      if (slot.mode === "html") el.replaceChildren();
      value.mount(el);
      slot.mode = "mount";
      slot.html = null;
    } else {
      const html = el.hidden || ancestorStopped ? "" : stateHTML(state, cell.kind);
      if (html !== slot.html) {
        if (slot.mode === "mount") el.replaceChildren();
        morph(el, html);
        slot.html = html;
      }
      slot.mode = "html";
    }
    placeInputs(el);
  };

  layout();
  const commits = opts.commits === undefined ? commitStoreFor(def.meta?.id ?? "lab") : opts.commits;
  const engine = new LabEngine(def, {
    onState: render,
    onTrace: () => dev?.update(engine.trace.updates),
    onCommit: (c) => commits?.save(c),
  }, { timed: dev !== null });
  const persistKey = opts.persist === false ? null : `syslab.inputs:${def.meta?.id ?? "lab"}`;
  const restore = { ...readSession(persistKey), ...opts.restore };
  for (const [name, v] of Object.entries(restore)) {
    // A lock's value comes only from the commit store: a session copy could re-take it.
    if (def.cells.some((c) => c.kind === "input" && c.name === name && !c.lock)) {
      try {
        engine.setInput(name, v);
      } catch { /* the lab changed; keep its default */ }
    }
  }
  // Commits last: they override what the session restored and freeze it.
  const applyCommits = (list: readonly ActCommit[]) => {
    for (const c of list) engine.restoreCommit(c);
  };
  applyCommits(commits?.load() ?? []);
  const unlocks = engine.locks.subscribe((name) => {
    const live = lives.get(name);
    if (!live) return;
    const v = engine.locks.held(name);
    if (live.el.value !== v) live.el.value = v;
    live.el.setAttribute("disabled", "");
  });
  const unsubscribe = commits?.subscribe?.(applyCommits);
  if (def.meta?.title) doc.title = def.meta.title;
  const keep = () => writeSession(persistKey, handle.inputValues());
  doc.defaultView?.addEventListener("pagehide", keep);
  const ready = Promise.resolve(commits?.arrived?.()).then(() => engine.settled()).then(() => {});

  const handle: MountedLab = {
    engine,
    traces: engine.trace.updates,
    ready,
    setInput(name, value) {
      engine.setInput(name, value);
      const live = lives.get(name);
      if (live) {
        const v = live.spec.coerce ? live.spec.coerce(value) : value;
        if (live.el.value !== v) live.el.value = v;
      }
    },
    inputValues() {
      const out: Record<string, unknown> = {};
      for (const c of current.cells) {
        if (c.kind !== "input") continue;
        try {
          out[c.name] = engine.value(c.name);
        } catch { /* not available */ }
      }
      return out;
    },
    remount(next) {
      current = next;
      placedElsewhere = inputsPlacedElsewhere(next);
      hashes = new Map(next.cells.map((c) => [c.name, c.hash]));
      layout();
      const diff = engine.redefine(next);
      for (const name of diff.removed) lives.delete(name);
      // Unchanged cells keep their state; re-render them for the new slot list and visibility.
      for (const cell of next.cells) {
        if (cell.display && !diff.changed.includes(cell.name) && !diff.added.includes(cell.name)) {
          render(cell, engine.state(cell.name));
        }
      }
      return diff;
    },
    showError: (kind, title, detail) => dev?.showError(kind, title, detail),
    clearError: (kind) => dev?.clearError(kind),
    dispose() {
      doc.defaultView?.removeEventListener("pagehide", keep);
      unlocks();
      unsubscribe?.();
      engine.dispose();
      dev?.dispose();
      for (const s of slots.values()) s.el.remove();
      slots.clear();
      lives.clear();
    },
  };
  if (opts.expose !== false) {
    (globalThis as { __syslab?: unknown }).__syslab = {
      engine,
      traces: engine.trace.updates,
      setInput: handle.setInput,
      ready,
      handle,
    };
  }
  return handle;
}

function isMountable(v: unknown): v is Renderable & { mount(slot: HTMLElement): void } {
  return isRenderable(v) && typeof v.mount === "function";
}

/** Inputs whose `$name` another cell reads: they appear where that cell places them. */
let busyTick = 0;

/** Sets a data attribute only when it changes (each write is a DOM mutation). */
function setData(el: HTMLElement, key: string, value: string): void {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

function readSession(key: string | null): Record<string, unknown> {
  if (!key) return {};
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? "{}");
  } catch {
    return {};
  }
}

function writeSession(key: string | null, values: Record<string, unknown>): void {
  if (!key) return;
  try {
    sessionStorage.setItem(key, JSON.stringify(values));
  } catch { /* storage full or disabled: the lab still works, it just forgets */ }
}

function injectStyles(doc: Document): void {
  if (doc.getElementById("syslab-runtime-css")) return;
  const style = doc.createElement("style");
  style.id = "syslab-runtime-css";
  style.textContent = BROWSER_CSS;
  doc.head.prepend(style);
}
