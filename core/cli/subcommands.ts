/**
 * A group of `sim` subcommands with their own flags (fleet: tail, replicas; training: train,
 * collective): `help <cmd>` and `<cmd> --help` print its help, other argv is not the group's.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError, glueNegatives } from "./args.ts";

/** The parsed flags of a subcommand, as `node:util`'s parseArgs gives them. */
export type FlagValues = Record<string, string | boolean | undefined>;

/**
 * Runs `argv` when its first word is one of `commands`: `help <cmd>` returns `help[cmd]`, bad flags
 * throw CliError, `run(cmd, flags, json)` does the rest. Returns null for any other argv.
 */
export function runSubcommand<C extends string>(
  argv: readonly string[],
  commands: readonly C[],
  help: Record<C, string>,
  options: ParseArgsConfig["options"],
  run: (cmd: C, v: FlagValues, json: boolean) => string,
): string | null {
  const [cmd, topic] = argv;
  const known = (x: string | undefined): x is C =>
    (commands as readonly string[]).includes(x ?? "");
  if (cmd === "help" && known(topic) && argv.length === 2) return help[topic];
  if (!known(cmd)) return null;
  let parsed;
  try {
    parsed = parseArgs({ args: glueNegatives(argv.slice(1)), options, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const v = parsed.values as FlagValues;
  if (v.help) return help[cmd];
  return run(cmd, v, Boolean(v.json));
}
