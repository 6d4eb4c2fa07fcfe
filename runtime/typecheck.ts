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

/**
 * Where the one-line root modules live: a per-user folder outside the project (the project's
 * `.syslab-cache/` is excluded from `deno check`, so a root there would not be checked), or
 * null when there is no home folder (a temporary root is used then).
 */
function rootsDir(): string | null {
  const env = (k: string) => {
    try {
      return Deno.env.get(k);
    } catch {
      return undefined;
    }
  };
  const home = env("XDG_CACHE_HOME") ?? (env("HOME") ? `${env("HOME")}/.cache` : undefined);
  return env("SYSLAB_CHECK_ROOTS") ?? (home ? `${home}/syslab/check-roots` : null);
}

/**
 * The root module for `url`: the same path every time for the same module, because `deno check`
 * caches a clean result by its roots (a new root each run re-checked the whole graph: 3 s for a
 * lab whose sources had not changed, instead of 0.05 s). Written by rename, so a concurrent
 * check never reads half of one. Returns the path and whether it is temporary (remove it after).
 */
async function checkRoot(url: URL): Promise<{ path: string; temporary: boolean }> {
  const text = `import ${JSON.stringify(url.href)};\n`;
  const dir = rootsDir();
  if (dir) {
    try {
      const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url.href));
      const name = Array.from(
        new Uint8Array(d).slice(0, 10),
        (b) => b.toString(16).padStart(2, "0"),
      )
        .join("");
      const path = `${dir}/${name}.ts`;
      const now = await Deno.readTextFile(path).catch(() => null);
      if (now !== text) {
        await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
        const tmp = `${path}.${crypto.randomUUID()}.tmp`;
        await Deno.writeTextFile(tmp, text);
        await Deno.rename(tmp, path);
        await pruneRoots(dir);
      }
      return { path, temporary: false };
    } catch { /* not writable: a temporary root below */ }
  }
  const path = await Deno.makeTempFile({ prefix: "syslab-check-", suffix: ".ts" });
  await Deno.writeTextFile(path, text);
  return { path, temporary: true };
}

/**
 * Removes the roots whose module is gone (a deleted lab, a test's temporary lab), so the folder
 * does not grow for good; run when a new root is written. Best effort: a root another process is
 * writing, or one that cannot be read, is left alone.
 */
export async function pruneRoots(dir: string): Promise<void> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || !e.name.endsWith(".ts")) continue;
      const path = `${dir}/${e.name}`;
      const m = /^import ("[^"\n]+");\n$/.exec(await Deno.readTextFile(path).catch(() => ""));
      if (!m) continue;
      let target: string;
      try {
        target = fileURLToPath(JSON.parse(m[1]) as string);
      } catch {
        continue; // not a file: URL
      }
      const gone = await Deno.stat(target).then(
        () => false,
        (err) => err instanceof Deno.errors.NotFound,
      );
      if (gone) await Deno.remove(path).catch(() => {});
    }
  } catch { /* no folder, or not readable */ }
}

/** The type errors of the module at `url` (empty when it checks clean), run from `cwd`. */
export async function typeDiagnostics(url: URL, cwd: string): Promise<TypeDiagnostic[]> {
  const { path: root, temporary } = await checkRoot(url);
  try {
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
    if (temporary) await Deno.remove(root).catch(() => {});
  }
}
