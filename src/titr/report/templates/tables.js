// The tables: binding constraints, calibration, projects, assumptions, sources, and the
// year-by-year differences when two scenarios are compared.
// Every table: a caption, column headers with scope that sort on click, and a CSV of the
// rows as shown (raw numbers, not the formatted text).
const TABLES = {};
const rawOf = (c, r) => (c.v ? c.v(r) : c.k !== undefined ? r[c.k] : String(c.f(r)).replace(/<[^>]*>/g, ""));

function table(id, cols, rows, rowClass = () => "", empty = "none", caption = "") {
  const el = document.getElementById(id);
  TABLES[id] = { cols, rows, caption, redraw: () => TABLE_DRAW[id]() };
  if (!rows.length) { el.innerHTML = `<div class="empty">${empty}</div>`; return; }
  const sort = state.sort[id];
  if (sort) {
    const c = cols[sort.col], key = r => rawOf(c, r);
    rows = [...rows].sort((a, b) => {
      const x = key(a), y = key(b);
      const d = isNum(x) && isNum(y) ? x - y : String(x ?? "").localeCompare(String(y ?? ""), "en", { numeric: true });
      return sort.dir * d;
    });
  }
  const head = cols.map((c, i) => {
    const aria = sort && sort.col === i ? (sort.dir > 0 ? "ascending" : "descending") : "none";
    return `<th scope="col" class="${c.num ? "num" : ""}" aria-sort="${aria}"><button type="button" class="sort" data-col="${i}">${esc(c.label)}</button></th>`;
  }).join("");
  const body = rows.map(r => `<tr class="${rowClass(r)}">` +
    cols.map(c => `<td class="${c.num ? "num" : ""}">${c.f ? c.f(r) : esc(r[c.k])}</td>`).join("") + "</tr>").join("");
  el.innerHTML = `<table class="data"><caption>${esc(caption)} <span class="muted">· ${rows.length} rows · sort by a column's header</span></caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  el.querySelectorAll("button.sort").forEach(b => b.addEventListener("click", () => {
    const col = Number(b.dataset.col), was = state.sort[id];
    state.sort[id] = { col, dir: was && was.col === col ? -was.dir : 1 };
    TABLES[id].redraw();
    el.querySelector(`button.sort[data-col="${col}"]`).focus();
  }));
}

function tableCSV(id) {
  const t = TABLES[id];
  const lines = [t.cols.map(c => csvCell(c.label)).join(",")];
  for (const r of t.rows) lines.push(t.cols.map(c => csvCell(rawOf(c, r))).join(","));
  return lines.join("\n") + "\n";
}

function csvButtons() {
  // One "CSV" button beside each table's heading.
  for (const box of document.querySelectorAll(".tbl")) {
    const id = box.id, head = box.parentElement.querySelector("h2");
    if (!head || head.querySelector(".csv")) continue;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "csv";
    b.textContent = "CSV";
    b.title = "download this table as CSV";
    b.setAttribute("aria-label", `download ${head.firstChild.textContent.trim()} as CSV`);
    b.addEventListener("click", () => download(`${slug(D.title)}-${id.replace(/^tbl-/, "")}.csv`, tableCSV(id)));
    head.appendChild(b);
  }
}

const scenarioCol = CMP ? [{ label: "scenario", k: "_s" }] : [];
const withScenario = key => S.flatMap(s => s[key].map(r => Object.assign({ _s: s.label }, r)));
const errClass = e => (!isNum(e) ? "" : Math.abs(e) <= 10 ? "good" : Math.abs(e) <= 25 ? "fair" : "poor");

function bindingTable() {
  const rows = withScenario("bottlenecks").sort((a, b) => a.year - b.year || b.shadow_usd_per_t - a.shadow_usd_per_t);
  table("tbl-binding", [{ k: "year", label: "year", num: true }, ...scenarioCol,
    { k: "label", label: "constraint" }, { k: "kind", label: "kind" }, { k: "capacity", label: "capacity" },
    { label: "utilisation", num: true, v: r => r.utilisation, f: r => fmtPct(r.utilisation) },
    { label: "shadow price, USD per t/yr", num: true, v: r => r.shadow_usd_per_t, f: r => fmtUSD(r.shadow_usd_per_t) },
    { label: "value of one more full capacity, M USD/yr", num: true, v: r => r.shadow_usd_per_year, f: r => fmtNum(r.shadow_usd_per_year / 1e6, 2) }],
  rows, r => (r.year === year() ? "now" : ""), "no constraint binds in any year",
  "Binding constraints by year, the highest shadow price first");
}

function calibrationTable() {
  const fmtQ = (q, v) => (q === "tonnes" ? fmtT(v) : q === "teu" ? fmtTEU(v) : fmtNum(v, 1) + " d");
  table("tbl-calibration", [{ k: "year", label: "year", num: true }, ...scenarioCol,
    { k: "observation", label: "observation" }, { k: "quantity", label: "quantity" },
    { label: "observed", num: true, v: r => r.observed, f: r => fmtQ(r.quantity, r.observed) },
    { label: "modelled", num: true, v: r => r.modelled, f: r => fmtQ(r.quantity, r.modelled) },
    { label: "error, %", num: true, v: r => r.error_pct, f: r => `<span class="${errClass(r.error_pct)}">${signed(r.error_pct, v => NF1.format(v) + " %")}</span>` },
    { k: "set", label: "set" },
    { label: "source", v: r => r.source, f: r => tags(r.source === "assumption" ? "assumption" : String(r.source).split(", ")) }],
  withScenario("calibration"), () => "", "none", "Observed series against the model's value for the same links and cargo");
}

function unservedTable() {
  table("tbl-unserved", [{ k: "year", label: "year", num: true }, ...scenarioCol,
    { k: "demand", label: "demand" }, { k: "cargo", label: "cargo" },
    { label: "pair", v: r => `${r.origin} → ${r.destination}`, f: r => `${esc(r.origin)} → ${esc(r.destination)}` },
    { label: "not carried", num: true, v: r => r.unserved_t, f: r => fmtT(r.unserved_t) },
    { label: "alternative's extra cost, USD/t", num: true, v: r => r.cost_usd_per_t, f: r => fmtUSD(r.cost_usd_per_t) },
    { k: "alternative", label: "alternative" }],
  withScenario("unserved"), r => (r.year === year() ? "now" : ""), "all cargo is carried in every year",
  "Cargo not carried, by cargo and pair, and what its real alternative costs beyond the corridor");
}

function backtestTable() {
  const fmtQ = (q, v) => (q === "tonnes" ? fmtT(v) : q === "teu" ? fmtTEU(v) : q === "share" ? fmtPct(v, 1) : fmtNum(v, 1) + " d");
  table("tbl-backtest", [{ k: "year", label: "year", num: true }, ...scenarioCol,
    { k: "observation", label: "observation" }, { k: "set", label: "set" },
    { label: "observed", num: true, v: r => r.observed, f: r => fmtQ(r.quantity, r.observed) },
    { label: "modelled", num: true, v: r => r.modelled, f: r => fmtQ(r.quantity, r.modelled) },
    { label: "error, %", num: true, v: r => r.error_pct, f: r => `<span class="${errClass(r.error_pct)}">${signed(r.error_pct, v => NF1.format(v) + " %")}</span>` }],
  withScenario("backtest"), () => "", "no backtest stored: run <code>titr backtest --results</code> on this file",
  "Backtest: inputs and parameters as known at the cut-off; forecast rows come after it");
}

function projectsTable() {
  const seen = {};
  S.forEach((s, i) => s.projects.forEach(p => { (seen[p.id] ??= Object.assign({ in: [] }, p)).in.push(i); }));
  const rows = Object.values(seen).sort((a, b) => a.year - b.year || a.name.localeCompare(b.name));
  const inCols = CMP ? S.map((s, i) => ({ label: `in ${s.label}`, v: r => (r.in.includes(i) ? "yes" : "no"), f: r => (r.in.includes(i) ? "✓" : "—") })) : [];
  table("tbl-projects", [{ k: "year", label: "opens", num: true }, { label: "project", v: r => r.name, f: r => `<b>${esc(r.name)}</b>` },
    { k: "status", label: "status" }, ...inCols, { k: "description", label: "what it changes" },
    { label: "sources", v: r => (Array.isArray(r.sources) ? r.sources.join(" ") : r.sources), f: r => tags(r.sources) }],
  rows, r => (r.year <= year() ? "open" : ""), "none", "Projects and events by the year they take effect (marked ◆ on the time charts)");
}

function assumptionsTable() {
  const seen = {};
  S.forEach((s, i) => s.assumptions.forEach(a => { (seen[a.path] ??= Object.assign({ v: [] }, a)).v[i] = a; }));
  const plain = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
  const val = a => (a ? `${plain.format(a.value)} ${a.unit === "1" ? "" : esc(a.unit)}` : "—");
  const valCols = S.map((s, i) => ({ label: CMP ? `value ${s.label}` : "value", num: true, v: r => r.v[i] && r.v[i].value, f: r => val(r.v[i]) }));
  table("tbl-assumptions", [{ label: "figure", v: r => r.path, f: r => `<code>${esc(r.path)}</code>` }, ...valCols,
    { label: "unit", v: r => r.unit, f: r => esc(r.unit === "1" ? "" : r.unit) },
    { k: "assumption", label: "why this value" }, { k: "note", label: "note" }], Object.values(seen), () => "",
  S.every(s => s.assumptions_known) ? "none: every figure has a source"
    : "not stored in this results file; run <code>titr assess</code> again to include them",
  "Figures without a source, with the reason for each value");
}

function sourcesTable() {
  const seen = {};
  S.forEach((s, i) => s.sources.forEach(src => { (seen[src.id] ??= Object.assign({ n: [] }, src)).n[i] = src.figures; }));
  const rows = Object.values(seen).sort((a, b) => (b.n[0] ?? 0) - (a.n[0] ?? 0) || a.id.localeCompare(b.id));
  const useCols = S.map((s, i) => ({ label: CMP ? `figures ${s.label}` : "figures using it", num: true, v: r => r.n[i] ?? 0, f: r => fmtNum(r.n[i] ?? 0, 0) }));
  const link = r => (/^https?:\/\//.test(r.url || "") ? `<a href="${esc(r.url)}" target="_blank" rel="noopener noreferrer">${esc(r.url)}</a>` : esc(r.url));
  table("tbl-sources", [{ label: "id", v: r => r.id, f: r => `<span class="tag">${esc(r.id)}</span>` }, { k: "title", label: "title" },
    { k: "publisher", label: "publisher" }, { k: "date", label: "date" }, { label: "address", v: r => r.url, f: link }, ...useCols],
  rows, () => "", "none", "Sources of the scenario's figures, the most used first");
}

function compareTable() {
  if (!CMP) return;
  document.getElementById("sec-compare").hidden = false;
  const rows = YEARS.map(y => ({ year: y, a: totalsOf(S[0], y) || {}, b: totalsOf(S[1], y) || {} }));
  const d = (r, k) => (isNum(r.a[k]) && isNum(r.b[k]) ? r.b[k] - r.a[k] : null);
  const three = (label, k, f) => [
    { label: `${label} A`, num: true, v: r => r.a[k], f: r => f(r.a[k]) }, { label: `${label} B`, num: true, v: r => r.b[k], f: r => f(r.b[k]) },
    { label: `${label} B − A`, num: true, v: r => d(r, k), f: r => { const v = d(r, k); return `<span class="${v > 0 ? "up" : v < 0 ? "down" : ""}">${signed(v, f)}</span>`; } }];
  const bn = t => (t.bottleneck ? `${esc(t.bottleneck)} <span class="muted">${fmtUSD(t.bottleneck_usd_per_t)}/t</span>` : "none");
  table("tbl-compare", [{ k: "year", label: "year", num: true },
    ...three("focus t", "focus_t", fmtT), ...three("focus share", "focus_share", v => fmtPct(v, 1)),
    ...three("focus days", "focus_days", v => fmtNum(v, 1) + " d"), ...three("unserved t", "unserved_t", fmtT),
    { label: "bottleneck A", v: r => r.a.bottleneck, f: r => bn(r.a) }, { label: "bottleneck B", v: r => r.b.bottleneck, f: r => bn(r.b) }],
  rows, r => (r.year === year() ? "now" : ""), "none", "Scenario A, B and the change B − A, year by year");
}

function corridorDeltaTable() {
  // B − A by corridor in the chosen year: tonnes and TEU carried.
  if (!CMP) return;
  const y = year(), by = (s, c, k) => s.volumes.filter(v => v.year === y && v.corridor === c).reduce((a, v) => a + (v[k] || 0), 0);
  const ids = [...new Set(S.flatMap(s => s.volumes.filter(v => v.year === y).map(v => v.corridor)))];
  const rows = ids.map(c => ({ corridor: corridorName(c), ta: by(S[0], c, "tonnes"), tb: by(S[1], c, "tonnes"), ea: by(S[0], c, "teu"), eb: by(S[1], c, "teu") }))
    .map(r => Object.assign(r, { dt: r.tb - r.ta, de: r.eb - r.ea })).sort((a, b) => Math.abs(b.dt) - Math.abs(a.dt));
  const cls = v => (v > 0 ? "up" : v < 0 ? "down" : "");
  table("tbl-delta", [{ k: "corridor", label: "corridor" },
    { label: "tonnes A", num: true, v: r => r.ta, f: r => fmtT(r.ta) }, { label: "tonnes B", num: true, v: r => r.tb, f: r => fmtT(r.tb) },
    { label: "tonnes B − A", num: true, v: r => r.dt, f: r => `<span class="${cls(r.dt)}">${signed(r.dt, fmtT)}</span>` },
    { label: "TEU A", num: true, v: r => r.ea, f: r => fmtTEU(r.ea) }, { label: "TEU B", num: true, v: r => r.eb, f: r => fmtTEU(r.eb) },
    { label: "TEU B − A", num: true, v: r => r.de, f: r => `<span class="${cls(r.de)}">${signed(r.de, fmtTEU)}</span>` }],
  rows, () => "", "no cargo in this year", `Cargo by corridor in ${y}: A, B and B − A`);
}

const TABLE_DRAW = { "tbl-compare": compareTable, "tbl-delta": corridorDeltaTable, "tbl-binding": bindingTable,
  "tbl-calibration": calibrationTable, "tbl-projects": projectsTable, "tbl-assumptions": assumptionsTable, "tbl-sources": sourcesTable,
  "tbl-unserved": unservedTable, "tbl-backtest": backtestTable };

function drawTables() {
  for (const draw of Object.values(TABLE_DRAW)) draw();
  csvButtons();
}
