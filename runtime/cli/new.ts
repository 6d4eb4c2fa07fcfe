/**
 * `deno task new <id> [--title T]`: writes `labs/<id>.ts` from the template (a lab that runs and
 * passes `--check`), formats it with `deno fmt`, and so adds it to the catalog (the catalog is
 * every `labs/<id>.ts`). Refuses an id that exists or is not a valid lab id.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { labIds, LABS_DIR, normalizeId } from "../catalog.ts";
import { labTemplate } from "./template.ts";

const USAGE = `usage: deno task new <id> [--title T]
  id: v<volume>-<nn> (v1-12; a bare number means Volume II) or a slug (my-lab)`;

/** A lab id the catalog, the ledger and file names accept. */
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** What `scaffold` did. */
export interface ScaffoldResult {
  id: string;
  file: URL;
}

/** Writes the new lab's file into `dir` (default `labs/`); throws with a reason when it cannot. */
export async function scaffold(
  arg: string,
  opts: { title?: string; dir?: URL } = {},
): Promise<ScaffoldResult> {
  const id = normalizeId(arg.trim());
  if (!ID.test(id)) {
    throw new Error(`"${arg}" is not a lab id: lower-case letters, digits, "-" and "_" only`);
  }
  const dir = opts.dir ?? LABS_DIR;
  const file = new URL(`${id}.ts`, dir);
  if (dir.href === LABS_DIR.href && labIds().includes(id)) {
    throw new Error(`labs/${id}.ts already exists; pick another id`);
  }
  const vol = /^v(\d)-/.exec(id);
  const volume = vol ? ["I", "II", "III"][Number(vol[1]) - 1] ?? vol[1] : undefined;
  const title = opts.title?.trim() || `Lab ${id}`;
  await Deno.writeTextFile(file, labTemplate({ id, title, volume }), { createNew: true });
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", fileURLToPath(file)],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!fmt.success) throw new Error(new TextDecoder().decode(fmt.stderr));
  return { id, file };
}

/** Entry point; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { title: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return console.log(USAGE), 0;
  if (positionals.length !== 1) return console.error(USAGE), 2;
  try {
    const { id } = await scaffold(positionals[0], { title: values.title });
    console.log(`wrote labs/${id}.ts — it is in the catalog now (deno task lab --list)
next: deno task lab ${id}          (open it; it hot-reloads as you edit)
      deno task lab ${id} --check  (type-check and run every cell headless)
      docs/authoring.md           (how to grow it into a two-act lab)`);
    return 0;
  } catch (e) {
    console.error(`deno task new: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
