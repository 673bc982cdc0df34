// The corridor map: Natural Earth countries (no tiles), links coloured by utilisation and sized
// by flow, places by kind, the year's bottleneck highlighted.
const M = { links: [], nodes: [], halo: null, countries: 0 };
const edgeIds = S.map(s => new Set(s.edges.map(e => e.id)));
const PLACE_SHAPE = n => (n.kind === "port" || n.kind === "oil-terminal") ? "port"
  : (n.border || n.kind === "border") ? "border" : n.kind === "zone" ? "zone"
  : n.kind === "dry-port" ? "dry" : "stop";

// Widths grow with the square root of the flow, on one scale for all years and scenarios.
let MAX_T = 1;
for (const s of S) for (const cells of Object.values(s.edge_years))
  for (const c of Object.values(cells)) MAX_T = Math.max(MAX_T, c.t || 0);
const widthFor = t => (t > 0 ? 2 + 12 * Math.sqrt(t / MAX_T) : 1.5);
const LONG_HAUL_KM = 5000;
const LABEL_RANK = { zone: 0, port: 1, border: 2, dry: 2, stop: 3 };

function placeLabels() {
  // Greedy decluttering: the most important places keep their names, a label that would
  // overlap one already shown is hidden until the user zooms in.
  const shown = [];
  const order = [...M.nodes].sort((a, b) => a.rank - b.rank || (b.flow || 0) - (a.flow || 0));
  for (const p of order) {
    const el = p.label.getElement();
    if (!el) continue;
    el.style.visibility = "visible";
    const r = el.getBoundingClientRect();
    const hit = r.width === 0 || shown.some(q => r.left < q.right + 2 && r.right + 2 > q.left && r.top < q.bottom && r.bottom > q.top);
    if (hit) el.style.visibility = "hidden"; else shown.push(r);
  }
  placeBadges(shown);
}

function placeBadges(shown) {
  // Each bottleneck badge takes the first spot beside its halo that hides no place name
  // and no other badge.
  const overlaps = r => shown.some(q => r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top);
  for (const m of M.badges || []) {
    const el = m.getElement() && m.getElement().firstChild;
    if (!el) continue;
    el.style.position = "relative";
    for (const [dx, dy] of [[0, 0], [0, 40], [-64, 0], [-64, 40], [0, -28], [-64, -28]]) {
      el.style.left = dx + "px";
      el.style.top = dy + "px";
      if (!overlaps(el.getBoundingClientRect())) break;
    }
    shown.push(el.getBoundingClientRect());
  }
}

function niceSteps() {
  // Three round flows for the width legend, e.g. 1, 5 and 20 Mt/yr.
  const nice = x => { const p = Math.pow(10, Math.floor(Math.log10(x))); return [1, 2, 5, 10].map(m => m * p).filter(v => v <= x).pop(); };
  return [...new Set([nice(MAX_T * 0.04), nice(MAX_T * 0.25), nice(MAX_T)])];
}

function curve(a, b, k, n) {
  // Parallel edges between the same two places bow apart so that each stays visible.
  if (n === 1) return [a, b];
  const off = (k - (n - 1) / 2) * 0.22, pts = [];
  const c = [(a[0] + b[0]) / 2 - (b[1] - a[1]) * off, (a[1] + b[1]) / 2 + (b[0] - a[0]) * off];
  for (let i = 0; i <= 20; i++) {
    const t = i / 20, u = 1 - t;
    pts.push([u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]]);
  }
  return pts;
}

function lane(path, k, n) {
  // A drawn line (a sea lane, waypoints): parallel edges part in the middle, meet at the ends.
  if (n === 1) return path;
  const span = Math.hypot(path.at(-1)[0] - path[0][0], path.at(-1)[1] - path[0][1]);
  const off = (k - (n - 1) / 2) * 0.04 * span, steps = [0];
  for (let i = 1; i < path.length; i++) steps.push(steps[i - 1] + Math.hypot(path[i][0] - path[i - 1][0], path[i][1] - path[i - 1][1]));
  const total = steps.at(-1) || 1;
  return path.map((p, i) => {
    const q = path[Math.min(i + 1, path.length - 1)], r = path[Math.max(i - 1, 0)];
    const dx = q[0] - r[0], dy = q[1] - r[1], len = Math.hypot(dx, dy) || 1;
    const w = off * Math.sin(Math.PI * steps[i] / total);
    return [p[0] - dy / len * w, p[1] + dx / len * w];
  });
}

function linkView(e, y) {
  // What one link shows in year y: its style, and the scenario cells behind it.
  const future = !S.some((s, i) => edgeIds[i].has(e.id) && e.first_year <= y);
  if (future) return { future, style: { color: FUTURE, weight: 1.5, dashArray: "2 6", opacity: 0.8 } };
  const dashArray = e.mode === "sea" ? "10 7" : e.mode === "pipeline" ? "2 5" : null;
  if (CMP && state.show === "delta") {
    const d = (edgeCell(S[1], y, e.id)?.t || 0) - (edgeCell(S[0], y, e.id)?.t || 0);
    const colour = Math.abs(d) < 1 ? NO_CAP : d > 0 ? UP : DOWN;
    return { future, style: { color: colour, weight: widthFor(Math.abs(d)), dashArray, opacity: 0.9 } };
  }
  const cell = edgeCell(S[state.show], y, e.id) || {};
  return { future, style: { color: utilColour(cell.util), weight: widthFor(cell.t || 0), dashArray, opacity: 0.92 } };
}

function linkTip(e) {
  const y = year();
  const head = `<b>${esc(e.name)}</b><br><span class="muted">${esc(e.mode)} · ${esc(shortName[e.from] || e.from)} → ${esc(shortName[e.to] || e.to)} · ${fmtNum(e.distance_km, 0)} km</span>`;
  if (e.first_year > y) return `${head}<br>opens in ${e.first_year}`;
  const rows = S.map((s, i) => {
    if (!edgeIds[i].has(e.id)) return `<tr><td>${esc(s.label)}</td><td>not in this scenario</td></tr>`;
    const c = edgeCell(s, y, e.id) || { t: 0, teu: 0, fwd: 0, rev: 0, cargo: {} };
    const pre = CMP ? `<tr><td colspan="2"><b>${esc(s.label)}: ${esc(s.name)}</b></td></tr>` : "";
    const cargo = Object.entries(c.cargo || {}).map(([k, v]) => `${esc(k)} ${fmtT(v)}`).join(", ");
    const cap = c.cap ? `${esc(c.cap)}${isNum(c.cap_t) ? ` ≈ ${fmtT(c.cap_t)}/yr of ${esc(c.cap_cargo)}` : ""}` : "not limited in the model";
    const util = isNum(c.util) ? `${fmtPct(c.util)} (${esc(wayOf(c.way))})${c.binding ? ` — <b>binding</b>, ${fmtUSD(c.shadow)}/t` : ""}` : dash;
    return pre + `<tr><td>flow ${y}</td><td><b>${fmtT(c.t)}/yr</b>${c.teu ? " · " + fmtTEU(c.teu) + "/yr" : ""}` +
      `${c.rev > 0 ? `<br>→ ${fmtT(c.fwd)} · ← ${fmtT(c.rev)}` : ""}</td></tr>` +
      (cargo ? `<tr><td>cargo</td><td>${cargo}</td></tr>` : "") +
      `<tr><td>capacity</td><td>${cap}</td></tr><tr><td>utilisation</td><td>${util}</td></tr>`;
  }).join("");
  return `${head}<table>${rows}<tr><td>sources</td><td>${tags(e.sources) || "none listed"}</td></tr></table>`;
}

function nodeTip(n) {
  const y = year();
  let html = `<b>${esc(n.name)}</b> <span class="muted">${esc(n.country)} · ${esc(n.kind)}` +
    `${n.border ? " · border crossing" : ""}${n.gauge_change ? " · gauge change" : ""}</span>`;
  if (n.first_year > y) return html + `<br>opens in ${n.first_year}`;
  const rows = S.flatMap(s => ((s.node_years[y] || {})[n.id] || []).map(r =>
    `<tr><td>${CMP ? esc(s.label) + " " : ""}${esc(r.label)}</td><td>${fmtPct(r.util)} of ${esc(r.cap)}` +
    `${r.binding ? ` — <b>binding</b>, ${fmtUSD(r.shadow)}/t` : ""}</td></tr>`));
  return html + (rows.length ? `<table>${rows.join("")}</table>` : "");
}

function drawMap() {
  const map = L.map("map", { zoomSnap: 0.25, zoomDelta: 0.5, worldCopyJump: false, minZoom: 2 });
  M.map = map;
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Countries: Natural Earth (public domain) via world-atlas");
  for (const [name, z] of [["halo", 405], ["links", 410], ["places", 620], ["labels", 630], ["callout", 640]]) {
    map.createPane(name).style.zIndex = z;
  }
  map.getPane("labels").style.pointerEvents = "none";
  const WORLD = JSON.parse(document.getElementById("titr-world").textContent);
  const shaded = new Set(S.flatMap(s => s.countries));
  const world = topojson.feature(WORLD, WORLD.objects.countries);
  L.geoJSON(world, {
    interactive: false,
    style: f => ({ className: "titr-country", color: "#a3a3a3", weight: 0.6, fillOpacity: 1,
      fillColor: shaded.has(f.id) ? "#efe4c8" : "#f8f6f1" }),
  }).addTo(map);
  M.countries = world.features.length;

  const nodes = {}, edges = {};
  for (const s of S) { for (const n of s.nodes) nodes[n.id] ??= n; for (const e of s.edges) edges[e.id] ??= e; }
  const groups = {};
  for (const e of Object.values(edges)) {
    const key = [e.from, e.to].sort().join("|");
    (groups[key] ??= []).push(e);
  }
  for (const list of Object.values(groups)) {
    list.sort((a, b) => a.id.localeCompare(b.id));
    list.forEach((e, k) => {
      const [p, q] = [e.from, e.to].sort(), a = nodes[p], b = nodes[q];
      if (!a || !b) return;
      const path = e.path && e.path.length > 2 ? (e.from === p ? e.path : [...e.path].reverse()) : null;
      const latlngs = path ? lane(path, k, list.length) : curve([a.lat, a.lon], [b.lat, b.lon], k, list.length);
      const line = L.polyline(latlngs, { pane: "links", className: `titr-link titr-link-${e.id}`, lineCap: "butt" })
        .bindTooltip(() => linkTip(e), { sticky: true, className: "titr-tip" }).addTo(map);
      line.on("mouseover", () => line.setStyle({ opacity: 1, weight: line.options.weight + 2 }));
      line.on("mouseout", () => styleLink(M.links.find(l => l.line === line)));
      M.links.push({ e, line, latlngs });
    });
  }
  for (const n of Object.values(nodes)) {
    const shape = PLACE_SHAPE(n), ll = [n.lat, n.lon];
    const marker = shape === "stop"
      ? L.circleMarker(ll, { pane: "places", radius: 3.5, color: "#374151", weight: 1.2, fillColor: "#fff", fillOpacity: 1 })
      : L.marker(ll, { pane: "places", keyboard: false, icon: L.divIcon({ className: `titr-node titr-node-${shape}`, iconSize: shape === "zone" ? [10, 10] : [11, 11] }) });
    marker.bindTooltip(() => nodeTip(n), { className: "titr-tip", direction: "top" }).addTo(map);
    const major = shape !== "stop";
    const label = L.marker(ll, { pane: "labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "titr-label" + (major ? "" : " minor"), html: esc(n.short || n.name), iconSize: null, iconAnchor: [-8, 8] }) }).addTo(map);
    M.nodes.push({ n, marker, shape, label, rank: LABEL_RANK[shape] });
  }
  // Frame the corridor itself: places reached only by long-haul legs (round the Cape) would
  // shrink it to a sliver.
  const near = new Set(Object.values(edges).filter(e => (e.distance_km || 0) < LONG_HAUL_KM).flatMap(e => [e.from, e.to]));
  const framed = Object.values(nodes).filter(n => near.has(n.id));
  const bounds = L.latLngBounds((framed.length ? framed : Object.values(nodes)).map(n => [n.lat, n.lon]));
  map.fitBounds(bounds.pad(0.04));
  zoomControl(map, bounds.pad(0.04));
  map.on("zoomend moveend", placeLabels);
  addInfo();
  addLegend();
  // Tooltips opened by keyboard focus close when the focus leaves or on Escape (main.js).
  map.getContainer().addEventListener("focusout", () => map.eachLayer(l => l.closeTooltip && l.closeTooltip()));
}

function styleLink(l) {
  if (l) l.line.setStyle(linkView(l.e, year()).style);
}

function updateMap() {
  const y = year();
  for (const l of M.links) styleLink(l);
  for (const p of M.nodes) {
    const future = p.n.first_year > y;
    if (p.shape === "stop") p.marker.setStyle({ opacity: future ? 0.3 : 1, fillOpacity: future ? 0.3 : 1 });
    else if (p.marker.getElement()) p.marker.getElement().classList.toggle("future", future);
  }
  if (M.halo) M.halo.forEach(h => h.remove());
  M.halo = [];
  M.badges = [];
  const which = CMP && state.show === "delta" ? [0, 1] : [state.show];
  for (const i of which) highlight(S[i], y, CMP ? S[i].label : "");
  document.getElementById("map").classList.toggle("no-labels", !state.labels);
  const through = {};
  for (const l of M.links) {
    const t = S.reduce((acc, s) => acc + ((edgeCell(s, y, l.e.id) || {}).t || 0), 0);
    through[l.e.from] = (through[l.e.from] || 0) + t;
    through[l.e.to] = (through[l.e.to] || 0) + t;
  }
  for (const p of M.nodes) p.flow = through[p.n.id] || 0;
  placeLabels();
  M.info.update();
  M.legend.update();
  document.getElementById("map-note").textContent = CMP && state.show === "delta"
    ? "Links are coloured by the change in cargo, B − A (red: more in B, blue: less in B), and drawn as wide as that change. " +
      "The halos mark each scenario's binding bottleneck; hover a link or a place for both scenarios' figures."
    : "Links are coloured by the utilisation of their busiest direction and drawn as wide as the cargo they carry in the chosen year; " +
      "hover or focus a link or a place for its figures (Escape closes it). The halo marks the year's binding bottleneck (the highest shadow price).";
}

function highlight(s, y, tag) {
  // The binding constraint with the highest shadow price: a yellow halo and a callout.
  const b = bottleneckOf(s, y);
  if (!b) return;
  const link = M.links.find(l => l.e.id === b.element);
  const node = M.nodes.find(p => p.n.id === b.element);
  let at;
  if (link && b.kind !== "handling" && b.kind !== "border" && b.kind !== "gauge") {
    const w = link.line.options.weight || 4;
    M.halo.push(L.polyline(link.latlngs, { pane: "halo", color: "#facc15", weight: w + 12, opacity: 0.9, lineCap: "round", interactive: false, className: "titr-halo" }).addTo(M.map));
    at = link.latlngs[Math.floor(link.latlngs.length / 2)];
    if (link.latlngs.length === 2) at = [(link.latlngs[0][0] + link.latlngs[1][0]) / 2, (link.latlngs[0][1] + link.latlngs[1][1]) / 2];
  } else if (node) {
    at = [node.n.lat, node.n.lon];
    M.halo.push(L.circleMarker(at, { pane: "halo", radius: 15, color: "#facc15", weight: 6, fill: false, opacity: 0.95, interactive: false, className: "titr-halo" }).addTo(M.map));
  } else return;
  // A small lettered badge beside the halo (A above, B below) so the two never overlap and
  // cover as little of the corridor as possible; the names are in the panel beside the map.
  const above = tag !== "B";
  const badge = L.marker(at, { pane: "callout", interactive: false, keyboard: false,
    icon: L.divIcon({ className: "", html: `<div class="titr-callout" title="${esc(b.label)}">⚠${tag ? " " + tag : ""}</div>`,
      iconSize: null, iconAnchor: above ? [-12, 30] : [-12, -12] }) }).addTo(M.map);
  M.halo.push(badge);
  M.badges.push(badge);
}

function addInfo() {
  // Beside the map (below it on a phone), never over the corridor.
  const info = { _div: document.getElementById("map-info") };
  info.update = () => {
    const y = year();
    const part = (s) => {
      const t = totalsOf(s, y);
      if (!t) return `<div>${esc(s.label)}: no data for ${y}</div>`;
      const b = bottleneckOf(s, y);
      return `${CMP ? `<div><b>${esc(s.label)}</b> · ${esc(s.name)}</div>` : ""}` +
        `<div>${esc(capFirst(STUDY.focus_label))}: <b>${fmtT(t.focus_t)}</b> · ${fmtTEU(t.focus_teu)}</div>` +
        `<div>${esc(STUDY.study_name)}: share <b>${fmtPct(t.focus_share)}</b></div>` +
        `<div>${b ? "⚠ " : ""}Bottleneck: ${b ? `<b>${esc(b.label)}</b>, shadow price ${fmtUSD(b.shadow_usd_per_t)}/t` : "none binds"}</div>`;
    };
    info._div.innerHTML = `<div class="big">${y}</div>` + (CMP ? compareInfo(y) : part(S[0]));
  };
  M.info = info;
}

function compareInfo(y) {
  // Side by side, in as little room as possible: the box sits over the map.
  const t = S.map(s => totalsOf(s, y) || {}), b = S.map(s => bottleneckOf(s, y));
  const row = (k, f) => `<tr><td>${k}</td>${t.map(x => `<td class="num"><b>${f(x)}</b></td>`).join("")}</tr>`;
  return `<table class="cmp"><tr><td></td><td class="num">A</td><td class="num">B</td></tr>` +
    row(esc(capFirst(STUDY.focus_label)), x => fmtT(x.focus_t)) + row(esc(STUDY.study_name) + ": share", x => fmtPct(x.focus_share)) +
    row(esc(STUDY.study_name) + ": median", x => fmtNum(x.focus_days, 1) + " d") + "</table>" +
    b.map((x, i) => `<div>⚠ ${S[i].label}: ${x ? `<b>${esc(x.label)}</b>, ${fmtUSD(x.shadow_usd_per_t)}/t` : "no bottleneck"}</div>`).join("");
}

function zoomControl(map, bounds) {
  // Two views: the whole corridor, and the sea crossing where the ports and ships bind.
  const sea = M.links.filter(l => l.e.kind === "service").flatMap(l => l.latlngs);
  const ctl = L.control({ position: "topleft" });
  ctl.onAdd = () => {
    const div = L.DomUtil.create("div", "leaflet-bar map-views");
    div.innerHTML = `<a href="#" role="button" data-v="all" title="the whole corridor">Corridor</a>` +
      (sea.length ? `<a href="#" role="button" data-v="sea" title="the sea crossings">Sea crossing</a>` : "");
    L.DomEvent.disableClickPropagation(div);
    div.addEventListener("click", ev => {
      const v = ev.target.dataset && ev.target.dataset.v;
      if (!v) return;
      ev.preventDefault();
      if (v === "all") map.fitBounds(bounds); else map.fitBounds(L.latLngBounds(sea).pad(0.7));
    });
    return div;
  };
  ctl.addTo(map);
}

function lineSample(style, w = 3) {
  return `<svg width="34" height="12"><line x1="1" y1="6" x2="33" y2="6" stroke="${style.color}" stroke-width="${w}" ${style.dash ? `stroke-dasharray="${style.dash}"` : ""}/></svg>`;
}

function addLegend() {
  const legend = { _div: document.getElementById("map-legend") };
  legend.update = () => {
    const delta = CMP && state.show === "delta";
    const colours = delta
      ? `<h3>Change in flow, B − A</h3><div class="row">${lineSample({ color: UP }, 5)} more in B</div><div class="row">${lineSample({ color: DOWN }, 5)} less in B</div>`
      : `<h3>Utilisation of capacity</h3><div class="ramp" style="background:${utilRamp()}"></div><div class="ticks"><span>0 %</span><span>60 %</span><span>85 %</span><span>100 %</span></div>` +
        `<div class="row">${lineSample({ color: NO_CAP })} no capacity limit given</div>`;
    const widths = niceSteps().map(t => `<div class="row">${lineSample({ color: "#64748b" }, widthFor(t))} ${t >= 1e6 ? +(t / 1e6).toFixed(2) + " Mt" : fmtT(t)}/yr</div>`).join("");
    legend._div.innerHTML = colours + `<h3 style="margin-top:6px">Width: ${delta ? "change in " : ""}cargo a year</h3>${widths}` +
      `<div class="row">${lineSample({ color: "#334155", dash: "6 4" })} sea leg</div>` +
      `<div class="row">${lineSample({ color: "#334155", dash: "1.5 3" })} pipeline</div>` +
      `<div class="row">${lineSample({ color: FUTURE, dash: "2 5" }, 1.5)} not open yet</div>` +
      `<div class="row">${lineSample({ color: "#facc15" }, 9)} bottleneck (highest shadow price) <span class="titr-callout">⚠${CMP ? " A/B" : ""}</span></div>` +
      `<div class="row"><span class="sym titr-node titr-node-zone" style="width:10px;height:10px"></span>origin / destination` +
      `<span class="sym titr-node titr-node-port"></span>port</div>` +
      `<div class="row"><span class="sym titr-node titr-node-border"></span>border crossing` +
      `<span class="sym titr-node titr-node-dry"></span>dry port</div>`;
  };
  M.legend = legend;
}
