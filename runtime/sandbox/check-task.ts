/**
 * `--check`'s work inside the sandbox (see `run.ts`): runs every cell headless and returns one
 * line per problem, plus size warnings. Cells the parent skipped (they looped) are left out: the
 * parent reports them.
 */
import { runLab } from "../headless.ts";
import type { LabDefinition } from "../lab.ts";
import { valueWarnings } from "../size.ts";
import { describeLeak, leakCheck } from "../leak-check.ts";
import { SKIPPED } from "./protocol.ts";

/** What `--check` found in the lab. */
export interface CheckReport {
  problems: string[];
  warnings: string[];
}

/**
 * The task: `options.timeoutMs` is how long a cell's promise may take to settle; with
 * `options.leaks`, a lab that runs cleanly is leak-checked too.
 */
export async function run(
  def: LabDefinition,
  { options, skip }: { options: unknown; skip: ReadonlySet<string> },
): Promise<CheckReport> {
  const { timeoutMs, leaks } = options as { timeoutMs: number; leaks?: boolean };
  const lab = await runLab(def, { timeoutMs });
  try {
    const problems = lab.errors().filter((e) => !e.message.includes(SKIPPED)).map((e) =>
      e.describe()
    );
    const report = await lab.settled(10);
    if (!report.settled) {
      for (const e of lab.engine.timeoutErrors(report.pending, timeoutMs)) {
        problems.push(e.describe());
      }
    }
    const warnings = valueWarnings(lab);
    if (leaks && !problems.length && !skip.size) {
      problems.push(...(await leakCheck(def, { timeoutMs })).map(describeLeak));
    }
    return { problems, warnings };
  } finally {
    lab.dispose();
  }
}
