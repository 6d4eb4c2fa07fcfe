/**
 * `deno check` of one lab file, as structured diagnostics. The file is checked through a one-line
 * root module, so files the config excludes from `deno check .` (the broken fixtures) are still
 * checked. Used by `--check` and by the dev server's background check.
 */
import { fileURLToPath } from "node:url";

/** One TypeScript error. */
export interface TypeDiagnostic {
  code: string;
  message: string;
  /** Absolute path of the file the error is in. */
  file: string;
  line: number;
  column: number;
}

/** The type errors of the module at `url` (empty when it checks clean), run from `cwd`. */
export async function typeDiagnostics(url: URL, cwd: string): Promise<TypeDiagnostic[]> {
  const root = await Deno.makeTempFile({ prefix: "syslab-check-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(root, `import ${JSON.stringify(url.href)};\n`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", root],
      cwd,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    if (out.success) return [];
    const text = new TextDecoder().decode(out.stderr);
    const re = /(TS\d+) \[ERROR\]: ([^\n]+)[\s\S]*?at (file:\/\/[^\s]+?):(\d+):(\d+)/g;
    return [...text.matchAll(re)].map((m) => ({
      code: m[1],
      message: m[2],
      file: fileURLToPath(m[3]),
      line: Number(m[4]),
      column: Number(m[5]),
    }));
  } finally {
    await Deno.remove(root).catch(() => {});
  }
}
