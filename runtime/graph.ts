/**
 * Static analysis of a lab before anything runs: which cell defines which name, and the load-time
 * errors (duplicate definitions, references to names no cell defines, cycles, unreadable cells),
 * each naming the cells involved and saying how to fix it.
 */
import {
  CellShapeError,
  type CellSite,
  CycleError,
  DuplicateDefinitionError,
  type LabError,
  UndefinedReferenceError,
} from "./errors.ts";
import type { CellDef } from "./lab.ts";

/** Names the runtime reserves for itself. */
export const RESERVED = new Set(["invalidation", "visibility", "@variable"]);

/** The names a cell defines: an input defines its value and `$name`, its element. */
export function definedNames(cell: CellDef): string[] {
  if (cell.kind === "show" && cell.name.startsWith("#")) return [];
  return cell.kind === "input" ? [cell.name, `$${cell.name}`] : [cell.name];
}

/** The analysed graph: definers by name, readers by cell, and every load-time error. */
export interface LabGraph {
  definer: Map<string, CellDef>;
  errors: LabError[];
  /** Cells that cannot run because of a load-time error, with that error. */
  broken: Map<CellDef, LabError>;
}

/** Analyses the cells of a lab. */
export function analyze(cells: readonly CellDef[]): LabGraph {
  const errors: LabError[] = [];
  const broken = new Map<CellDef, LabError>();
  const definer = new Map<string, CellDef>();
  const definers = new Map<string, CellDef[]>();
  const fail = (e: LabError, ...cs: CellDef[]) => {
    errors.push(e);
    for (const c of cs) if (!broken.has(c)) broken.set(c, e);
  };

  for (const cell of cells) {
    for (const name of definedNames(cell)) {
      definers.set(name, [...(definers.get(name) ?? []), cell]);
      if (!definer.has(name)) definer.set(name, cell);
    }
    if (cell.shapeError) {
      fail(new CellShapeError(cell.shapeError, [site(cell)]), cell);
    }
    if (RESERVED.has(cell.name) || !/^(#\d+|[A-Za-z_$][\w$]*)$/.test(cell.name)) {
      fail(
        new CellShapeError(
          `"${cell.name}" cannot name a cell`,
          [site(cell)],
          "use a JavaScript identifier that is not invalidation or visibility",
        ),
        cell,
      );
    }
  }

  for (const [name, cs] of definers) {
    if (cs.length < 2) continue;
    fail(
      new DuplicateDefinitionError(
        `"${name}" is defined by ${cs.length} cells`,
        cs.map(site),
        "every name has one defining cell: rename one, or merge the cells",
      ),
      ...cs,
    );
  }

  for (const cell of cells) {
    for (const ref of cell.refs) {
      if (definer.has(ref)) continue;
      const near = nearNames(ref, [...definer.keys()]);
      fail(
        new UndefinedReferenceError(
          `reads "${ref}", which no cell defines`,
          [site(cell)],
          near.length
            ? `did you mean ${near.map((n) => `"${n}"`).join(" or ")}?`
            : `add a cell named "${ref}"`,
        ),
        cell,
      );
    }
  }

  for (const cycle of cycles(cells, definer)) {
    const path = [...cycle, cycle[0]].map((c) => c.name).join(" → ");
    fail(
      new CycleError(
        `cells read each other in a loop: ${path}`,
        cycle.map(site),
        "a value cannot depend on itself: merge the cells or break the loop",
      ),
      ...cycle,
    );
  }

  return { definer, errors, broken };
}

function site(cell: CellDef): CellSite {
  return { cell: cell.name, line: cell.line };
}

/** Strongly connected components with more than one cell, or a cell reading itself (Tarjan). */
function cycles(cells: readonly CellDef[], definer: Map<string, CellDef>): CellDef[][] {
  const index = new Map<CellDef, number>();
  const low = new Map<CellDef, number>();
  const onStack = new Set<CellDef>();
  const stack: CellDef[] = [];
  const out: CellDef[][] = [];
  let next = 0;
  const deps = (c: CellDef) =>
    c.refs.map((r) => definer.get(r)).filter((d): d is CellDef => d !== undefined);

  const visit = (root: CellDef) => {
    // iterative Tarjan, so a 10,000-cell chain does not overflow the call stack
    const work: Array<{ cell: CellDef; i: number }> = [{ cell: root, i: 0 }];
    index.set(root, next), low.set(root, next++), stack.push(root), onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const ds = deps(top.cell);
      if (top.i < ds.length) {
        const d = ds[top.i++];
        if (!index.has(d)) {
          index.set(d, next), low.set(d, next++), stack.push(d), onStack.add(d);
          work.push({ cell: d, i: 0 });
        } else if (onStack.has(d)) {
          low.set(top.cell, Math.min(low.get(top.cell)!, index.get(d)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].cell;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.cell)!));
      }
      if (low.get(top.cell) === index.get(top.cell)) {
        const comp: CellDef[] = [];
        let c: CellDef;
        do {
          c = stack.pop()!;
          onStack.delete(c);
          comp.push(c);
        } while (c !== top.cell);
        if (comp.length > 1 || deps(top.cell).includes(top.cell)) out.push(comp.reverse());
      }
    }
  };
  for (const c of cells) if (!index.has(c)) visit(c);
  return out;
}

/** Up to three names within a small edit distance of `name`, nearest first. */
export function nearNames(name: string, names: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return names
    .map((n) => [n, editDistance(name.toLowerCase(), n.toLowerCase())] as const)
    .filter(([, d]) => d <= limit)
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([n]) => n);
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Inputs whose element another cell places (`$name`): they are not shown in their own slot. */
export function inputsPlacedElsewhere(def: { cells: readonly CellDef[] }): Set<string> {
  const out = new Set<string>();
  for (const cell of def.cells) {
    for (const r of cell.refs) {
      if (r.startsWith("$") && r.slice(1) !== cell.name) out.add(r.slice(1));
    }
  }
  return out;
}
