/** Imports a lab module and checks that its default export is a lab. */
import { LabModuleError } from "./errors.ts";
import type { LabDefinition } from "./lab.ts";

/** Imports a lab by id, path or URL; a broken file becomes a `LabModuleError` with its line. */
export async function importLab(arg: string): Promise<LabDefinition> {
  const { resolveLab } = await import("./catalog.ts");
  const url = /^(file|https?):/.test(arg) ? new URL(arg) : resolveLab(arg);
  let mod: { default?: unknown };
  try {
    mod = await import(url.href);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const line = /:(\d+):\d+/.exec(msg)?.[1];
    throw new LabModuleError(
      msg.split("\n")[0],
      [{ cell: "(module)", line: line ? Number(line) : null }],
      "fix the lab file; the last good version keeps running in the dev server",
    );
  }
  const def = mod.default as LabDefinition | undefined;
  if (!def || !Array.isArray(def.cells) || !def.meta) {
    throw new LabModuleError(
      `${url.pathname} has no lab as its default export`,
      [],
      "end the file with: export default lab({ id, title })…",
    );
  }
  return def;
}
