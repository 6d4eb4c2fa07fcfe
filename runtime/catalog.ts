/**
 * The lab catalog: every `labs/<id>.ts` file. A bare number means Volume II (`10` → `v2-10`).
 */
import { LabModuleError } from "./errors.ts";
import { nearNames } from "./graph.ts";
import type { LabMeta } from "./lab.ts";
import { importLab } from "./loader.ts";

/** The project root (the folder holding deno.json). */
export const ROOT = new URL("../", import.meta.url);
/** Where lab files live. */
export const LABS_DIR = new URL("labs/", ROOT);

/** Normalises what a user typed: `10` → `v2-10`, `v1-11` stays. */
export function normalizeId(arg: string): string {
  const bare = /^0*(\d+)$/.exec(arg);
  if (bare) return `v2-${bare[1].padStart(2, "0")}`;
  const vol = /^v(\d)[-_]0*(\d+)$/i.exec(arg);
  if (vol) return `v${vol[1]}-${vol[2].padStart(2, "0")}`;
  return arg;
}

/** Lab ids available in `labs/`, sorted. */
export function labIds(): string[] {
  const ids: string[] = [];
  for (const e of Deno.readDirSync(LABS_DIR)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
      ids.push(e.name.slice(0, -3));
    }
  }
  return ids.sort(compareIds);
}

function compareIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** The file URL of a lab given an id or a path; an unknown id lists the catalog. */
export function resolveLab(arg: string): URL {
  if (arg.endsWith(".ts") || arg.includes("/")) {
    return new URL(arg, `file://${Deno.cwd()}/`);
  }
  const id = normalizeId(arg);
  const ids = labIds();
  if (ids.includes(id)) return new URL(`${id}.ts`, LABS_DIR);
  const near = nearNames(id, ids);
  throw new LabModuleError(
    `no lab "${arg}"${near.length ? `; did you mean ${near.join(", ")}?` : ""}`,
    [],
    `the catalog: ${ids.join(", ")} (deno task lab --list)`,
  );
}

/** Catalog entries: id, title, volume, status (imports every lab). */
export async function catalog(): Promise<Array<LabMeta & { file: string }>> {
  const out = [];
  for (const id of labIds()) {
    try {
      const def = await importLab(new URL(`${id}.ts`, LABS_DIR).href);
      out.push({ ...def.meta, file: `labs/${id}.ts` });
    } catch (e) {
      out.push({
        id,
        title: `(cannot load: ${(e as Error).message.split("\n")[0]})`,
        file: `labs/${id}.ts`,
        status: "broken",
      });
    }
  }
  return out;
}
