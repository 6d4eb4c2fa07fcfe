/** The page runtime's own styles: cell states, the error overlay and the trace panel. */
export const BROWSER_CSS = `
.syslab-cell { position: relative; margin: 0 0 1rem; }
.syslab-cell[hidden] { display: none; }
.syslab-cell[data-state="pending"] > * { opacity: 0.55; transition: opacity 0.2s 0.15s; }
.syslab-cell[data-state="stopped"]:empty { display: none; }
.syslab-error { border-left: 4px solid #c62828; background: #fdecea; color: #5f1212;
  padding: 0.6rem 0.8rem; border-radius: 4px; font: 0.9rem/1.4 system-ui, sans-serif; }
.syslab-waiting { color: #555; font: italic 0.9rem system-ui, sans-serif; }
.syslab-hint { margin-top: 0.3rem; font-style: italic; }
.syslab-dev { position: fixed; right: 0.75rem; bottom: 0.75rem; z-index: 1000;
  font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, monospace; }
.syslab-dev-toggle { background: #263238; color: #fff; border: 0; border-radius: 4px;
  padding: 0.3rem 0.6rem; cursor: pointer; opacity: 0.85; font: inherit; }
.syslab-dev-toggle:focus-visible { outline: 3px solid #ffb300; outline-offset: 2px; }
.syslab-trace { display: none; max-height: 45vh; width: min(28rem, 90vw); overflow: auto;
  background: #fff; color: #1b1b1b; border: 1px solid #999; border-radius: 6px;
  padding: 0.5rem 0.7rem; margin-bottom: 0.4rem; box-shadow: 0 4px 16px #0003; }
.syslab-dev[data-open] .syslab-trace { display: block; }
.syslab-trace h2 { font: bold 12px system-ui, sans-serif; margin: 0 0 0.3rem; }
.syslab-trace ol { margin: 0.1rem 0 0.5rem 1.2rem; padding: 0; }
.syslab-trace .syslab-trace-head { font-weight: bold; }
.syslab-overlay { position: fixed; inset: 0 0 auto 0; z-index: 1001; max-height: 60vh; overflow: auto;
  background: #fff5f5; color: #5f1212; border-bottom: 3px solid #c62828;
  padding: 0.75rem 1rem; box-shadow: 0 4px 16px #0004; font: 13px/1.4 system-ui, sans-serif; }
.syslab-overlay pre { white-space: pre-wrap; font: 12px/1.4 ui-monospace, Menlo, monospace; margin: 0.4rem 0; }
.syslab-overlay button { float: right; font: inherit; cursor: pointer; }
@media print { .syslab-dev { display: none; } }
/* On a phone the floating trace toggle would sit on the lesson: only an open trace (?trace) shows. */
@media (max-width: 40rem) { .syslab-dev:not([data-open]) { display: none; } }
@media (prefers-color-scheme: dark) {
  .syslab-error { background: #3b1416; color: #ffd7d7; border-color: #ef5350; }
  .syslab-waiting { color: #b0b0b0; }
  .syslab-trace { background: #1e1e1e; color: #e6e6e6; border-color: #555; }
  .syslab-overlay { background: #2a1212; color: #ffd7d7; }
}
`;
