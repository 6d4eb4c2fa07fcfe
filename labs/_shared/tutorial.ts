/**
 * The header of the tutorial notebooks (`kv-cache-tax`, `llm-serving`, `memory-growth`): cells'
 * `labHeader` with the kicker naming the course material it comes from and the badges every one
 * of them shows (the KV-cache formula, and GB vs GiB).
 */
import { type BadgeSpec, labHeader } from "../../cells/mod.ts";
import type { Html } from "../../cells/mod.ts";

/** Options of {@link tutorialHeader}. */
export interface TutorialHeaderOptions {
  title: string;
  subtitle: string;
  minutes: number;
  /** What the notebook re-creates ("the mlsysim notebook"). */
  from: string;
  /** Badges after the shared ones. */
  badges?: readonly BadgeSpec[];
}

/** The tutorial notebooks' header. */
export function tutorialHeader(o: TutorialHeaderOptions): Html {
  return labHeader({
    kicker: `syslab · tutorial · from ${o.from}`,
    title: o.title,
    subtitle: o.subtitle,
    minutes: o.minutes,
    badges: [
      // Plain words: a badge is text, not TeX (raw "H_kv" beside the TeX formulas read as a typo).
      { text: "KV = 2 · layers · KV heads · head dim · tokens · batch · bytes", kind: "info" },
      { text: "GB = 10⁹ B · GiB = 2³⁰ B", kind: "neutral" },
      ...(o.badges ?? []),
    ],
  });
}
