/**
 * `deno task lab <id> --check`: type-checks the lab file, loads it, runs every cell headless and
 * returns one line per problem (empty when the lab is healthy).
 */
import { LabError } from "./errors.ts";
import { runLab } from "./headless.ts";
import { importLab } from "./loader.ts";
import { resolveLab } from "./catalog.ts";

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
  return problems;
}

/** Runs `deno check` on the file; each TS error becomes one line with its line number. */
async function typeErrors(url: URL): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", url.pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) return [];
  const text = new TextDecoder().decode(out.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  const lines: string[] = [];
  const re = /(TS\d+) \[ERROR\]: ([^\n]+)[\s\S]*?at (file:\/\/[^\s]+):(\d+):\d+/g;
  for (const m of text.matchAll(re)) {
    if (!m[3].endsWith(url.pathname)) continue;
    lines.push(`TypeError (${m[1]}) in ${url.pathname.split("/").pop()} line ${m[4]}: ${m[2]}`);
  }
  if (!lines.length) {
    lines.push(`TypeError: ${text.split("\n").filter(Boolean).slice(0, 3).join(" ")}`);
  }
  return lines;
}
