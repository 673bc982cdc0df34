// Wiring: header, key figures, the year slider, the route and view selectors.
// The first screen: how much the focus crossing carries against what it could carry, what
// binds and what one more unit of it is worth, the cargo left behind, with ranges where the
// model has one (simulated days: median to p90).
function crossingText(s, y) {
  const c = crossingOf(s, y)[0];
  if (!c || !isNum(c.capacity_t)) return "";
  return `${c.way}: <b>${fmtT(c.carried_t)}</b> of ${fmtT(c.capacity_t)}/yr, <b>${fmtPct(c.used)}</b> used · headroom ${fmtT(c.headroom_t)}/yr` +
    `<div class="meter" role="img" aria-label="${fmtPct(c.used)} of capacity used"><span style="width:${Math.min(100, 100 * (c.used || 0))}%"></span></div>`;
}
function daysText(s, y, t) {
  const r = simRange(s, y);
  return r ? `simulated range ${fmtNum(r.lo, 1)}–${fmtNum(r.hi, 1)} d (median–p90)` : "door to door; simulated range: none this year";
}
function bottleneckText(b) {
  if (!b) return "no capacity binds";
  return `+1 t/yr of capacity is worth <b>${fmtUSD(b.shadow_usd_per_t)}/t</b>; one more whole ${esc(b.capacity || "unit")} ≈ <b>${fmtUSD(b.shadow_usd_per_year / 1e6)} M</b>/yr`;
}
const KPI_CARDS = [
  { k: capFirst(STUDY.focus_label), key: "focus_t", f: fmtT, sub: (s, y, t) => crossingText(s, y) || fmtTEU(t.focus_teu) },
  { k: "Cargo not carried", key: "unserved_t", f: fmtT, sub: (s, y, t) => `captive cargo left behind · ${fmtT(t.diverted_t)} more diverted by capacity` },
  { k: `${STUDY.study_name}: share`, key: "focus_share", f: v => fmtPct(v, 1), sub: () => "of the contestable cargo" },
  { k: `${STUDY.study_name}: median`, key: "focus_days", f: v => fmtNum(v, 1) + " days", sub: daysText },
];

function studyTitles() {
  document.getElementById("crossing-title").textContent = `${capFirst(STUDY.focus_label)}: carried and capacity`;
}

function kpis() {
  const y = year();
  const html = KPI_CARDS.map(({ k, key, f, sub }) => {
    if (!CMP) {
      const t = totalsOf(S[0], y);
      return `<div class="kpi"><div class="k">${k}, ${y}</div><div class="v">${f((t || {})[key])}</div><div class="d">${t ? sub(S[0], y, t) : ""}</div></div>`;
    }
    const [a, b] = S.map(s => (totalsOf(s, y) || {})[key]);
    const dv = isNum(a) && isNum(b) ? b - a : null;
    const shown = signed(dv, f);
    return `<div class="kpi"><div class="k">${k}, ${y}</div>` +
      `<div class="v"><span class="${shown === "±0" ? "" : dv > 0 ? "up" : dv < 0 ? "down" : ""}">${shown}</span> <span class="unit">B − A</span></div>` +
      `<div class="d ab"><span class="tag-a">A</span> ${f(a)} &nbsp; <span class="tag-b">B</span> ${f(b)}</div></div>`;
  });
  const bn = S.map(s => ({ s, b: bottleneckOf(s, y) }));
  html.push(`<div class="kpi ${bn.some(x => x.b) ? "alert" : ""}"><div class="k">What binds, ${y}</div>` +
    bn.map(({ s, b }) => `<div class="v small">${CMP ? `<span class="tag-${s.label.toLowerCase()}">${esc(s.label)}</span> ` : ""}${b ? esc(b.label) : "nothing binds"}</div>` +
      `<div class="d">${bottleneckText(b)}</div>`).join("") + "</div>");
  document.getElementById("kpis").innerHTML = html.join("");
}

function differingYear() {
  // The year where A and B differ most (relative change summed over the headline figures).
  const keys = ["focus_t", "focus_share", "focus_days", "unserved_t", "diverted_t", "cost_usd", "co2_t", "bottleneck_usd_per_t"];
  let best = -1, score = 1e-9;
  YEARS.forEach((y, i) => {
    const a = totalsOf(S[0], y), b = totalsOf(S[1], y);
    if (!a || !b) return;
    let d = 0;
    for (const k of keys) if (isNum(a[k]) && isNum(b[k])) d += Math.abs(b[k] - a[k]) / Math.max(Math.abs(a[k]), Math.abs(b[k]), 1e-9);
    if (d > score + 1e-9) { score = d; best = i; }
  });
  return best;
}

function differences() {
  // What sets B apart from A: its scenario, the projects it lacks or adds, other parameters.
  const ids = S.map(s => new Set(s.projects.map(p => p.id)));
  const only = (i, j) => [...ids[i]].filter(p => !ids[j].has(p));
  const list = xs => (xs.length > 4 ? xs.slice(0, 4).join(", ") + ` and ${xs.length - 4} more` : xs.join(", "));
  const parts = [];
  if (S[0].id !== S[1].id) parts.push(`A: ${esc(S[0].id)} · B: ${esc(S[1].id)}`);
  else parts.push(`A and B: scenario ${esc(S[0].id)}`);
  const lacks = only(0, 1), adds = only(1, 0);
  if (lacks.length) parts.push(`B without ${esc(list(lacks))}`);
  if (adds.length) parts.push(`B adds ${esc(list(adds))}`);
  const pa = S[0].meta.parameters || {}, pb = S[1].meta.parameters || {};
  const changed = Object.keys({ ...pa, ...pb }).filter(k => pa[k] !== pb[k]).map(k => `${k} ${pa[k]} → ${pb[k]}`);
  if (changed.length) parts.push(esc(list(changed)));
  return parts.join(" · ");
}

function header() {
  const span = `${YEARS[0]}–${YEARS[YEARS.length - 1]}`;
  const sub = CMP ? differences() : `scenario ${esc(S[0].id)} · waits: ${esc(S[0].meta.waits || "?")}`;
  document.getElementById("subtitle").innerHTML = `${sub} · years ${span}`;
  document.getElementById("version").textContent = D.version;
  const sel = document.getElementById("route");
  const routes = [];
  for (const s of S) for (const r of s.routes) if (!routes.some(x => x.key === r.key)) routes.push(r);
  sel.innerHTML = routes.map(r => `<option value="${esc(r.key)}">${esc(r.label)}</option>`).join("");
  state.route = routes.length ? routes[0].key : null;
  sel.addEventListener("change", () => { state.route = sel.value; routeText(); redrawRouteCharts(); });
  if (CMP) {
    document.getElementById("sec-delta").hidden = false;
    const wrap = document.getElementById("colour-by-wrap"), by = document.getElementById("colour-by");
    wrap.hidden = false;
    by.innerHTML = `<option value="delta">change in flow, B − A</option>` + S.map((s, i) => `<option value="${i}">utilisation in ${esc(s.label)}</option>`).join("");
    by.addEventListener("change", () => { state.show = by.value === "delta" ? "delta" : Number(by.value); updateMap(); });
  }
  document.getElementById("labels").addEventListener("change", e => { state.labels = e.target.checked; updateMap(); });
}

function routeText() {
  const r = currentRoute();
  document.querySelectorAll(".route-name").forEach(el => { el.textContent = ""; });
  document.querySelectorAll(".route-year").forEach(el => { el.textContent = "· " + year(); });
}

function setYear(i) {
  state.yi = i;
  document.getElementById("year").value = String(i);
  document.getElementById("year-label").textContent = String(year());
  document.getElementById("map-year").textContent = "· " + year();
  document.querySelectorAll(".year-tag").forEach(el => { el.textContent = "· " + year(); });
  kpis();
  updateMap();
  routeText();
  redrawYearCharts();
  markYear();
  bindingTable(); projectsTable(); compareTable(); corridorDeltaTable();
  for (const id of ["tbl-binding", "tbl-compare"]) {  // bring the year's rows into view
    const box = document.getElementById(id), row = box.querySelector("tr.now");
    if (row) box.scrollTop = row.offsetTop - (box.querySelector("thead")?.offsetHeight || 0);
  }
  document.dispatchEvent(new CustomEvent("titr-year", { detail: year() }));
}

function yearControl() {
  const slider = document.getElementById("year");
  slider.max = String(YEARS.length - 1);
  slider.addEventListener("input", () => setYear(Number(slider.value)));
  let timer = null;
  const play = document.getElementById("play");
  play.addEventListener("click", () => {
    if (timer) { clearInterval(timer); timer = null; play.innerHTML = "&#9654;"; return; }
    play.innerHTML = "&#10073;&#10073;";
    if (state.yi === YEARS.length - 1) setYear(0);
    timer = setInterval(() => {
      if (state.yi >= YEARS.length - 1) { clearInterval(timer); timer = null; play.innerHTML = "&#9654;"; return; }
      setYear(state.yi + 1);
    }, 900);
  });
}

window.addEventListener("error", e => setStatus("ERROR " + e.message));
try {
  header();
  studyTitles();
  yearControl();
  drawMap();
  drawCharts();
  drawTables();
  // A comparison opens where A and B differ most; one scenario at "now" (the latest year
  // with an observation), else the first year. ?year=2030 in the address wins.
  const observed = S[0].calibration.map(r => r.year).filter(y => YEARS.includes(y));
  const asked = YEARS.indexOf(Number(new URLSearchParams(location.search).get("year")));
  const differs = CMP ? differingYear() : -1;
  setYear(asked >= 0 ? asked : differs >= 0 ? differs : observed.length ? YEARS.indexOf(Math.max(...observed)) : 0);
  document.addEventListener("keydown", e => { if (e.key === "Escape") M.map.eachLayer(l => l.closeTooltip && l.closeTooltip()); });
  setStatus(`ok countries=${M.countries} links=${M.links.length} places=${M.nodes.length} charts=${CHARTS.length} scenarios=${S.length}`);
} catch (err) {
  setStatus("ERROR " + (err && err.message));
  throw err;
}
