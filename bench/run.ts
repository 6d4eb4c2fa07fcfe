/**
 * `deno task bench [--json]`: runs every benchmark suite, prints the figures as JSON (with their
 * targets and whether each is met) and writes `bench/results.json`. Speed and size targets live
 * here, never as timed assertions in `deno task test`.
 */
import { parseArgs } from "node:util";

type Suite = () => Promise<Record<string, number>>;

/** Targets: figure name → [comparison, limit]. Figures without a target are informational. */
const TARGETS: Record<string, [">=" | "<=", number]> = {
  chain_1000_recompute_median_ms: ["<=", 2],
  fanout_1000_recompute_median_ms: ["<=", 2],
  chain_1000_engine_over_bare: ["<=", 1.3],
  fanout_1000_engine_over_bare: ["<=", 1.3],
  serve_evals_per_sec: [">=", 1_000_000],
  fleet_sim_100k_requests_ms: ["<=", 500],
  slider_to_chart_median_ms: ["<=", 16.7],
  slider_to_chart_p95_ms: ["<=", 33],
  server_start_to_first_page_ms: ["<=", 2000],
  save_to_page_updated_ms: ["<=", 500],
  lab10_slider_to_chart_median_ms: ["<=", 16.7],
  export_v2_10_raw_bytes: ["<=", 1_200_000],
  export_v2_10_gzip_bytes: ["<=", 400_000],
  export_file_to_first_chart_ms: ["<=", 500],
  site_second_lab_transfer_bytes: ["<=", 200_000],
  site_bytes_beyond_shared_per_lab: ["<=", 250_000],
  server_start_warm_ms: ["<=", 1000],
  server_start_cold_ms: ["<=", 1500],
};

/** Suites by name: module path and exported function. Missing modules are reported, not fatal. */
const SUITES: Array<[string, string, string]> = [
  ["runtime", "./runtime.bench.ts", "benchRuntime"],
  ["core", "./core.bench.ts", "benchCore"],
  ["fleet", "./fleet.bench.ts", "benchFleet"],
  ["page", "./page.bench.ts", "benchPage"],
  ["lab10", "./export.bench.ts", "benchLab10"],
  ["export", "./export.bench.ts", "benchExport"],
  ["site", "./site.bench.ts", "benchSite"],
];

/** A suite that has not finished by then is reported failed (a hung browser must not hang CI). */
const SUITE_TIMEOUT_MS = 240_000;

function withinTime<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function loadSuite(path: string, fn: string): Promise<Suite | null> {
  try {
    await Deno.stat(new URL(path, import.meta.url));
  } catch {
    return null;
  }
  const mod = await import(path);
  return mod[fn] as Suite;
}

/** Runs the suites named in `only` (all when empty) and returns the report. */
export async function runBench(only: string[] = []) {
  const figures: Record<string, { value: number; target?: string; met?: boolean }> = {};
  const suites: Record<string, string> = {};
  for (const [name, path, fn] of SUITES) {
    if (only.length && !only.includes(name)) continue;
    const suite = await loadSuite(path, fn);
    if (!suite) {
      suites[name] = "absent";
      continue;
    }
    try {
      const t0 = performance.now();
      const got = await withinTime(suite(), SUITE_TIMEOUT_MS, `suite ${name}`);
      for (const [k, value] of Object.entries(got)) {
        const t = TARGETS[k];
        figures[k] = t
          ? { value, target: `${t[0]} ${t[1]}`, met: t[0] === "<=" ? value <= t[1] : value >= t[1] }
          : { value };
      }
      suites[name] = `ok (${Math.round(performance.now() - t0)} ms)`;
    } catch (e) {
      suites[name] = `failed: ${(e as Error).message}`;
    }
  }
  return {
    date: new Date().toISOString(),
    machine: { cpus: navigator.hardwareConcurrency, deno: Deno.version.deno },
    suites,
    figures,
  };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { json: { type: "boolean" } },
  });
  const report = await runBench(positionals);
  const text = JSON.stringify(report, null, 2);
  await Deno.writeTextFile(new URL("./results.json", import.meta.url), text + "\n");
  console.log(values.json ? JSON.stringify(report) : text);
  // A suite that timed out may have left a browser behind: do not wait for it.
  Deno.exit(0);
}
