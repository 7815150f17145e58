// The handover page's own style sheet: system fonts only (nothing fetched), readable on a laptop
// screen, and printed to A4 PDF by the browser with table headers repeated and no row cut in two.

/** CSS embedded in the HTML document. */
export const HANDOVER_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.5; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 2.5rem 4rem; }
h1 { font-size: 1.9rem; margin: 0 0 .5rem; border-bottom: 3px solid var(--accent); padding-bottom: .4rem; }
h2 { font-size: 1.45rem; margin: 2.6rem 0 .8rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.6rem 0 .4rem; color: var(--muted); }
p, ul, ol { margin: .4rem 0 .8rem; }
li { margin: .1rem 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  font-size: .86em; background: var(--band); border: 1px solid #e6eaef; border-radius: 4px; padding: 0 .25em; overflow-wrap: anywhere; }
pre { background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; overflow-x: auto; line-height: 1.35; }
pre code { background: none; border: 0; padding: 0; font-size: .82rem; }
blockquote { margin: .6rem 0; padding: .3rem .9rem; border-left: 4px solid #d29922; background: #fff8e5; }
.table { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-size: .9rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; vertical-align: top; text-align: left; }
th { background: var(--band); font-weight: 600; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; white-space: nowrap; }
strong { font-weight: 650; }
figure.timeline { margin: .6rem 0 1rem; padding: .4rem; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
figure.timeline svg { display: block; width: 100%; max-width: 60rem; height: auto; font-family: inherit; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .6rem; }
@media (max-width: 700px) { main { padding: 1rem; } html { font-size: 14px; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; }
  h2 { break-before: page; }
  h2#summary { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure.timeline, pre, blockquote { break-inside: avoid; }
  thead { display: table-header-group; }
  .table, figure.timeline { overflow: visible; }
  tbody tr:nth-child(even) td { background: none; }
  code { border: 0; background: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
