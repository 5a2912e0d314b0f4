/** The report's stylesheet, inlined so the page needs nothing but its own folder. */
export const REVIEW_STYLE = `
:root { color-scheme: light dark; --line: #8884; --add: #1a7f3726; --del: #cf222e26; --muted: #888; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
code { font: 13px ui-monospace, monospace; }
.range { color: var(--muted); margin: 0 0 1rem; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: 0 0 1.5rem; }
.summary li { border: 1px solid var(--line); border-radius: 8px; padding: .4rem .8rem; }
.summary b { font-size: 1.2rem; margin-right: .25rem; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 1rem; margin: 0 0 1.25rem; }
.card h2 { font-size: 1.1rem; margin: 0 0 .5rem; display: flex; gap: .5rem; align-items: center; }
.card h2 a { color: inherit; text-decoration: none; }
.badge { font-size: .75rem; text-transform: uppercase; border-radius: 4px; padding: .1rem .4rem; }
.status-added .badge { background: var(--add); } .status-removed .badge { background: var(--del); }
.status-changed .badge { background: #9a670026; } .status-unchanged .badge { background: var(--line); }
.changes { color: var(--muted); margin: 0 0 .75rem; }
.visuals { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .75rem; align-items: start; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .25rem; }
.frame { position: relative; width: 100%; background: repeating-conic-gradient(#8882 0 25%, #0000 0 50%) 0 0 / 16px 16px; border-radius: 6px; overflow: hidden; }
.frame img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; }
.missing { display: flex; align-items: center; justify-content: center; padding: 1rem; text-align: center; color: var(--muted); }
.controls { display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center; margin: .25rem 0 0; font-size: .85rem; color: var(--muted); }
.controls input { flex: 1; min-width: 0; }
.prompt { margin: .75rem 0; white-space: pre-wrap; }
ins { background: var(--add); text-decoration: none; } del { background: var(--del); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
tr.differs td { background: #9a670018; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.plus { color: #1a7f37; } .minus { color: #cf222e; }
.candidates h3 { font-size: .95rem; margin: 1rem 0 .5rem; }
.candidate-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: .75rem; list-style: none; padding: 0; margin: 0; }
.candidate { border: 2px solid transparent; border-radius: 8px; padding: .35rem; }
.candidate.chosen { border-color: #1a7f37; }
.chosen-mark { background: var(--add); border-radius: 4px; padding: 0 .35rem; font-size: .8rem; }
.pick { display: flex; gap: .35rem; align-items: center; margin-top: .25rem; }
.pick code { user-select: all; overflow-wrap: anywhere; flex: 1; }
details.unchanged > summary { cursor: pointer; margin: 1rem 0; font-weight: 600; }
`;
