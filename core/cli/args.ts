/**
 * Argument parsing for `deno task sim`, testable without spawning: {@link parseSimArgs} turns
 * argv into a validated command or throws {@link CliError} (exit code 2).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import {
  CapacityInputSchema,
  KvInputSchema,
  MemoryGrowthInputSchema,
  ServeInputSchema,
} from "../schema/inputs.ts";
import type { CapacityArgs, KvArgs, ServeArgs } from "../schema/inputs.ts";
import { peakData } from "../engine.ts";
import { lookupGpu, lookupModel, lookupTransformer, UnknownIdError } from "../registry.ts";
import { TensorParallelError, tpLayout } from "../tp.ts";
import type { Precision } from "../precision.ts";

/** A usage error; `code` is the process exit code (2). */
export class CliError extends Error {
  readonly code: number;
  constructor(message: string, code = 2) {
    super(message);
    this.name = "CliError";
    this.code = code;
  }
}

/** The sub-commands of DESIGN.md §4. */
export const COMMANDS = ["models", "gpus", "kv", "serve", "capacity", "memory-growth"] as const;
/** One sub-command name. */
export type Command = typeof COMMANDS[number];

/** Every command `sim` knows, for the "unknown command" message (fleet and training ones too). */
const ALL_COMMANDS = [...COMMANDS, "tail", "replicas", "train", "collective"].join(", ");

/** A parsed, validated invocation. */
export type SimArgs =
  | { command: "help"; json: boolean; topic?: Command }
  | { command: "models" | "gpus"; json: boolean }
  | { command: "kv"; json: boolean; input: KvArgs }
  | { command: "serve"; json: boolean; input: ServeArgs }
  | { command: "capacity"; json: boolean; input: CapacityArgs }
  | { command: "memory-growth"; json: boolean; input: { model: string; gpu?: string } };

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  model: { type: "string" },
  gpu: { type: "string" },
  seq: { type: "string" },
  batch: { type: "string" },
  "kv-precision": { type: "string" },
  precision: { type: "string" },
  tp: { type: "string" },
  prompt: { type: "string" },
  output: { type: "string" },
  gmu: { type: "string" },
  "max-model-len": { type: "string" },
  "max-num-batched-tokens": { type: "string" },
  "block-size": { type: "string" },
  qps: { type: "string" },
  concurrency: { type: "string" },
} as const;

/** Flag name → input field name (zod errors name the field, the message names the flag). */
const FIELD_FLAG: Record<string, string> = {
  seqLen: "--seq",
  batch: "--batch",
  kvPrecision: "--kv-precision",
  precision: "--precision",
  tp: "--tp",
  prompt: "--prompt",
  output: "--output",
  gmu: "--gmu",
  maxModelLen: "--max-model-len",
  maxNumBatchedTokens: "--max-num-batched-tokens",
  blockSize: "--block-size",
  qps: "--qps",
  concurrency: "--concurrency",
  model: "--model",
  gpu: "--gpu",
};

function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

/** One line per bad option: "--seq is required", or "invalid --seq (field "seqLen"): …". */
function zodMessage(e: ZodError, flags: Record<string, string>): string {
  return e.issues.map((i) => {
    const field = i.path.join(".");
    const flag = flags[field] ?? FIELD_FLAG[field] ?? field;
    if (/received undefined$/.test(i.message)) return `${flag} is required`;
    return `invalid ${flag} (field "${field}"): ${i.message}`;
  }).join("\n");
}

/** Parse `raw` (undefined fields dropped) with `schema`; `flags` maps extra fields to flags. */
export function parseWith<T>(
  schema: { parse(x: unknown): T },
  raw: Record<string, unknown>,
  flags: Record<string, string> = {},
): T {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) clean[k] = v;
  try {
    return schema.parse(clean);
  } catch (e) {
    if (e instanceof ZodError) throw new CliError(zodMessage(e, flags));
    throw e;
  }
}

/** The commands that need a transformer (every one but `models` / `gpus`). */
const TRANSFORMER_COMMANDS = "kv, serve, capacity and memory-growth";

/** Unknown ids (and CNN ids) become a CliError listing the near matches. */
export function checkIds(model?: string, gpu?: string): void {
  try {
    if (model !== undefined) {
      const m = lookupModel(model);
      if (m.kind === "cnn") {
        throw new CliError(
          `"${model}" is a CNN (${m.name}); ${TRANSFORMER_COMMANDS} take transformer models ` +
            `(see \`deno task sim models\`, kind "transformer"). CNNs are listed by \`models\` ` +
            `only: their FLOPs and weights feed the labs' rooflines.`,
        );
      }
    }
    if (gpu !== undefined) lookupGpu(gpu);
  } catch (e) {
    if (e instanceof UnknownIdError) throw new CliError(e.message);
    throw e;
  }
}

/** --tp must be a layout vLLM accepts (tp.ts), and the precision must have a datasheet peak. */
export function checkDeployment(
  model: string,
  gpu: string,
  tp: number,
  precision?: Precision,
): void {
  const m = lookupTransformer(model);
  const layout = tpLayout(m, tp);
  if (!layout.valid) throw new CliError(new TensorParallelError(m, layout).message);
  const g = lookupGpu(gpu);
  if (tp > 1 && !(g.linkBandwidth > 0)) {
    throw new CliError(`${g.name} has no GPU-to-GPU link (${g.linkLabel}): --tp must be 1`);
  }
  const peak = peakData(g, precision ?? m.nativePrecision);
  if (peak.kind === "none") {
    throw new CliError(
      `${peak.note}: the registry has no datasheet figure, so no answer can be computed; ` +
        `use another --precision (bf16 has a peak on every device).`,
    );
  }
}

/** "--batch -3": glue a negative number to its flag so zod, not parseArgs, reports it. */
export function glueNegatives(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = argv[i + 1];
    if (a.startsWith("--") && !a.includes("=") && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  return args;
}

/** Parse `argv` (without the program name) into a validated {@link SimArgs}; throws CliError. */
export function parseSimArgs(argv: readonly string[]): SimArgs {
  const args = glueNegatives(argv);
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const v = parsed.values;
  const json = v.json ?? false;
  const [cmd, ...rest] = parsed.positionals;
  if (!cmd || cmd === "help") {
    const topic = rest[0];
    if (topic !== undefined && !(COMMANDS as readonly string[]).includes(topic)) {
      throw new CliError(`unknown command "${topic}"; expected one of ${ALL_COMMANDS}`);
    }
    return { command: "help", json, topic: topic as Command | undefined };
  }
  if (rest.length) throw new CliError(`unexpected argument: ${rest[0]}`);
  if (!(COMMANDS as readonly string[]).includes(cmd)) {
    throw new CliError(`unknown command "${cmd}"; expected one of ${ALL_COMMANDS}`);
  }
  const command = cmd as Command;
  if (v.help) return { command: "help", json, topic: command };
  switch (command) {
    case "models":
    case "gpus":
      return { command, json };
    case "kv": {
      const input = parseWith(KvInputSchema, {
        model: v.model,
        seqLen: num(v.seq),
        batch: num(v.batch),
        kvPrecision: v["kv-precision"],
      });
      checkIds(input.model);
      return { command, json, input };
    }
    case "serve": {
      const input = parseWith(ServeInputSchema, {
        model: v.model,
        gpu: v.gpu,
        tp: num(v.tp),
        batch: num(v.batch),
        prompt: num(v.prompt),
        output: num(v.output),
        precision: v.precision,
        kvPrecision: v["kv-precision"],
        gmu: num(v.gmu),
        qps: num(v.qps),
        concurrency: num(v.concurrency),
      });
      checkIds(input.model, input.gpu);
      if (input.qps !== undefined && input.concurrency !== undefined) {
        throw new CliError(
          "--qps (open loop: Poisson arrivals) and --concurrency (closed loop: C users) are " +
            "two different benchmarks; pass one of them",
        );
      }
      if ((input.qps !== undefined || input.concurrency !== undefined) && v.batch !== undefined) {
        throw new CliError(
          "--batch is a static batch of identical requests; with --qps or --concurrency the " +
            "engine's batch follows the load (drop --batch)",
        );
      }
      checkDeployment(input.model, input.gpu, input.tp, input.precision);
      return { command, json, input };
    }
    case "capacity": {
      const input = parseWith(CapacityInputSchema, {
        model: v.model,
        gpu: v.gpu,
        tp: num(v.tp),
        gmu: num(v.gmu),
        maxModelLen: num(v["max-model-len"]),
        maxNumBatchedTokens: num(v["max-num-batched-tokens"]),
        blockSize: num(v["block-size"]),
        precision: v.precision,
        kvPrecision: v["kv-precision"],
      });
      checkIds(input.model, input.gpu);
      checkDeployment(input.model, input.gpu, input.tp, input.precision);
      return { command, json, input };
    }
    case "memory-growth": {
      const input = parseWith(MemoryGrowthInputSchema, { model: v.model, gpu: v.gpu });
      checkIds(input.model, input.gpu);
      return { command, json, input };
    }
  }
}
