/**
 * Acts, the lesson structure of a lab: predictions whose correct option is computed, the reveal
 * behind each lock, and the lab's summary (ledger, HUD, start over) built from the acts.
 *
 * @module
 */
export {
  type ChoiceGrade,
  choicePrediction,
  type ChoicePredictionOptions,
  COMMIT_FIRST,
  type LetteredModel,
  type NumberGrade,
  numberPrediction,
  type NumberPredictionOptions,
  type OptionModel,
} from "./prediction.ts";
export { revealCallout, type RevealOptions } from "./reveal.ts";
export {
  actStatus,
  labSummary,
  type LabSummaryOptions,
  summaryEntry,
  summaryHud,
} from "./summary.ts";
export { START_OVER_CONFIRM, startOver } from "./start-over.ts";
export { fnv1a, orderFor } from "./order.ts";
