/**
 * Runs lab code with least privilege and a watchdog, for `--check` and `export`: the lab and a
 * task module run in a child `deno run` that may read the project (and the lab's folder) and do
 * nothing else — no writes, network, environment, subprocesses or FFI; whatever the command
 * writes (an export), the parent writes. Every cell reports when its synchronous part starts and
 * returns; a cell that has not returned within the limit (`while (true) {}`) gets the child
 * killed and is reported as a `CellTimeoutError` naming it. With `retry`, the lab is run again
 * without that cell, so every other cell is still checked.
 *
 * A child process, not a Worker: in Deno 2.9 `Worker.terminate()` does not stop a worker spinning
 * in a synchronous loop (it keeps a core busy until the process exits), and worker permissions
 * need an unstable flag.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { CellTimeoutError, LabError, LabModuleError } from "../errors.ts";
import { type CellName, MARK, type SandboxRequest } from "./protocol.ts";

const ROOT = new URL("../../", import.meta.url);
const CHILD = new URL("./child.ts", import.meta.url);

/** Options of {@link runSandboxed}. */
export interface SandboxOptions {
  /** How long one cell may run synchronously, in ms. */
  limitMs: number;
  /** The task's own options (JSON). */
  options?: unknown;
  /** After a cell loops, run again without it (true), or stop at the first (false). */
  retry?: boolean;
  /** How long the lab module's top level may take to load, in ms (default 60 s). */
  loadLimitMs?: number;
}

/** What a sandboxed run gave. */
export interface SandboxOutcome<T> {
  /** The task's result (null when the lab failed to load, the task threw, or a cell looped). */
  result: T | null;
  /** What the lab module or the task threw. */
  error: LabError | null;
  /** The cells stopped for running synchronously past the limit. */
  timeouts: CellTimeoutError[];
}

/** The sandbox itself failed (not the lab): the child crashed or could not start. */
export class SandboxError extends Error {
  override name = "SandboxError";
}

/** Runs `task` (a module exporting `run`, see `child.ts`) on the lab at `lab`, sandboxed. */
export async function runSandboxed<T>(
  lab: URL,
  task: URL,
  opts: SandboxOptions,
): Promise<SandboxOutcome<T>> {
  const skip: string[] = [];
  const timeouts: CellTimeoutError[] = [];
  for (;;) {
    const a = await attempt(lab, task, skip, opts);
    if (a.stuck === null) return { result: a.result as T | null, error: a.error, timeouts };
    timeouts.push(a.stuck);
    const cell = a.stuck.cells[0]?.cell;
    if (!opts.retry || !cell || cell === "(module)" || skip.includes(cell)) {
      return { result: null, error: null, timeouts };
    }
    skip.push(cell);
  }
}

interface Attempt {
  result: unknown;
  error: LabError | null;
  stuck: CellTimeoutError | null;
}

/** The permissions of the child: read the project and the lab's folder, nothing else. */
export function sandboxFlags(lab: URL): string[] {
  const reads = [fileURLToPath(ROOT).replace(/\/$/, ""), dirname(fileURLToPath(lab))];
  return ["--quiet", "--no-prompt", `--allow-read=${[...new Set(reads)].join(",")}`];
}

async function attempt(lab: URL, task: URL, skip: string[], opts: SandboxOptions) {
  const req: SandboxRequest = { lab: lab.href, task: task.href, skip, options: opts.options };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...sandboxFlags(lab), fileURLToPath(CHILD), JSON.stringify(req)],
    cwd: fileURLToPath(ROOT),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out: Attempt = { result: null, error: null, stuck: null };
  let cells: CellName[] = [];
  let open: { cell: number; since: number } | null = null;
  let result = false;
  const loadLimit = Math.max(opts.loadLimitMs ?? 60_000, opts.limitMs);
  const watchdog = setInterval(() => {
    if (!open || out.stuck) return;
    const ms = performance.now() - open.since;
    const limit = open.cell < 0 ? loadLimit : opts.limitMs;
    if (ms <= limit) return;
    out.stuck = stuckError(open.cell < 0 ? null : cells[open.cell], limit, opts.retry === true);
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, 20);
  const onLine = (line: string) => {
    if (!line.startsWith(MARK)) return void console.error(line); // the lab's own output
    const kind = line[1], rest = line.slice(2);
    if (kind === ">") open = { cell: Number(rest), since: performance.now() };
    else if (kind === "<") open = null;
    else if (kind === "#") cells = JSON.parse(rest);
    else if (kind === "=") (out.result = JSON.parse(rest), result = true);
    else if (kind === "!") (out.error = labError(JSON.parse(rest)), result = true);
  };
  const stderr = child.stderr.pipeTo(
    new WritableStream({ write: (chunk) => void Deno.stderr.writeSync(chunk) }),
  );
  try {
    await readLines(child.stdout, onLine);
    const status = await child.status;
    await stderr.catch(() => {});
    if (!out.stuck && !result) {
      throw new SandboxError(
        `the sandboxed lab run ended without a result (exit code ${status.code}); ` +
          `run it with deno run -A ${fileURLToPath(CHILD)} to see why`,
      );
    }
  } finally {
    clearInterval(watchdog);
  }
  return out;
}

function stuckError(cell: CellName | null | undefined, ms: number, retry: boolean) {
  if (!cell) {
    return new CellTimeoutError(
      `the lab file's top level ran for more than ${ms} ms without finishing; stopped`,
      [{ cell: "(module)", line: null }],
      "look for a loop that never ends outside any cell",
    );
  }
  return new CellTimeoutError(
    `ran for more than ${ms} ms without returning (a loop that never ends?); stopped`,
    [{ cell: cell.name, line: cell.line }],
    `a synchronous cell blocks the whole page; ${
      retry ? "the other cells were run without it" : "the lab was stopped"
    }`,
  );
}

function labError(e: { name: string; message: string; cells?: LabError["cells"]; hint?: string }) {
  const err = e.cells
    ? new LabError(e.message, e.cells, e.hint ?? "")
    : new LabModuleError(`${e.name}: ${e.message}`, [], "");
  if (e.cells) err.name = e.name;
  return err;
}

async function readLines(stream: ReadableStream<Uint8Array>, onLine: (l: string) => void) {
  let buf = "";
  const dec = new TextDecoder();
  for await (const chunk of stream) {
    buf += dec.decode(chunk, { stream: true });
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      onLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  }
  if (buf) onLine(buf);
}
