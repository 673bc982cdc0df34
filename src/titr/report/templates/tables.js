// The tables: binding constraints, calibration, projects, assumptions, sources, and the
// year-by-year differences when two scenarios are compared.
function table(id, cols, rows, rowClass = () => "", empty = "none") {
  const el = document.getElementById(id);
  if (!rows.length) { el.innerHTML = `<div class="empty">${empty}</div>`; return; }
  const head = cols.map(c => `<th class="${c.num ? "num" : ""}">${esc(c.label)}</th>`).join("");
  const body = rows.map(r => `<tr class="${rowClass(r)}">` +
    cols.map(c => `<td class="${c.num ? "num" : ""}">${c.f ? c.f(r) : esc(r[c.k])}</td>`).join("") + "</tr>").join("");
  el.innerHTML = `<table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
const scenarioCol = CMP ? [{ label: "scenario", f: r => esc(r._s) }] : [];
const withScenario = key => S.flatMap(s => s[key].map(r => Object.assign({ _s: s.label }, r)));
const errClass = e => (!isNum(e) ? "" : Math.abs(e) <= 10 ? "good" : Math.abs(e) <= 25 ? "fair" : "poor");

function bindingTable() {
  const rows = withScenario("bottlenecks").sort((a, b) => a.year - b.year || b.shadow_usd_per_t - a.shadow_usd_per_t);
  table("tbl-binding", [{ k: "year", label: "year", num: true }, ...scenarioCol,
    { k: "label", label: "constraint" }, { k: "kind", label: "kind" }, { k: "capacity", label: "capacity" },
    { label: "utilisation", num: true, f: r => fmtPct(r.utilisation) },
    { label: "shadow price, USD per t/yr", num: true, f: r => fmtUSD(r.shadow_usd_per_t) },
    { label: "value of one more full capacity, M USD/yr", num: true, f: r => fmtNum(r.shadow_usd_per_year / 1e6, 2) }],
  rows, r => (r.year === year() ? "now" : ""), "no constraint binds in any year");
}

function calibrationTable() {
  const fmtQ = (q, v) => (q === "tonnes" ? fmtT(v) : q === "teu" ? fmtTEU(v) : fmtNum(v, 1) + " d");
  table("tbl-calibration", [{ k: "year", label: "year", num: true }, ...scenarioCol,
    { k: "observation", label: "observation" }, { k: "quantity", label: "quantity" },
    { label: "observed", num: true, f: r => fmtQ(r.quantity, r.observed) },
    { label: "modelled", num: true, f: r => fmtQ(r.quantity, r.modelled) },
    { label: "error", num: true, f: r => `<span class="${errClass(r.error_pct)}">${signed(r.error_pct, v => NF1.format(v) + " %")}</span>` },
    { label: "source", f: r => tags(r.source === "assumption" ? "assumption" : String(r.source).split(", ")) }],
  withScenario("calibration"));
}

function projectsTable() {
  const seen = {};
  S.forEach((s, i) => s.projects.forEach(p => { (seen[p.id] ??= Object.assign({ in: [] }, p)).in.push(i); }));
  const rows = Object.values(seen).sort((a, b) => a.year - b.year || a.name.localeCompare(b.name));
  const inCols = CMP ? S.map((s, i) => ({ label: `in ${s.label}`, f: r => (r.in.includes(i) ? "✓" : "—") })) : [];
  table("tbl-projects", [{ k: "year", label: "opens", num: true }, { label: "project", f: r => `<b>${esc(r.name)}</b>` },
    { k: "status", label: "status" }, ...inCols, { k: "description", label: "what it changes" },
    { label: "sources", f: r => tags(r.sources) }], rows, r => (r.year <= year() ? "open" : ""));
}

function assumptionsTable() {
  const seen = {};
  S.forEach((s, i) => s.assumptions.forEach(a => { (seen[a.path] ??= Object.assign({ v: [] }, a)).v[i] = a; }));
  const plain = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
  const val = a => (a ? `${plain.format(a.value)} ${a.unit === "1" ? "" : esc(a.unit)}` : "—");
  const valCols = S.map((s, i) => ({ label: CMP ? `value ${s.label}` : "value", num: true, f: r => val(r.v[i]) }));
  table("tbl-assumptions", [{ label: "figure", f: r => `<code>${esc(r.path)}</code>` }, ...valCols,
    { k: "assumption", label: "why this value" }, { k: "note", label: "note" }], Object.values(seen), () => "",
  S.every(s => s.assumptions_known) ? "none: every figure has a source"
    : "not stored in this results file; run <code>titr assess</code> again to include them");
}

function sourcesTable() {
  const seen = {};
  S.forEach((s, i) => s.sources.forEach(src => { (seen[src.id] ??= Object.assign({ n: [] }, src)).n[i] = src.figures; }));
  const rows = Object.values(seen).sort((a, b) => (b.n[0] ?? 0) - (a.n[0] ?? 0) || a.id.localeCompare(b.id));
  const useCols = S.map((s, i) => ({ label: CMP ? `figures ${s.label}` : "figures using it", num: true, f: r => fmtNum(r.n[i] ?? 0, 0) }));
  const link = r => (/^https?:\/\//.test(r.url || "") ? `<a href="${esc(r.url)}" target="_blank" rel="noopener noreferrer">${esc(r.url)}</a>` : esc(r.url));
  table("tbl-sources", [{ label: "id", f: r => `<span class="tag">${esc(r.id)}</span>` }, { k: "title", label: "title" },
    { k: "publisher", label: "publisher" }, { k: "date", label: "date" }, { label: "address", f: link }, ...useCols], rows);
}

function compareTable() {
  if (!CMP) return;
  document.getElementById("sec-compare").hidden = false;
  const rows = YEARS.map(y => ({ year: y, a: totalsOf(S[0], y) || {}, b: totalsOf(S[1], y) || {} }));
  const d = (r, k) => (isNum(r.a[k]) && isNum(r.b[k]) ? r.b[k] - r.a[k] : null);
  const three = (label, k, f) => [
    { label: `${label} A`, num: true, f: r => f(r.a[k]) }, { label: `${label} B`, num: true, f: r => f(r.b[k]) },
    { label: "Δ", num: true, f: r => { const v = d(r, k); return `<span class="${v > 0 ? "up" : v < 0 ? "down" : ""}">${signed(v, f)}</span>`; } }];
  const bn = t => (t.bottleneck ? `${esc(t.bottleneck)} <span class="muted">${fmtUSD(t.bottleneck_usd_per_t)}/t</span>` : "none");
  table("tbl-compare", [{ k: "year", label: "year", num: true },
    ...three("Caspian", "caspian_t", fmtT), ...three("middle share", "middle_share", v => fmtPct(v, 1)),
    ...three("middle days", "middle_days", v => fmtNum(v, 1) + " d"),
    { label: "bottleneck A", f: r => bn(r.a) }, { label: "bottleneck B", f: r => bn(r.b) }],
  rows, r => (r.year === year() ? "now" : ""));
}

function drawTables() {
  compareTable(); bindingTable(); calibrationTable(); projectsTable(); assumptionsTable(); sourcesTable();
}
