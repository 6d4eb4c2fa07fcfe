/** Watches source folders and reports changed files, debounced. */

/** A running watcher. */
export interface Watcher {
  close(): void;
}

const RELEVANT = /\.(ts|tsx|js|mjs|css|json)$/;
/** Editors' and our own scratch files (`x.json.tmp-1-2`, `.x.swp`, `x~`), by base name. */
const SCRATCH = /(\.tmp-[^/]*|\.swp|~)$/;

/** Calls `onChange(paths)` once per burst of changes under `dirs` (missing folders are skipped). */
export function watchTree(
  dirs: string[],
  onChange: (paths: string[]) => void,
  debounceMs = 25,
): Watcher {
  const existing = dirs.filter((d) => {
    try {
      return Deno.statSync(d).isDirectory;
    } catch {
      return false;
    }
  });
  if (!existing.length) return { close() {} };
  const fsw = Deno.watchFs(existing, { recursive: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let batch = new Set<string>();
  (async () => {
    try {
      for await (const ev of fsw) {
        if (ev.kind === "access") continue;
        const paths = ev.paths.filter((p) => RELEVANT.test(p) && !SCRATCH.test(p));
        if (!paths.length) continue;
        for (const p of paths) batch.add(p);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const b = [...batch];
          batch = new Set();
          onChange(b);
        }, debounceMs);
      }
    } catch { /* closed */ }
  })();
  return {
    close() {
      clearTimeout(timer);
      try {
        fsw.close();
      } catch { /* already closed */ }
    },
  };
}
