/**
 * Acts: the lesson structure of a lab, as the runtime sees it. An act owns a prediction lock,
 * everything it reveals, and what it contributes to the lab's summary (the HUD and the ledger).
 * The runtime knows the shape only — a final input, a gate, the cells behind it, a soft-read
 * summary — and nothing of how a prediction is worded or graded: `cells/acts/` builds the
 * {@link ActPrediction} (the lock widget, the grading, the reveal) from the author's options.
 *
 * Names an act `a1` defines: `a1Prediction` (the bound prediction), `a1Lock` (the lock input),
 * `a1` (the gate: stopped until the commit, then the grade), `a1Intro`, `a1Reveal`, `a1Record`.
 *
 * @module
 */
import type { InputSpec } from "./input.ts";

/** Where a prediction is asked: the lab and act ids (they seed the order of its options). */
export interface ActSite {
  lab: string;
  act: string;
}

/** The graded commit of an act: what the student picked and how it compares with the physics. */
export interface ActGrade {
  /** The committed value (an option's letter, or a number). */
  readonly value: string | number;
  /** The commit as the student saw it ("C) ≈ 318 users — …"). */
  readonly shown: string;
  /** Whether it is the computed correct option (or within tolerance of a numeric answer). */
  readonly correct: boolean;
}

/** An act's prediction, ready to run: what `cells/acts/` returns once bound to its site. */
export interface ActPrediction<G extends ActGrade = ActGrade> {
  /** The lock widget; its value is null until the commit. */
  readonly input: InputSpec<string | number | null>;
  /** What the gate shows while the lock is open ("Commit your prediction to continue"). */
  readonly waiting: unknown;
  /** Grades a committed value. */
  grade(value: string | number): G;
  /** The reveal shown behind the lock: prediction vs reality, plus `extra` from the act. */
  reveal(grade: G, extra?: unknown): unknown;
  /**
   * Texts that give the answer away (the correct value as displayed, its letter statement):
   * the leak check fails when any shows outside the lock before the commit.
   */
  readonly leaks: readonly string[];
}

/** What the author's prediction function returns: bound by the runtime to its lab and act. */
export interface PredictionDraft<G extends ActGrade = ActGrade> {
  bind(site: ActSite): ActPrediction<G>;
}

/** One HUD row an act contributes (shown only once its act is committed). */
export type HudRow = readonly [label: string, value: string | number];

/** What an act records once committed: HUD rows and ledger fields (whole, per act). */
export interface ActRecord {
  hud?: readonly HudRow[];
  ledger?: Readonly<Record<string, string | number | boolean | null>>;
}

/** The state of one act, as the lab's summary (`acts`) reads it. */
export interface ActSummary {
  readonly id: string;
  readonly title: string;
  /** `waiting`: an earlier act is not committed yet; `open`: the lock is open. */
  readonly status: "waiting" | "open" | "committed";
  readonly grade?: ActGrade;
  /** Present once committed and computed. */
  readonly record?: ActRecord;
}

/** A commit of an act's lock with the inputs frozen with it (the scenario it was made in). */
export interface ActCommit {
  readonly act: string;
  readonly value: string | number;
  readonly correct?: boolean;
  /** Input values frozen at the commit, by input name. */
  readonly setup: Readonly<Record<string, unknown>>;
}

/** The lock input's name for act `id`. */
export const lockName = (id: string): string => `${id}Lock`;
/** The hidden prediction cell's name for act `id`. */
export const predictionName = (id: string): string => `${id}Prediction`;
/** The record cell's name for act `id`. */
export const recordName = (id: string): string => `${id}Record`;
