/**
 * Service-level objective checks for interactive LLM serving.
 *
 * @module
 */

/** Latency targets, seconds. */
export interface Slo {
  /** Time-to-first-token target. */
  ttftS: number;
  /** Inter-token latency target. */
  itlS: number;
}

/**
 * Interactive-chat targets the course uses: TTFT < 200 ms and ITL < 50 ms/token (seed 001
 * "Typical SLA targets"; seed 002 SLO_TTFT_MS = 200 for P99).
 */
export const INTERACTIVE_SLO: Slo = { ttftS: 0.2, itlS: 0.05 };

/** Result of {@link checkSlo}. */
export interface SloResult {
  ok: boolean;
  ttftOk: boolean;
  itlOk: boolean;
  /** measured / target; > 1 violates. */
  ttftRatio: number;
  itlRatio: number;
  /** Human-readable violations, empty when ok. */
  violations: string[];
  /** Which target binds (the larger ratio). */
  binding: "ttft" | "itl";
}

/** Compare measured TTFT / ITL (seconds) with `slo` (default {@link INTERACTIVE_SLO}). */
export function checkSlo(
  measured: { ttftS: number; itlS: number },
  slo: Slo = INTERACTIVE_SLO,
): SloResult {
  const tr = measured.ttftS / slo.ttftS;
  const ir = measured.itlS / slo.itlS;
  const violations: string[] = [];
  if (!(tr <= 1)) {
    violations.push(
      `TTFT ${(measured.ttftS * 1e3).toFixed(1)} ms > ${(slo.ttftS * 1e3).toFixed(0)} ms target`,
    );
  }
  if (!(ir <= 1)) {
    violations.push(
      `ITL ${(measured.itlS * 1e3).toFixed(1)} ms > ${(slo.itlS * 1e3).toFixed(0)} ms target`,
    );
  }
  return {
    ok: violations.length === 0,
    ttftOk: tr <= 1,
    itlOk: ir <= 1,
    ttftRatio: tr,
    itlRatio: ir,
    violations,
    binding: tr >= ir ? "ttft" : "itl",
  };
}
