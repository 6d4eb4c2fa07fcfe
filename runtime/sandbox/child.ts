/**
 * The sandboxed side of a lab run (see `run.ts`): started with read access to the project only,
 * it imports the lab, wraps every cell so the parent sees which one is running, and runs the task
 * module on it. Protocol in `protocol.ts`.
 */
import { LabError } from "../errors.ts";
import type { CellDef, LabDefinition } from "../lab.ts";
import { importLab } from "../loader.ts";
import { MARK, type SandboxRequest, SKIPPED } from "./protocol.ts";

const enc = new TextEncoder();
const say = (line: string) => {
  const bytes = enc.encode(`${MARK}${line}\n`);
  for (let o = 0; o < bytes.length;) o += Deno.stdout.writeSync(bytes.subarray(o));
};

/** The task a sandboxed run performs on the loaded lab. */
export type SandboxTask = (
  def: LabDefinition,
  opts: { skip: ReadonlySet<string>; options: unknown },
) => Promise<unknown>;

/** `def` with each cell reporting when its synchronous part starts and ends. */
function watched(def: LabDefinition, skip: ReadonlySet<string>): LabDefinition {
  const cells = def.cells.map((c, i): CellDef => {
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(c)) as CellDef;
    const fn = c.fn;
    const run: CellDef["fn"] = skip.has(c.name)
      ? () => {
        throw new Error(SKIPPED);
      }
      : (scope, ctx) => {
        say(`>${i}`);
        try {
          return fn(scope, ctx);
        } finally {
          say("<");
        }
      };
    Object.defineProperty(copy, "fn", { value: run, enumerable: true });
    return copy;
  });
  return Object.create(def, { cells: { value: cells, enumerable: true } });
}

async function main(req: SandboxRequest): Promise<void> {
  const beat = setInterval(() => say("."), 1000);
  try {
    say(">-1");
    let def: LabDefinition;
    try {
      def = await importLab(req.lab);
    } finally {
      say("<");
    }
    say(`#${JSON.stringify(def.cells.map((c) => ({ name: c.name, line: c.line })))}`);
    const task = (await import(req.task)).run as SandboxTask;
    const skip = new Set(req.skip);
    const result = await task(watched(def, skip), { skip, options: req.options });
    say(`=${JSON.stringify(result)}`);
  } catch (e) {
    const error = e instanceof LabError
      ? { name: e.name, message: e.message, cells: e.cells, hint: e.hint }
      : { name: (e as Error)?.name ?? "Error", message: String((e as Error)?.message ?? e) };
    say(`!${JSON.stringify(error)}`);
  } finally {
    clearInterval(beat);
  }
}

if (import.meta.main) {
  await main(JSON.parse(Deno.args[0]) as SandboxRequest);
  Deno.exit(0); // a cell's timer or a never-settling promise must not keep the sandbox alive
}
