/** Background `deno check` of a lab file: its TypeScript errors, one readable line each. */

/** Type errors of `path` (empty when it checks clean). */
export async function typeCheck(path: string, cwd: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", path],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (out.success) return [];
  // deno-lint-ignore no-control-regex
  const text = new TextDecoder().decode(out.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  const lines: string[] = [];
  const re = /(TS\d+) \[ERROR\]: ([^\n]+)[\s\S]*?at (file:\/\/[^\s]+?):(\d+):(\d+)/g;
  for (const m of text.matchAll(re)) {
    const file = decodeURIComponent(new URL(m[3]).pathname).replace(`${cwd}/`, "");
    lines.push(`${file}:${m[4]}:${m[5]}  ${m[1]}: ${m[2]}`);
  }
  return lines.length ? lines : [text.trim().split("\n").slice(0, 5).join("\n")];
}

/** Runs checks one at a time; a request during a run schedules one more run after it. */
export class TypeCheckQueue {
  #running = false;
  #again = false;
  constructor(
    private readonly path: string,
    private readonly cwd: string,
    private readonly report: (errors: string[]) => void,
  ) {}

  /** Asks for a check (coalesced). */
  request(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#run();
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      try {
        this.report(await typeCheck(this.path, this.cwd));
      } catch (e) {
        this.report([`deno check could not run: ${(e as Error).message}`]);
      }
    } while (this.#again && !this.#closed);
    this.#running = false;
  }

  #closed = false;
  /** Stops scheduling further checks (a running one finishes). */
  close(): void {
    this.#closed = true;
  }

  /** Resolves when no check is running. */
  async idle(): Promise<void> {
    while (this.#running) await new Promise((r) => setTimeout(r, 20));
  }
}
