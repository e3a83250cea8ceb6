/*
 * assets/site.css: the app's colour tokens (renderer/src/styles/base.css), light and, when the
 * reader's system asks for it, dark; the system font; cards and readable tables. Domain colours
 * come from the mesh and are added as `.d-<n> { --domain: … }` rules after a strict colour check.
 */
export const SITE_CSS = `:root {
  --bg: #f6f7f9; --surface: #ffffff; --surface-2: #eef1f5; --border: #dde1e7; --border-subtle: #eef0f3;
  --text: #1d2430; --muted: #5b6575; --accent: #1f4e5f; --accent-strong: #163a47; --accent-soft: #e3eef1;
  --on-accent: #ffffff; --focus: #2f6fde;
  --valid: #1e6b47; --valid-bg: #e3f3ea; --invalid: #a3261d; --invalid-bg: #fbe9e7;
  --warning: #7a4b00; --warning-bg: #fbf0dc; --info: #1d4f91; --info-bg: #e6effc;
  --edge: #8d97a6; --star: #b7791f; --domain: #8d97a6; --top-bg: #1f4e5f; --top-text: #ffffff;
  --shadow-sm: 0 1px 2px rgb(16 24 40 / 6%); --shadow: 0 2px 10px rgb(31 78 95 / 10%);
  --radius: 10px; --radius-sm: 6px;
  --font-mono: ui-monospace, 'SF Mono', 'Cascadia Mono', Menlo, Consolas, monospace;
  color-scheme: light dark;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 16px; line-height: 1.5; color: var(--text); background: var(--bg);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12161c; --surface: #1b2129; --surface-2: #252d37; --border: #3a4553; --border-subtle: #2b333e;
    --text: #e4e8ee; --muted: #a5afbd; --accent: #7fc6d9; --accent-strong: #a6dbe8; --accent-soft: #1d3a44;
    --on-accent: #0c1a20; --focus: #79a8ff;
    --valid: #74d3a0; --valid-bg: #163325; --invalid: #ff9a8f; --invalid-bg: #3d1d1a;
    --warning: #f1bd5c; --warning-bg: #362a12; --info: #92bbf7; --info-bg: #1a2940;
    --edge: #7d8898; --star: #f1bd5c; --top-bg: #1d3a44; --top-text: #e4e8ee;
    --shadow-sm: 0 1px 2px rgb(0 0 0 / 40%); --shadow: 0 2px 12px rgb(0 0 0 / 45%);
  }
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
/* Links inside text are underlined: colour alone does not tell them apart. */
.crumbs a, .links a, td a, dd a, .lead a { text-decoration: underline; text-underline-offset: 0.15em; text-decoration-thickness: 1px; }
.table-wrap:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
a:focus-visible, input:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
code { font-family: var(--font-mono); font-size: 0.86em; background: var(--surface-2); padding: 0.05em 0.35em; border-radius: 4px; overflow-wrap: anywhere; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
h1 { font-size: 2.2rem; letter-spacing: -0.02em; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1.05rem; }
h4 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 1.5rem 0 0.5rem; }
.muted { color: var(--muted); }
.small { font-size: 0.875rem; }
.good { color: var(--valid); font-weight: 600; }
.bad { color: var(--invalid); font-weight: 600; }
.warn { color: var(--warning); font-weight: 600; }
.yes { font-weight: 600; }

.top { background: var(--top-bg); color: var(--top-text); }
.top-inner { max-width: 1200px; margin: 0 auto; padding: 0.75rem 1.5rem; display: flex; align-items: center; gap: 2rem; }
.top a { color: var(--top-text); }
.brand { font-weight: 700; font-size: 1.05rem; display: flex; align-items: center; gap: 0.6rem; }
.brand-mark { width: 1.1rem; height: 1.1rem; border-radius: 4px; background: var(--top-text); opacity: 0.85; box-shadow: 0.35rem 0.35rem 0 -0.15rem var(--accent-soft); }
.top nav { display: flex; gap: 1.25rem; margin-left: auto; font-size: 0.95rem; }
.top-search input { font: inherit; font-size: 0.875rem; width: 14rem; padding: 0.3rem 0.65rem; border-radius: var(--radius-sm); border: 1px solid transparent; background: var(--surface); color: var(--text); }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
footer { max-width: 1200px; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted); font-size: 0.8rem; }

.crumbs { font-size: 0.875rem; color: var(--muted); margin-bottom: 0.75rem; }
.hero { padding: 1rem 0 1.25rem; }
.hero[class*=' d-'] { border-left: 6px solid var(--domain); padding: 0.5rem 0 0.5rem 1rem; margin-bottom: 1.25rem; }
.hero .lead { font-size: 1.15rem; max-width: 62rem; margin: 0.75rem 0 0; }
.hero-id { margin: 0.35rem 0 0; color: var(--muted); }
.eyebrow { margin: 0 0 0.35rem; color: var(--muted); font-size: 0.875rem; display: flex; align-items: center; gap: 0.4rem; }
.stats { display: flex; flex-wrap: wrap; gap: 1.5rem; color: var(--muted); margin: 1rem 0 0; }
.stats strong { color: var(--text); font-size: 1.15rem; }
.chips { display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0.6rem 0 0; }
.chip { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0.1rem 0.55rem; border-radius: 999px; background: var(--surface-2); color: var(--muted); border: 1px solid var(--border-subtle); white-space: nowrap; }
.chip + .chip { margin-left: 0.15rem; }
.chip-good { background: var(--valid-bg); color: var(--valid); border-color: transparent; }
.chip-bad { background: var(--invalid-bg); color: var(--invalid); border-color: transparent; }
.chip-warn { background: var(--warning-bg); color: var(--warning); border-color: transparent; }
.chip-info { background: var(--info-bg); color: var(--info); border-color: transparent; }

.search { margin: 1rem 0 1.25rem; }
.search label { display: block; font-weight: 600; margin-bottom: 0.4rem; }
.search input { width: 100%; max-width: 40rem; font: inherit; font-size: 1.05rem; padding: 0.65rem 0.9rem; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); color: var(--text); box-shadow: var(--shadow-sm); }
.search p { margin: 0.4rem 0 0; }
.formula { margin: -0.5rem 0 1rem; font-size: 0.8rem; color: var(--muted); max-width: 62rem; }
.formula summary { cursor: pointer; }

.cards { list-style: none; margin: 0 0 2rem; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(17.5rem, 1fr)); gap: 1rem; }
.card { background: var(--surface); border: 1px solid var(--border); border-top: 4px solid var(--domain); border-radius: var(--radius); padding: 1rem 1.1rem; box-shadow: var(--shadow-sm); display: flex; flex-direction: column; gap: 0.35rem; }
.card:hover { box-shadow: var(--shadow); }
.card[hidden] { display: none; }
.card p { margin: 0; }
.card-title { font-weight: 700; font-size: 1.05rem; }
.card-sub { color: var(--muted); font-size: 0.875rem; display: flex; align-items: center; gap: 0.4rem; }
.card-text { font-size: 0.9rem; flex: 1; }
.card-meta { display: flex; flex-wrap: wrap; gap: 0.75rem; color: var(--muted); font-size: 0.8rem; margin-top: 0.25rem !important; }
.card-why { font-size: 0.8rem; color: var(--info); background: var(--info-bg); border-radius: var(--radius-sm); padding: 0.25rem 0.5rem; }
.domain-dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--domain); display: inline-block; flex: none; }
.stars { color: var(--star); letter-spacing: 0.05em; }

.panel { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 1.1rem 1.25rem 1.25rem; margin: 0 0 1.25rem; box-shadow: var(--shadow-sm); min-width: 0; }
.panel-head { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; margin-bottom: 0.75rem; }
.columns-2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 1.25rem; }
.about-lineage { display: grid; grid-template-columns: minmax(16rem, 1fr) minmax(0, 2.2fr); gap: 1.25rem; }
@media (max-width: 900px) { .columns-2, .about-lineage { grid-template-columns: minmax(0, 1fr); } }
table.schema td:first-child code { white-space: nowrap; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: 0.75rem; margin: 0.5rem 0 1.25rem; }
.tile { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 0.7rem 0.9rem; display: flex; flex-direction: column; box-shadow: var(--shadow-sm); }
.tile-label { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.tile-value { font-size: 1.3rem; font-weight: 700; }
.tile-note { font-size: 0.8rem; color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0; }
.facts dt { color: var(--muted); font-size: 0.875rem; }
.facts dd { margin: 0; }
.updown { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.updown h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0.75rem 0 0.25rem; }
.links { margin: 0; padding-left: 1.1rem; }
.empty { color: var(--muted); font-style: italic; margin: 0.25rem 0; }

.port { border-top: 1px solid var(--border-subtle); padding: 1rem 0 0.5rem; margin-top: 0.5rem; scroll-margin-top: 1rem; }
.port:first-child { border-top: 0; margin-top: 0; padding-top: 0; }
.port:target { background: var(--accent-soft); border-radius: var(--radius-sm); padding-left: 0.75rem; padding-right: 0.75rem; }
.port-head { display: flex; align-items: center; flex-wrap: wrap; gap: 0.75rem; }
.port-head .chips { margin: 0; }
.port-head code { font-size: 1rem; }
.table-name { margin: 0.75rem 0 0.25rem; font-size: 0.875rem; }
.table-wrap { overflow-x: auto; border: 1px solid var(--border-subtle); border-radius: var(--radius-sm); }
table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
th { text-align: left; font-weight: 600; color: var(--muted); background: var(--surface-2); padding: 0.45rem 0.7rem; white-space: nowrap; }
td { padding: 0.45rem 0.7rem; border-top: 1px solid var(--border-subtle); vertical-align: top; }
tbody tr:hover td { background: var(--bg); }
table.sample td { font-family: var(--font-mono); font-size: 0.8rem; white-space: nowrap; }
.changes { margin: 0; padding-left: 1rem; }

.score-total { font-size: 1.6rem; font-weight: 700; color: var(--accent); }
.score-total small { font-size: 0.9rem; color: var(--muted); font-weight: 400; }
.score-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem 1.5rem; }
.score-head { display: flex; justify-content: space-between; font-weight: 600; }
.score meter { width: 100%; height: 0.6rem; }
.reasons { margin: 0.35rem 0 0; padding: 0; list-style: none; font-size: 0.8rem; color: var(--muted); }
.reasons li { padding-left: 1.1rem; position: relative; }
.reasons li::before { position: absolute; left: 0; }
.reasons li.ok::before { content: '✓'; color: var(--valid); }
.reasons li.part::before { content: '◐'; color: var(--warning); }
.reasons li.no::before { content: '✗'; color: var(--invalid); }
.reasons li.na::before { content: '–'; }
.rating { margin: 0 0 0.75rem; }
.feedback { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
.feedback li { border: 1px solid var(--border-subtle); border-radius: var(--radius-sm); padding: 0.6rem 0.8rem; }
.feedback p { margin: 0.25rem 0 0; }

.diagram { overflow-x: auto; padding: 0.25rem 0; }
.diagram-wide { max-height: 80vh; overflow: auto; }
svg.lineage { display: block; max-width: 100%; height: auto; }
.diagram-wide svg.lineage { max-width: none; }
svg.lineage .edge { fill: none; stroke: var(--edge); stroke-width: 1.5; }
svg.lineage .arrow { fill: var(--edge); }
svg.lineage .node rect { fill: var(--surface); stroke: var(--border); stroke-width: 1; }
svg.lineage .node rect.band { stroke: none; fill: var(--domain); }
svg.lineage a:hover .node rect:first-of-type, svg.lineage a:focus .node rect:first-of-type { stroke: var(--accent); stroke-width: 2; }
svg.lineage .node.current rect:first-of-type { fill: var(--accent-soft); stroke: var(--accent); stroke-width: 2; }
svg.lineage .label { font-size: 13px; font-weight: 600; fill: var(--text); }
svg.lineage .detail { font-size: 11px; fill: var(--muted); }
`;
