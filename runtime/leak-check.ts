/**
 * The leak check `--check` runs on every lab with acts: before each act's commit, nothing may give
 * its answer away. For every deployment context (the samples of an input named `context`), acts
 * are committed one by one; before act k's commit the page (every shown cell but k's own lock,
 * whose option labels are the question), its summary (HUD and ledger) and the exporter's
 * renders-ahead must not contain
 * - the answer as displayed (the prediction's `leaks`: "318 users", and its number alone when it
 *   has three digits or more, so "2" in a sentence never fires);
 * - any sentence that only k's post-commit cells show (40 characters or more, the same words),
 *   outside the cells of earlier acts (their widgets' prompts repeat by design; the answer check
 *   above still covers them);
 * - in the summary, any value k's record computes.
 * It also flags a numeric option more than 20× from the answer (a distractor nobody would pick
 * gives the answer away by elimination).
 * Each finding is one line naming the cell and the leaked text.
 *
 * @module
 */
import type { ActPrediction } from "./act.ts";
import { recordName } from "./act.ts";
import { HeadlessLab } from "./headless.ts";
import type { CellDef, LabDefinition } from "./lab.ts";
import { lockName, predictionName } from "./act.ts";

/** One leak: where, what, and before which act's commit. */
export interface Leak {
  act: string;
  context: string | null;
  cell: string;
  text: string;
  why: "answer" | "post-commit text" | "record value" | "implausible option";
}

/** A leak as `--check` prints it. */
export function describeLeak(l: Leak): string {
  const ctx = l.context === null ? "" : ` (context ${l.context})`;
  if (l.why === "implausible option") {
    return `DistractorError in cell "${l.cell}"${ctx}: option ${
      JSON.stringify(l.text)
    } is more than ${MAX_DISTRACTOR_RATIO}× from the answer; a distractor is a belief a student might hold, not a number nobody would pick`;
  }
  return `LeakError in cell "${l.cell}"${ctx}: shows ${
    JSON.stringify(l.text)
  } before ${l.act} is committed (${
    l.why === "answer"
      ? "the act's answer"
      : l.why === "record value"
      ? "a value its record computes"
      : "text only its post-commit cells show"
  }); move it behind the lock`;
}

/** Plain text of rendered HTML: tags dropped, entities decoded, whitespace collapsed. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<annotation\b[\s\S]*?<\/annotation>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&nbsp;|&#160;/g, " ").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ").trim();
}

/** Patterns for a leak text: itself, and a number in it of three digits or more on its own. */
export function leakPatterns(text: string): Array<{ text: string; re: RegExp }> {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const bounded = (s: string) => new RegExp(`(?<![\\w.,])${esc(s)}(?![\\w]|[.,]\\d)`);
  const out = [{ text, re: bounded(text) }];
  for (const m of text.matchAll(/\d[\d,]*(?:\.\d+)?/g)) {
    if (m[0].replace(/\D/g, "").length >= 3 && m[0] !== text) {
      out.push({ text: m[0], re: bounded(m[0]) });
    }
  }
  return out;
}

/** Sentences of 40 characters or more (what a copied explanation looks like). */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?:])\s+/).map((s) => s.trim()).filter((s) => s.length >= 40);
}

/** Options of {@link leakCheck}. */
export interface LeakCheckOptions {
  timeoutMs?: number;
  /** Extra text the page would carry before any commit (the exporter's renders-ahead), by name. */
  ahead?: (def: LabDefinition) => Promise<string>;
}

/** Runs the leak check on `def`; empty when nothing leaks. */
export async function leakCheck(def: LabDefinition, opts: LeakCheckOptions = {}): Promise<Leak[]> {
  const acts = (def as { acts?: Array<{ id: string }> }).acts ?? [];
  if (!acts.length) return [];
  const leaks: Leak[] = [];
  const probe = new HeadlessLab(def);
  await probe.settled(opts.timeoutMs);
  const contextSpec = def.cells.some((c) => c.kind === "input" && c.name === "context")
    ? probe.engine.inputSpec("context")
    : null;
  probe.dispose();
  const contexts: Array<unknown> = contextSpec?.samples?.length ? [...contextSpec.samples] : [null];
  const aheadText = opts.ahead ? await opts.ahead(def) : "";
  for (const context of contexts) {
    const lab = new HeadlessLab(def);
    try {
      if (context !== null) lab.set("context", context);
      await lab.settled(opts.timeoutMs);
      for (const { id } of acts) {
        const found = await checkAct(
          lab,
          def,
          id,
          context === null ? null : String(context),
          aheadText,
        );
        leaks.push(...found);
        const p = safeValue<ActPrediction>(lab, predictionName(id));
        if (!p) break; // the act cannot run (an error --check reports on its own)
        leaks.push(...implausible(p, id, context === null ? null : String(context)));
        const right = firstCorrect(p);
        if (right === null) break;
        lab.set(lockName(id), right);
        await lab.settled(opts.timeoutMs);
      }
    } finally {
      lab.dispose();
    }
  }
  return dedupe(leaks);
}

/** The leaks before `act`'s commit, found by committing it in a second run of the same state. */
async function checkAct(
  lab: HeadlessLab,
  def: LabDefinition,
  act: string,
  context: string | null,
  aheadText: string,
): Promise<Leak[]> {
  const p = safeValue<ActPrediction>(lab, predictionName(act));
  if (!p) return [];
  const shown = def.cells.filter((c) => c.display && c.name !== lockName(act));
  const pre = shown.map((c) => ({ cell: c.name, text: plainText(lab.html(c.name)) }))
    .filter((x) => x.text);
  if (aheadText) pre.push({ cell: "(exported renders-ahead)", text: aheadText });
  const out: Leak[] = [];
  for (const leak of p.leaks) {
    for (const pat of leakPatterns(leak)) {
      for (const x of pre) {
        if (pat.re.test(x.text)) {
          out.push({ act, context, cell: x.cell, text: pat.text, why: "answer" });
        }
      }
    }
  }
  // What the act shows once committed: replay the same inputs in a fresh lab, commit, compare.
  const post = await committedTexts(lab, def, act);
  if (post) {
    for (const [cell, text] of post.cells) {
      for (const s of sentences(text)) {
        for (const x of pre) {
          // A sentence both acts' own cells show (a widget's prompt) is the format's, not a leak.
          const other = def.cells.find((c) => c.name === x.cell)?.act;
          if (other && other !== act) continue;
          if (x.text.includes(s)) {
            out.push({ act, context, cell: x.cell, text: s.slice(0, 80), why: "post-commit text" });
          }
        }
      }
      void cell;
    }
    const summaries = pre.filter((x) => isSummary(def, x.cell));
    // A value an earlier, committed act's record holds is that act's to show (the same number
    // can be both acts' result: v1-11's design starts where Act I's GEMM sits).
    const acts = (def as { acts?: Array<{ id: string }> }).acts ?? [];
    const before = acts.slice(0, acts.findIndex((a) => a.id === act));
    const held = new Set(before.flatMap((a) => recordValues(safeValue(lab, recordName(a.id)))));
    for (const v of post.recordValues) {
      if (held.has(v)) continue;
      for (const pat of leakPatterns(v).slice(0, 1)) {
        for (const x of summaries) {
          if (pat.re.test(x.text)) {
            out.push({ act, context, cell: x.cell, text: v, why: "record value" });
          }
        }
      }
    }
  }
  return out;
}

/** A summary cell reads `acts` (the HUD and ledger). */
function isSummary(def: LabDefinition, name: string): boolean {
  return def.cells.some((c) => c.name === name && c.refs.includes("acts"));
}

/** The texts of `act`'s own cells and its record's values, once committed (from `lab`'s inputs). */
async function committedTexts(lab: HeadlessLab, def: LabDefinition, act: string) {
  const twin = new HeadlessLab(def);
  try {
    for (const c of def.cells) {
      if (c.kind !== "input") continue;
      try {
        const v = lab.engine.value(c.name);
        if (v !== null && v !== undefined) twin.set(c.name, v);
      } catch { /* not available */ }
    }
    await twin.settled();
    const p = safeValue<ActPrediction>(twin, predictionName(act));
    const right = p ? firstCorrect(p) : null;
    if (right === null) return null;
    twin.set(lockName(act), right);
    await twin.settled();
    const own = (c: CellDef) =>
      c.display && c.act === act && c.name !== lockName(act) &&
      c.name !== `${act}Intro`;
    const cells: Array<[string, string]> = def.cells.filter(own)
      .map((c) => [c.name, plainText(twin.html(c.name))]);
    return { cells, recordValues: recordValues(safeValue<RecordShape>(twin, recordName(act))) };
  } finally {
    twin.dispose();
  }
}

type RecordShape = { hud?: ReadonlyArray<readonly [string, unknown]>; ledger?: object };

/** A record's values as the summary shows them (numbers and texts with a digit, 3+ characters). */
function recordValues(record: RecordShape | null): string[] {
  return [
    ...(record?.hud ?? []).map(([, v]) => String(v)),
    ...Object.values(record?.ledger ?? {}).filter((v) => typeof v !== "boolean" && v !== null)
      .map(String),
  ].filter((v) => v.replace(/\W/g, "").length >= 3 && /\d/.test(v));
}

/** How far (as a ratio, either way) a numeric option may sit from the physics' answer. */
export const MAX_DISTRACTOR_RATIO = 20;

/** Numeric options more than {@link MAX_DISTRACTOR_RATIO}× from the answer. */
function implausible(p: ActPrediction, act: string, context: string | null): Leak[] {
  const out: Leak[] = [];
  for (const v of p.input.samples ?? []) {
    if (v === null || typeof v !== "string") continue;
    let g: { shown?: string; answer?: number; picked?: { predicted?: number } };
    try {
      g = p.grade(v) as typeof g;
    } catch {
      continue;
    }
    const x = g.picked?.predicted, a = g.answer;
    if (x === undefined || a === undefined || !(x > 0) || !(a > 0)) continue;
    if (Math.max(x / a, a / x) > MAX_DISTRACTOR_RATIO) {
      out.push({
        act,
        context,
        cell: lockName(act),
        text: g.shown ?? v,
        why: "implausible option",
      });
    }
  }
  return out;
}

function firstCorrect(p: ActPrediction): string | number | null {
  const spec = p.input;
  // A number lock: its answer itself, when the lock accepts it (its samples are only its ends
  // and middle, so the correct-pick reveal would otherwise go unchecked).
  const sample = (spec.samples ?? []).find((v) => typeof v === "number");
  if (typeof sample === "number") {
    try {
      const answer = (p.grade(sample) as { answer?: unknown }).answer;
      if (typeof answer === "number" && spec.coerce?.(answer) === answer) return answer;
    } catch { /* not gradable or out of range: fall back to the samples */ }
  }
  for (const v of spec.samples ?? []) {
    if (v === null) continue;
    try {
      if (p.grade(v).correct) return v;
    } catch { /* not gradable */ }
  }
  const any = (spec.samples ?? []).find((v) => v !== null);
  return any ?? null;
}

function safeValue<T>(lab: HeadlessLab, name: string): T | null {
  try {
    return lab.value<T>(name);
  } catch {
    return null;
  }
}

function dedupe(leaks: Leak[]): Leak[] {
  const seen = new Set<string>();
  return leaks.filter((l) => {
    const k = JSON.stringify(l);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
