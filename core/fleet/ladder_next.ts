/**
 * What is left on the optimization ladder (lab v2-09): after climbing some rungs, the Amdahl
 * bound and the real gain of each rung not yet climbed, and the stop rule over all of them.
 *
 * core/fleet/ladder.ts's stop rule looks only at the rungs still in the order it was given; a
 * student who climbs two rungs and asks "should I go on?" needs the rule over every rung not yet
 * climbed. For each such rung `r` this climbs `[...climbed, r]` with {@link optimizationLadder}
 * and reads its last rung: Amdahl's bound `1 / (1 − f + f/s)` (f: the share of the step the rung
 * can touch, s: its local speed-up; Amdahl 1967) and the gain the ladder's step model gives.
 * Stop rule: stop when no remaining rung's Amdahl bound reaches `1 + minGain` (default 5 %).
 *
 * @module
 */
import type { Prepared } from "../engine.ts";
import { type LadderInput, optimizationLadder, type RungId, RUNGS } from "./ladder.ts";

/** One rung not yet climbed. */
export interface NextRung {
  id: RungId;
  /** Amdahl's bound on its speed-up from the current step. */
  amdahlLimit: number;
  /** The speed-up it really gives (the ladder's step model). */
  speedup: number;
}

/** Result of {@link nextRungs}. */
export interface NextRungs {
  /** Rungs not yet climbed, in {@link RUNGS} order. */
  rungs: NextRung[];
  /** The largest Amdahl bound among them (1 when every rung is climbed). */
  bestLimit: number;
  /** True when the stop rule fires: `bestLimit < 1 + minGain`. */
  stop: boolean;
}

/** The rungs left after climbing `climbed` (repeats ignored), and the stop rule over them. */
export function nextRungs(
  p: Prepared,
  o: Omit<LadderInput, "order">,
  climbed: readonly RungId[],
): NextRungs {
  const done = new Set(climbed);
  const minGain = o.minGain ?? 0.05;
  const rungs: NextRung[] = [];
  for (const id of RUNGS) {
    if (done.has(id)) continue;
    const l = optimizationLadder(p, { ...o, order: [...climbed, id] });
    const last = l.rungs[l.rungs.length - 1];
    rungs.push({ id, amdahlLimit: last.amdahlLimit, speedup: last.speedup });
  }
  const bestLimit = rungs.reduce((m, r) => Math.max(m, r.amdahlLimit), 1);
  return { rungs, bestLimit, stop: bestLimit < 1 + minGain };
}
