/**
 * `deno task lab <id> --check`: type-checks the lab file, then loads it and runs every cell
 * headless in the sandbox (`sandbox/run.ts`: read access to the project only, and a watchdog that
 * stops a cell looping synchronously), and returns one line per problem (empty when the lab is
 * healthy) plus size warnings. A lab that runs cleanly is also leak-checked there (nothing behind
 * an act's lock shown before its commit, `leak-check.ts`).
 */
import { LabError } from "./errors.ts";
import { resolveLab, ROOT } from "./catalog.ts";
import { fileURLToPath as fromFileUrl } from "node:url";
import { typeDiagnostics } from "./typecheck.ts";
import { runSandboxed } from "./sandbox/run.ts";
import type { CheckReport } from "./sandbox/check-task.ts";

const TASK = new URL("./sandbox/check-task.ts", import.meta.url);

/** Options of {@link checkLab}. */
export interface CheckOptions {
  /** Run `deno check` on the lab first (default true). */
  typecheck?: boolean;
  /** How long a cell may take, synchronously or to settle its promise (ms, default 5000). */
  timeoutMs?: number;
}

/** Problems found in a lab, one line each; `typecheck: false` skips `deno check`. */
export async function checkLab(arg: string, opts: CheckOptions = {}): Promise<string[]> {
  return (await checkLabReport(arg, opts)).problems;
}

/** Problems (exit 1) and warnings (sizes over budget) found in a lab, one line each. */
export async function checkLabReport(arg: string, opts: CheckOptions = {}): Promise<CheckReport> {
  let url: URL;
  try {
    url = resolveLab(arg);
  } catch (e) {
    return { problems: [e instanceof LabError ? e.describe() : String(e)], warnings: [] };
  }
  const problems: string[] = [];
  if (opts.typecheck !== false) problems.push(...await typeErrors(url));
  const timeoutMs = opts.timeoutMs ?? 5000;
  const run = await runSandboxed<CheckReport>(url, TASK, {
    limitMs: timeoutMs,
    retry: true,
    // The leak check is worth running only on a lab that type-checks and runs cleanly.
    options: { timeoutMs, leaks: problems.length === 0 },
  });
  if (run.error) problems.push(run.error.describe());
  problems.push(...run.result?.problems ?? [], ...run.timeouts.map((e) => e.describe()));
  return { problems, warnings: run.result?.warnings ?? [] };
}

/** `deno check` of the lab: one line per TS error (a parse error is left to the import). */
async function typeErrors(url: URL): Promise<string[]> {
  const found = await typeDiagnostics(url, fromFileUrl(ROOT));
  return found.map((d) =>
    `TypeError (${d.code}) in ${d.file.split("/").pop()} line ${d.line}: ${d.message}`
  );
}
