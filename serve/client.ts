/**
 * The dev server's page client (bundled into the page): listens on `/__syslab/events` and applies
 * hot reloads (`remount` with the new lab module), full reloads (input values carried over in
 * sessionStorage), build errors and type errors (the overlay; the last good page stays).
 */
import type { LabDefinition } from "../runtime/lab.ts";
import type { MountedLab } from "../runtime/browser.ts";

/** A hot-reload message from the server. */
export type DevMessage =
  | { type: "reload"; build: number; sig: string; lab: string }
  | { type: "build-error"; errors: string[] }
  | { type: "types"; errors: string[] }
  | { type: "ledger-warning"; message: string };

const KEEP = "syslab:dev:inputs";

/** Input values saved before a full reload (read once). */
export function takeSavedInputs(labId: string): Record<string, unknown> | undefined {
  try {
    const raw = sessionStorage.getItem(`${KEEP}:${labId}`);
    sessionStorage.removeItem(`${KEEP}:${labId}`);
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** Which build the page runs: its id and the signature of its shared chunks. */
export interface BootInfo {
  labId: string;
  build: number;
  sig: string;
}

/**
 * Connects a mounted lab to the dev server's event stream; returns a disconnect function. A new
 * build with the same shared chunks is applied in place (`remount`); any other build reloads the
 * page, carrying input values over.
 */
export function connectDevServer(handle: MountedLab, boot: BootInfo): () => void {
  const { labId, sig } = boot;
  let build = boot.build;
  const w = globalThis as unknown as { __syslabDev?: { builds: number[]; messages: DevMessage[] } };
  const state = w.__syslabDev = { builds: [build], messages: [] as DevMessage[] };
  const es = new EventSource("/__syslab/events");
  let chain = Promise.resolve();
  es.onmessage = (ev) => {
    const msg = JSON.parse(ev.data) as DevMessage;
    state.messages.push(msg);
    chain = chain.then(() => apply(msg)).catch((e) => {
      handle.showError("reload", "Hot reload failed", String(e?.stack ?? e));
    });
  };
  const apply = async (msg: DevMessage) => {
    switch (msg.type) {
      case "reload":
        handle.clearError("build");
        if (msg.build === build) return;
        if (msg.sig !== sig) {
          try {
            sessionStorage.setItem(`${KEEP}:${labId}`, JSON.stringify(handle.inputValues()));
          } catch { /* values that cannot be saved fall back to defaults */ }
          location.reload();
          return;
        }
        {
          const mod = await import(msg.lab) as { def: LabDefinition };
          handle.remount(mod.def);
          handle.clearError("reload");
          build = msg.build;
          state.builds.push(build);
        }
        return;
      case "build-error":
        handle.showError(
          "build",
          "The lab does not build; the last good version keeps running",
          msg.errors.join("\n\n"),
        );
        return;
      case "types":
        if (msg.errors.length) {
          handle.showError("types", "Type errors (deno check)", msg.errors.join("\n"));
        } else handle.clearError("types");
        return;
      case "ledger-warning":
        handle.showError("ledger", "Ledger", msg.message);
        return;
    }
  };
  return () => es.close();
}
