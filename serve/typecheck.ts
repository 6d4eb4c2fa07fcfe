/** Background `deno check` of a lab file: its TypeScript errors, one readable line each. */
import { pathToFileURL } from "node:url";
import { typeDiagnostics } from "../runtime/typecheck.ts";

/** Type errors of `path` (empty when it checks clean), as `file:line:col  TSxxxx: message`. */
export async function typeCheck(path: string, cwd: string): Promise<string[]> {
  const found = await typeDiagnostics(pathToFileURL(path), cwd);
  return found.map((d) =>
    `${d.file.replace(`${cwd}/`, "")}:${d.line}:${d.column}  ${d.code}: ${d.message}`
  );
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
