/**
 * The report's stylesheet: system fonts, no external assets, readable from a phone to a wide monitor
 * (grids collapse to one column, wide tables scroll inside their box), and printable.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light;
  --text: #0f172a; --muted: #475569; --faint: #94a3b8; --line: #e2e8f0; --bg: #f8fafc; --card: #ffffff;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2; --warn: #b45309; --warn-bg: #fef3c7;
  --none: #475569; --none-bg: #e2e8f0; --accent: #2563eb; --bot: #7c3aed; --machine: #0e7490;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  color: var(--text); background: var(--bg); }
a { color: var(--accent); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
header.top { background: #0f172a; color: #f8fafc; padding: 20px clamp(12px, 4vw, 40px) 18px; }
header.top .brand { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #94a3b8; }
header.top h1 { margin: 2px 0 4px; font-size: 22px; font-weight: 650; overflow-wrap: anywhere; }
header.top .meta { margin: 0 0 12px; color: #cbd5e1; font-size: 13px; }
.verdicts { display: flex; flex-wrap: wrap; gap: 10px; }
.verdict { border-radius: 8px; padding: 8px 12px; font-weight: 600; display: flex; gap: 8px; align-items: baseline; max-width: 100%; }
.verdict small { font-weight: 400; opacity: .9; }
.verdict.pass { background: var(--pass-bg); color: var(--pass); }
.verdict.fail { background: var(--fail-bg); color: var(--fail); }
.verdict.warn { background: var(--warn-bg); color: var(--warn); }
.verdict.none { background: var(--none-bg); color: var(--none); }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,.96); border-bottom: 1px solid var(--line);
  padding: 8px clamp(12px, 4vw, 40px); display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
nav.toc a { text-decoration: none; white-space: nowrap; max-width: 22ch; overflow: hidden; text-overflow: ellipsis; }
main { padding: 8px clamp(12px, 4vw, 40px) 40px; max-width: 1400px; margin: 0 auto; }
section { margin-top: 28px; }
section > h2 { font-size: 18px; margin: 0 0 12px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px; overflow-wrap: anywhere; }
h3 { font-size: 14px; margin: 18px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 0; }
.figures > div { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
.figures dt { color: var(--muted); font-size: 12px; }
.figures dd { margin: 2px 0 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.figures dd small { font-size: 12px; font-weight: 400; color: var(--muted); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 380px), 1fr)); gap: 16px; align-items: start; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f1f5f9; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
th:last-child:not(.num) { min-width: 90px; }
td.path { overflow-wrap: anywhere; min-width: 12ch; }
td .says { display: block; color: var(--muted); font-size: 12px; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.pass { background: var(--pass-bg); color: var(--pass); }
.badge.fail { background: var(--fail-bg); color: var(--fail); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bot { background: #ede9fe; color: var(--bot); }
.badge.machine { background: #cffafe; color: var(--machine); }
.badge.human { background: #dbeafe; color: var(--accent); }
.badge.muted { background: var(--none-bg); color: var(--none); }
.bar { height: 8px; background: var(--accent); border-radius: 4px; min-width: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 16px; }
figure.chart { margin: 0; }
.spaced { margin-top: 16px; }
details summary { cursor: pointer; color: var(--muted); margin-bottom: 8px; }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px; height: 300px; min-width: 0; }
.chart > .chart-box { width: 100%; height: 100%; }
.chart.wide { grid-column: 1 / -1; }
.chart.tall { height: 440px; }
.chart.short { height: 220px; }
.persona { border-top: 2px solid var(--line); padding-top: 20px; }
.evidence { margin: 6px 0 12px; padding-left: 18px; color: var(--muted); }
.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
ul.plain { margin: 0; padding-left: 18px; }
footer { color: var(--faint); font-size: 12px; text-align: center; padding: 20px; }
@media (max-width: 600px) {
  header.top h1 { font-size: 18px; }
  .chart { height: 260px; }
  .chart.tall { height: 380px; }
  th, td { padding: 6px 7px; }
}
@media print {
  nav.toc { display: none; }
  body { background: #fff; }
  .chart, .card, .table-wrap, .figures > div { break-inside: avoid; }
}
`;
