/**
 * `deno task lab <id> --check`: type-checks the lab file, loads it, runs every cell headless and
 * returns one line per problem (empty when the lab is healthy).
 */
import { LabError } from "./errors.ts";
import { runLab } from "./headless.ts";
import { importLab } from "./loader.ts";
import { resolveLab, ROOT } from "./catalog.ts";
import { fileURLToPath as fromFileUrl } from "node:url";

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

/**
 * Runs `deno check` on the file; each TS error becomes one line with its line number. The file is
 * checked through a one-line root module so that files the config excludes (the broken fixtures)
 * are still checked.
 */
async function typeErrors(url: URL): Promise<string[]> {
  const root = await Deno.makeTempFile({ prefix: "syslab-check-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(root, `import ${JSON.stringify(url.href)};\n`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", root],
      cwd: fromFileUrl(ROOT),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    if (out.success) return [];
    const text = new TextDecoder().decode(out.stderr);
    const lines: string[] = [];
    const re = /(TS\d+) \[ERROR\]: ([^\n]+)[\s\S]*?at (file:\/\/[^\s]+):(\d+):\d+/g;
    for (const m of text.matchAll(re)) {
      const file = m[3].split("/").pop();
      lines.push(`TypeError (${m[1]}) in ${file} line ${m[4]}: ${m[2]}`);
    }
    // A parse error has no TS code: importing the file reports it, with its line.
    return lines;
  } finally {
    await Deno.remove(root).catch(() => {});
  }
}
