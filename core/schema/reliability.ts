/**
 * zod schema and the validated entry point of the reliability model
 * (`core/training/reliability.ts`): a job of N GPUs, its checkpoint (size from a parameter
 * count and a state convention, or bytes), the storage it writes to, and its policy. Field
 * names match the solver's, so a ZodError's path names the offending field; times in seconds,
 * sizes in bytes, bandwidths in bytes/s.
 *
 * @module
 */
import { z } from "zod";
import { asyncSnapshotStall, checkpointBytes, checkpointWrite } from "../training/checkpoint.ts";
import { failureRow } from "../training/failures.ts";
import { type ReliabilityReport, reliabilityReport } from "../training/reliability.ts";
import { asDtypes, type Convention, CONVENTION_NAMES } from "../training/states.ts";

const positive = z.number().positive().finite();

/** Input of {@link checkedReliability}. */
export const ReliabilityInputSchema = z.object({
  gpus: z.number().int().positive().max(2 ** 24),
  /** λ per GPU-hour; or `failureRow` names a fitted row (default Llama 3, K1). */
  failuresPerGpuHour: positive.max(1).optional(),
  failureRow: z.string().min(1).optional(),
  jobSeconds: positive.optional(),
  /** Checkpoint size in bytes, or `params` × the convention's checkpoint bytes/param. */
  checkpointBytes: positive.optional(),
  params: positive.optional(),
  convention: z.enum(CONVENTION_NAMES as [Convention, ...Convention[]]).default("hf-18"),
  storageBytesPerS: positive,
  nodes: z.number().int().positive().optional(),
  perNodeBytesPerS: positive.optional(),
  mode: z.enum(["sync", "async"]).default("sync"),
  /** Checkpoint interval τ; default: the interval that maximises the exact goodput. */
  intervalSeconds: positive.optional(),
  restartSeconds: z.number().min(0).finite().default(600),
  hostCopyBytesPerS: positive.optional(),
}).refine((x) => x.checkpointBytes !== undefined || x.params !== undefined, {
  message: "give checkpointBytes or params",
  path: ["checkpointBytes"],
});

/** Parsed input. */
export type ReliabilityArgs = z.infer<typeof ReliabilityInputSchema>;

/** Result of {@link checkedReliability}. */
export interface ReliabilityChecked {
  args: ReliabilityArgs;
  checkpointBytes: number;
  write: ReturnType<typeof checkpointWrite>;
  report: ReliabilityReport;
}

/** Validate, size and time the checkpoint, then report MTBF, P(fail), Young/Daly and goodput. */
export function checkedReliability(input: unknown): ReliabilityChecked {
  const args = ReliabilityInputSchema.parse(input);
  const lambda = args.failuresPerGpuHour ??
    (args.failureRow !== undefined ? failureRow(args.failureRow).failuresPerGpuHour : undefined);
  const bytes = args.checkpointBytes ?? checkpointBytes(args.params!, asDtypes(args.convention));
  const write = checkpointWrite({
    bytes,
    storageBytesPerS: args.storageBytesPerS,
    nodes: args.nodes,
    perNodeBytesPerS: args.perNodeBytesPerS,
  });
  const base = {
    mode: args.mode,
    writeSeconds: write.seconds,
    snapshotSeconds: args.mode === "async"
      ? asyncSnapshotStall(bytes, args.gpus, args.hostCopyBytesPerS)
      : undefined,
    restartSeconds: args.restartSeconds,
  };
  const probe = reliabilityReport({
    gpus: args.gpus,
    failuresPerGpuHour: lambda,
    policy: { ...base, interval: args.intervalSeconds ?? 1 },
  });
  const interval = args.intervalSeconds ?? probe.optimum.interval;
  const report = reliabilityReport({
    gpus: args.gpus,
    failuresPerGpuHour: lambda,
    jobSeconds: args.jobSeconds,
    policy: { ...base, interval },
  });
  return { args, checkpointBytes: bytes, write, report };
}
