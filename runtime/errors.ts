/**
 * One error type per way a lab can fail, each telling the author what to do (marimo's taxonomy,
 * made TypeScript). Load-time errors are found by static analysis before any cell runs.
 */

/** Where a cell was declared. */
export interface CellSite {
  cell: string;
  line: number | null;
}

/** Base of every error syslab reports about a lab; `cells` names the cells involved. */
export class LabError extends Error {
  override name = "LabError";
  constructor(message: string, readonly cells: CellSite[], readonly hint = "") {
    super(message);
  }
  /**
   * One line for `--check`: `Name in cell "kv" (line 12): message — hint` (no "in …" when no
   * cell is involved, as for an unknown lab id).
   */
  describe(): string {
    const where = this.cells.map(siteLabel).join(", ");
    return `${this.name}${where ? ` in ${where}` : ""}: ${this.message}${
      this.hint ? ` — ${this.hint}` : ""
    }`;
  }
}

/** Two or more cells define the same name. */
export class DuplicateDefinitionError extends LabError {
  override name = "DuplicateDefinitionError";
}

/** Cells reference each other in a loop. */
export class CycleError extends LabError {
  override name = "CycleError";
}

/** A cell reads a name that no cell defines (browser globals never count). */
export class UndefinedReferenceError extends LabError {
  override name = "UndefinedReferenceError";
}

/** A cell's parameter list cannot be read, or its name is reserved. */
export class CellShapeError extends LabError {
  override name = "CellShapeError";
}

/** A cell threw or its promise rejected. */
export class CellRuntimeError extends LabError {
  override name = "CellRuntimeError";
  constructor(message: string, site: CellSite, override readonly cause: unknown) {
    super(message, [site]);
  }
}

/** The lab file itself cannot be loaded (syntax error, failed import, no default export). */
export class LabModuleError extends LabError {
  override name = "LabModuleError";
}

/** A cell did not settle within the time allowed. */
export class CellTimeoutError extends LabError {
  override name = "CellTimeoutError";
}

/** `cell "kv" (line 12)` */
export function siteLabel(site: CellSite): string {
  if (site.cell === "(module)") return `the lab file${site.line ? ` (line ${site.line})` : ""}`;
  return `cell "${site.cell}"${site.line ? ` (line ${site.line})` : ""}`;
}

/** A thrown value's message, led by its type unless it is a plain `Error`. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return `${e.name === "Error" ? "" : `${e.name}: `}${e.message}`;
  return String(e);
}
