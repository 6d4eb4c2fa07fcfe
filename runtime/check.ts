/**
 * `deno task lab <id> --check`: type-checks the lab file, loads it, runs every cell headless and
 * returns one line per problem (empty when the lab is healthy).
 */
import { LabError } from "./errors.ts";
import { runLab } from "./headless.ts";
import { importLab } from "./loader.ts";
import { resolveLab, ROOT } from "./catalog.ts";
import { fileURLToPath as fromFileUrl } from "node:url";
import { typeDiagnostics } from "./typecheck.ts";
import { describeLeak, leakCheck } from "./leak-check.ts";

/** Problems found in a lab, one line each; `typecheck: false` skips `deno check`. */
export async function checkLab(
  arg: string,
  opts: { typecheck?: boolean; timeoutMs?: number } = {},
): Promise<string[]> {
  let url: URL;
  try {
    url = resolveLab(arg);
  } catch (e) {
    return [e instanceof LabError ? e.describe() : String(e)];
  }
  const problems: string[] = [];
  if (opts.typecheck !== false) problems.push(...await typeErrors(url));
  let def;
  try {
    def = await importLab(url.href);
  } catch (e) {
    return [...problems, e instanceof LabError ? e.describe() : String(e)];
  }
  const timeoutMs = opts.timeoutMs ?? 5000;
  const lab = await runLab(def, { timeoutMs });
  for (const e of lab.errors()) problems.push(e.describe());
  const report = await lab.settled(10);
  if (!report.settled) {
    for (const e of lab.engine.timeoutErrors(report.pending, timeoutMs)) {
      problems.push(e.describe());
    }
  }
  lab.dispose();
  // Nothing behind a lock before its commit (only a lab that runs cleanly is worth checking).
  if (!problems.length) problems.push(...(await leakCheck(def, { timeoutMs })).map(describeLeak));
  return problems;
}

/** `deno check` of the lab: one line per TS error (a parse error is left to the import). */
async function typeErrors(url: URL): Promise<string[]> {
  const found = await typeDiagnostics(url, fromFileUrl(ROOT));
  return found.map((d) =>
    `TypeError (${d.code}) in ${d.file.split("/").pop()} line ${d.line}: ${d.message}`
  );
}
