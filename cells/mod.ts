/**
 * cells/: the lab author's library. Inputs (lit elements following the view contract), outputs
 * and layout (Renderables that render headless), charts (one persistent Vega view per cell),
 * pedagogy widgets (header, reflection, math peek, HUD…), the design
 * ledger, and the course's style tokens. Importable in plain Deno: no DOM is touched until a
 * page mounts something.
 */

// Inputs
export { type InputOptions } from "./inputs/base.ts";
export { slider, type SliderOptions } from "./inputs/slider.ts";
export { number, type NumberOptions } from "./inputs/number.ts";
export { radio, type RadioOptions } from "./inputs/radio.ts";
export { dropdown, type DropdownOptions } from "./inputs/dropdown.ts";
export { checkbox, type CheckboxOptions, switchInput } from "./inputs/checkbox.ts";
export { text, type TextOptions } from "./inputs/text.ts";
export { button, type ButtonOptions, runButton } from "./inputs/button.ts";
export { tabsInput, type TabsInputOptions } from "./inputs/tabs-input.ts";
export { tableInput, type TableInputOptions } from "./inputs/table-input.ts";
export { form, type FormOptions, type FormValue } from "./inputs/form.ts";

// Outputs and layout
export { type Content, content, Html, html, Markup, raw } from "./outputs/html.ts";
export { md, mdText, tex } from "./outputs/md.ts";
export { callout, type CalloutOptions } from "./outputs/callout.ts";
export { badge, badges, type BadgeSpec } from "./outputs/badge.ts";
export { metricRow, stat, type StatOptions } from "./outputs/stat.ts";
export { grid, hstack, type StackOptions, vstack } from "./outputs/layout.ts";
export { accordion, type Section } from "./outputs/accordion.ts";
export { tabs } from "./outputs/tabs.ts";
export { type Column, type Row, table, type TableOptions } from "./outputs/table.ts";
export { Chart, chart, type ChartOptions, type ChartSpec } from "./outputs/chart.ts";

// Pedagogy
export { type HeaderOptions, labHeader } from "./pedagogy/header.ts";
export { contextToggle, type ContextToggleOptions } from "./pedagogy/context-toggle.ts";
export { stakeholder, type StakeholderOptions } from "./pedagogy/stakeholder.ts";
export { closestOption, type Letter, LETTERS } from "./pedagogy/options.ts";
export { CALIBRATED_WITHIN } from "./acts/reveal.ts";
export {
  reflection,
  type ReflectionConfig,
  reflectionFeedback,
  type ReflectionSpec,
} from "./pedagogy/reflection.ts";
export { MATH_PEEK_TITLE, mathPeek } from "./pedagogy/math-peek.ts";
export { failureBanner, type FailureOptions } from "./pedagogy/failure-banner.ts";
export { hudFooter, type HudItem, type HudOptions } from "./pedagogy/hud.ts";
export { ledgerSave, type LedgerSaveOptions } from "./pedagogy/ledger-save.ts";
export { ledgerStatusText } from "./pedagogy/ledger-status.ts";

// Design ledger
export {
  emptyLedger,
  LAB_ID,
  type Ledger,
  type LedgerEntry,
  LedgerError,
  parseEntry,
  parseLedger,
} from "./ledger/schema.ts";
export {
  type EntryInput,
  makeEntry,
  mergeEntries,
  mergeLedgers,
  putEntry,
} from "./ledger/merge.ts";
export {
  type LedgerBackend,
  type LedgerStatus,
  LedgerStore,
  ledgerStore,
  SERVER_PATH,
  STORAGE_KEY,
} from "./ledger/store.ts";

// Style
export * from "./acts/mod.ts";
export { commitsOf, ledgerCommitStore } from "./ledger/commits.ts";
export { cellsCSS, COLORS, installStyles, type Kind, RADII } from "./style.ts";
export { type Choice, formatNumber, type Options, type OptionValue } from "./util.ts";
