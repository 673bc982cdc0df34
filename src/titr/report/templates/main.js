// Wiring: header, key figures, the year slider, the route and view selectors.
function kpis() {
  const y = year();
  const cards = [
    ["Across the Caspian", "caspian_t", fmtT, t => fmtTEU(t.caspian_teu)],
    ["Middle-corridor share", "middle_share", v => fmtPct(v, 1), () => "of contestable cargo"],
    ["Middle corridor, median", "middle_days", v => fmtNum(v, 1) + " days", () => "door to door"],
    ["Captive cargo not carried", "unserved_t", fmtT, t => fmtT(t.diverted_t) + " diverted elsewhere"],
  ];
  const html = cards.map(([k, key, f, sub]) => {
    if (!CMP) {
      const t = totalsOf(S[0], y) || {};
      return `<div class="kpi"><div class="k">${k}, ${y}</div><div class="v">${f(t[key])}</div><div class="d">${totalsOf(S[0], y) ? sub(t) : ""}</div></div>`;
    }
    const [a, b] = S.map(s => (totalsOf(s, y) || {})[key]);
    const dv = isNum(a) && isNum(b) ? b - a : null;
    return `<div class="kpi"><div class="k">${k}, ${y}</div><div class="v small">A ${f(a)}<br>B ${f(b)}</div>` +
      `<div class="d">B − A: <span class="${dv > 0 ? "up" : dv < 0 ? "down" : ""}">${signed(dv, f)}</span></div></div>`;
  });
  const bn = S.map(s => ({ s, b: bottleneckOf(s, y) }));
  html.push(`<div class="kpi ${bn.some(x => x.b) ? "alert" : ""}"><div class="k">Bottleneck, ${y}</div>` +
    bn.map(({ s, b }) => `<div class="v small">${CMP ? esc(s.label) + ": " : ""}${b ? esc(b.label) : "none binds"}</div>` +
      `<div class="d">${b ? `shadow price ${fmtUSD(b.shadow_usd_per_t)} per t/yr` : ""}</div>`).join("") + "</div>");
  document.getElementById("kpis").innerHTML = html.join("");
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
  kpis();
  updateMap();
  routeText();
  for (const id of ["chart-cost", "chart-co2"]) {
    const k = CHARTS.findIndex(c => c.el.id === id);
    if (k >= 0) { Plotly.purge(CHARTS[k].el); CHARTS.splice(k, 1); }
  }
  barChart("chart-cost", "cost_usd_per_feu", "USD per FEU", v => "$" + NF0.format(v));
  barChart("chart-co2", "co2_kg_per_teu", "kg CO₂ per TEU", v => NF0.format(v) + " kg");
  markYear();
  bindingTable(); projectsTable(); compareTable();
  for (const id of ["tbl-binding", "tbl-compare"]) {  // bring the year's rows into view
    const box = document.getElementById(id), row = box.querySelector("tr.now");
    if (row) box.scrollTop = row.offsetTop - (box.querySelector("thead")?.offsetHeight || 0);
  }
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
  yearControl();
  drawMap();
  drawCharts();
  drawTables();
  // Open at "now": the latest year with an observation, else the first year.
  const observed = S[0].calibration.map(r => r.year).filter(y => YEARS.includes(y));
  setYear(observed.length ? YEARS.indexOf(Math.max(...observed)) : 0);
  setStatus(`ok countries=${M.countries} links=${M.links.length} places=${M.nodes.length} charts=${CHARTS.length} scenarios=${S.length}`);
} catch (err) {
  setStatus("ERROR " + (err && err.message));
  throw err;
}
