/**
 * The badge's styles, inside its shadow root: the page's CSS cannot reach in, and these rules cannot leak out.
 * `:host` rules are `!important` because, for important declarations, the shadow tree wins over the page.
 *
 * The badge never moves the page's lines: the host is an inline-block of zero height aligned to the middle of the
 * text, so it adds nothing to its line's height whatever the line's font and line-height; the pill is drawn
 * centred on it (a transform, which does not take part in layout). It takes only its own width in the line.
 */
export const BADGE_CSS = `
:host {
  all: initial !important;
  display: inline-block !important;
  position: relative !important;
  height: 1px !important;
  overflow: visible !important;
  vertical-align: middle !important;
  margin-inline-start: 0.3em !important;
  line-height: 1 !important;
  font: 600 11px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif !important;
  visibility: visible !important;
  opacity: 1 !important;
}
.pill { transform: translateY(-50%); }
.pill, .chip {
  display: inline-flex; align-items: center; gap: 4px; box-sizing: border-box;
  padding: 1px 5px; border-radius: 999px; border: 1px solid var(--edge);
  background: var(--bg); color: var(--fg); cursor: default; white-space: nowrap;
}
.pill:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
/* The coloured dot: a pseudo-element, not a node of its own (a list page holds hundreds of pills). */
.pill::before, .chip::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: var(--edge); }
.green { --bg: #dcfce7; --fg: #14532d; --edge: #16a34a; }
.yellow { --bg: #fef9c3; --fg: #713f12; --edge: #ca8a04; }
.red { --bg: #fee2e2; --fg: #7f1d1d; --edge: #dc2626; }
.grey { --bg: #f1f5f9; --fg: #334155; --edge: #64748b; }
.card {
  position: fixed; inset: auto; margin: 0; z-index: 2147483647;
  box-sizing: border-box; width: 300px; max-width: calc(100vw - 16px); padding: 10px 12px;
  border: 1px solid #cbd5e1; border-radius: 8px; background: #fff; color: #0f172a;
  box-shadow: 0 6px 24px rgba(15, 23, 42, 0.18); font: 400 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  text-align: start; white-space: normal;
}
.card[hidden] { display: none; }
.name { font-weight: 700; font-size: 14px; margin: 0 0 2px; }
.muted { color: #475569; font-size: 12px; }
.score { display: flex; align-items: center; gap: 8px; margin: 6px 0; }
.card h3 { font-size: 12px; font-weight: 700; margin: 8px 0 2px; color: inherit; }
.card ul { margin: 0; padding-inline-start: 18px; }
.card li { margin: 1px 0; }
.sparkline { color: var(--edge); display: block; margin: 4px 0; }
.override { border-inline-start: 3px solid #7c3aed; padding-inline-start: 6px; margin: 6px 0; }
.open { display: inline-block; margin-top: 8px; color: #1d4ed8; font-weight: 600; }
.open:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  .green { --bg: #14532d; --fg: #dcfce7; --edge: #4ade80; }
  .yellow { --bg: #713f12; --fg: #fef9c3; --edge: #facc15; }
  .red { --bg: #7f1d1d; --fg: #fee2e2; --edge: #f87171; }
  .grey { --bg: #334155; --fg: #f1f5f9; --edge: #94a3b8; }
  .card { background: #0f172a; color: #e2e8f0; border-color: #334155; }
  .muted { color: #94a3b8; }
  .open { color: #93c5fd; }
}
`;
