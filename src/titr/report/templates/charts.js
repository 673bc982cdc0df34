// The charts (plotly.js): volumes against the observed series, utilisation of key assets,
// door-to-door days, cost per FEU and CO2 per TEU.
const CHARTS = [];
// No cloud upload and no logo: the report stays on this machine. PNG comes from plotly's
// camera button; an added button writes SVG.
const PLOT_CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false, showEditInChartStudio: false,
  modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "select2d", "lasso2d", "autoScale2d", "toggleSpikelines"] };
function chartConfig(id) {
  const name = `${slug(D.title)}-${id.replace(/^chart-/, "")}`;
  return Object.assign({}, PLOT_CONFIG, {
    toImageButtonOptions: { format: "png", filename: name, scale: 2 },
    modeBarButtonsToAdd: [{ name: "Download plot as SVG", icon: Plotly.Icons.disk,
      click: gd => Plotly.downloadImage(gd, { format: "svg", filename: name }) }] });
}
const dashOf = i => (i === 0 ? "solid" : "dash");
const suffix = s => (CMP ? ` (${s.label})` : "");

function compared(traces, i, group, trace) {
  // In a comparison both scenarios share a colour per series; B is dashed and only A's
  // series enters the legend (its entry toggles both). Hover still names the scenario.
  const shown = new Set(traces.filter(t => t.showlegend !== false).map(t => t.legendgroup));
  trace.legendgroup = group;
  trace.showlegend = !shown.has(group);
  if (CMP && trace.hovertemplate) trace.hovertemplate += `<extra>${esc(trace.name)} (${esc(S[i].label)})</extra>`;
  traces.push(trace);
}

function styleKey(traces) {
  // Legend entries that explain the line styles of a comparison.
  if (!CMP) return;
  S.forEach((s, i) => traces.push({ x: [null], y: [null], type: "scatter", mode: "lines", name: `${s.label}: ${i ? "dashed" : "solid"}`,
    line: { color: "#374151", width: 2, dash: dashOf(i) }, hoverinfo: "skip", legendgroup: "style" + i }));
}

function baseLayout(yTitle, extra = {}) {
  return Object.assign({
    margin: { l: 64, r: 16, t: 30, b: 30 }, font: { family: "system-ui, Segoe UI, Roboto, Arial, sans-serif", size: 12, color: "#1f2933" },
    paper_bgcolor: "#fff", plot_bgcolor: "#fff", hovermode: "x unified",
    xaxis: { dtick: 1, tickangle: 0, gridcolor: "#eef0f3", linecolor: "#cbd2d9", ticks: "outside", tickcolor: "#cbd2d9" },
    yaxis: { title: { text: yTitle }, rangemode: "tozero", gridcolor: "#eef0f3", zerolinecolor: "#cbd2d9", linecolor: "#cbd2d9" },
    legend: { orientation: "h", y: -0.13, yanchor: "top", x: 0, font: { size: 11 } },
    shapes: [],
  }, extra);
}
const scaleMenu = () => [{ type: "buttons", direction: "left", x: 1, xanchor: "right", y: 1.02, yanchor: "bottom",
  showactive: true, bgcolor: "#f3f4f6", font: { size: 11 }, pad: { r: 2, t: 2 },
  buttons: [{ label: "linear", method: "relayout", args: [{ "yaxis.type": "linear" }] },
    { label: "log", method: "relayout", args: [{ "yaxis.type": "log" }] }] }];

function timeMarks() {
  // What changes the regime: project openings (◆ at the top, named on hover) and events with
  // a start and an end (shaded spans), from either scenario.
  const byYear = {}, spans = [];
  for (const s of S) {
    for (const p of s.projects) (byYear[p.year] ??= new Set()).add(p.name);
    for (const e of s.events || []) {
      // no end: its drawn duration's mode ("min/mode/max" years), else to the horizon
      const mode = Number(String(e.duration || "").split("/")[1]);
      const a = e.start ?? e.year, b = isNum(e.end) ? e.end : mode > 0 ? a + mode - 1 : YEARS[YEARS.length - 1];
      if (isNum(a)) spans.push({ a, b, name: e.name || e.id || "event" });
    }
  }
  const inRange = y => y >= YEARS[0] && y <= YEARS[YEARS.length - 1];
  const shapes = [], notes = [];
  for (const [y, names] of Object.entries(byYear).map(([y, n]) => [Number(y), [...n]]).filter(([y]) => inRange(y))) {
    shapes.push({ name: "mark", type: "line", yref: "paper", y0: 0, y1: 1, x0: y, x1: y, layer: "below", line: { color: "#94a3b8", width: 1, dash: "dot" } });
    notes.push({ x: y, yref: "paper", y: 1, yanchor: "bottom", text: "◆", showarrow: false, font: { size: 10, color: "#475569" },
      hovertext: `${y}: ` + names.join("<br>"), captureevents: true });
  }
  for (const sp of spans) {
    shapes.push({ name: "mark", type: "rect", yref: "paper", y0: 0, y1: 1, x0: sp.a - 0.5, x1: sp.b + 0.5, layer: "below", fillcolor: "rgba(148,163,184,.14)", line: { width: 0 } });
    notes.push({ x: sp.a - 0.5, xanchor: "left", yref: "paper", y: 0.98, yanchor: "top", text: esc(sp.name), showarrow: false, font: { size: 10, color: "#475569" } });
  }
  return { shapes, notes };
}

function plot(id, traces, layout, timeline = true) {
  const el = document.getElementById(id);
  if (timeline) {
    layout.xaxis.dtick = YEARS.length > 12 ? 2 : 1;
    const m = timeMarks();
    layout.shapes = [...(layout.shapes || []), ...m.shapes];
    layout.annotations = [...(layout.annotations || []), ...m.notes];
    layout.margin.t = Math.max(layout.margin.t, 34);
  }
  Plotly.newPlot(el, traces, layout, chartConfig(id));
  el.setAttribute("role", "figure");
  el.setAttribute("aria-label", (el.closest(".card")?.querySelector("h2")?.textContent || id).trim());
  CHARTS.push({ el, timeline });
}

function volumeChart(id, key, scale, unit, quantity) {
  const traces = [];
  S.forEach((s, i) => {
    const corridors = [...new Set(s.volumes.map(v => v.corridor))];
    for (const c of corridors) {
      const rows = s.volumes.filter(v => v.corridor === c && v[key] > 0);
      if (!rows.length) continue;
      compared(traces, i, c, { x: rows.map(r => r.year), y: rows.map(r => r[key] / scale), name: corridorName(c),
        type: "scatter", mode: "lines+markers", marker: { size: 5 }, hovertemplate: `%{y:,.2f} ${unit}`,
        line: { color: corridorColour(c), width: 2.2, dash: dashOf(i) } });
    }
  });
  // The observed series and the model's value for the same scope (the observation's links
  // and cargo), as two marker traces; each point names its observation on hover.
  const obs = S[0].calibration.filter(r => r.quantity === quantity);
  if (obs.length) {
    traces.push({ x: obs.map(r => r.year), y: obs.map(r => r.observed / scale), name: "observed",
      customdata: obs.map(r => r.observation), type: "scatter", mode: "markers",
      hovertemplate: `%{y:,.2f} ${unit} observed (%{customdata})`,
      marker: { symbol: "diamond", size: 10, color: "#111827" } });
    S.forEach((s, i) => {
      const m = s.calibration.filter(r => r.quantity === quantity);
      traces.push({ x: m.map(r => r.year), y: m.map(r => r.modelled / scale), name: "modelled, same scope" + suffix(s),
        customdata: m.map(r => r.observation), type: "scatter", mode: "markers",
        hovertemplate: `%{y:,.2f} ${unit} modelled (%{customdata})`,
        marker: { symbol: "diamond-open", size: 11, color: i ? "#0284c7" : "#111827", line: { width: 2 } } });
    });
  }
  styleKey(traces);
  plot(id, traces, baseLayout(`${unit} per year`, { updatemenus: scaleMenu() }));
}

function utilChart() {
  const traces = [];
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
  const keys = [...new Set(S.flatMap(s => s.key_assets.map(a => a.resource)))];
  S.forEach((s, i) => s.key_assets.forEach(a => {
    const colour = palette[keys.indexOf(a.resource) % palette.length];
    const label = a.label.length > 48 ? a.label.slice(0, 46) + "…" : a.label;
    compared(traces, i, a.resource, { x: a.years, y: a.util.map(u => 100 * u), name: label, type: "scatter", mode: "lines+markers",
      line: { color: colour, width: 2, dash: dashOf(i) }, hovertemplate: "%{y:.0f} %",
      marker: { size: a.binding.map(b => (b ? 10 : 4)), symbol: a.binding.map(b => (b ? "star" : "circle")), color: colour } });
  }));
  styleKey(traces);
  const layout = baseLayout("% of capacity used");
  layout.shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: 100, y1: 100, line: { color: "#b91c1c", width: 1, dash: "dot" } });
  layout.annotations = [{ xref: "paper", x: 0, y: 100, yanchor: "bottom", xanchor: "left", text: "capacity (★ = binding)", showarrow: false, font: { size: 10, color: "#b91c1c" } }];
  plot("chart-util", traces, layout);
}

function routeRows(s, field) {
  const r = currentRoute();
  return r ? s.corridors.filter(c => c.origin === r.origin && c.destination === r.destination && c.cargo === r.cargo && isNum(c[field])) : [];
}
const currentRoute = () => S.flatMap(s => s.routes).find(r => r.key === state.route);

function daysChart() {
  const traces = [];
  S.forEach((s, i) => {
    const rows = routeRows(s, "days");
    for (const c of [...new Set(rows.map(r => r.corridor))]) {
      const g = rows.filter(r => r.corridor === c);
      compared(traces, i, c, { x: g.map(r => r.year), y: g.map(r => r.days), name: corridorName(c), type: "scatter", mode: "lines",
        line: { color: corridorColour(c), width: 2.2, dash: dashOf(i) }, hovertemplate: "%{y:.1f} days (assignment)" });
    }
    const r = currentRoute();
    const sim = (s.sim || []).filter(k => r && k.cargo === r.cargo && isNum(k.median_days));
    for (const c of [...new Set(sim.map(k => k.corridor))]) {
      const g = sim.filter(k => k.corridor === c);
      // The simulated spread as a band: median (lower edge) to 90th percentile (upper edge).
      traces.push({ x: g.map(k => k.year), y: g.map(k => k.median_days), name: `${corridorName(c)}: simulated median` + suffix(s),
        type: "scatter", mode: "markers", marker: { symbol: "diamond", size: 9, color: corridorColour(c), line: { color: "#111", width: 1 } },
        legendgroup: "sim" + c + i, hovertemplate: "median %{y:.1f} d (simulated)" });
      traces.push({ x: g.map(k => k.year), y: g.map(k => (isNum(k.p90_days) ? k.p90_days : k.median_days)), name: `${corridorName(c)}: simulated median–p90 band` + suffix(s),
        type: "scatter", mode: "lines", fill: "tonexty", fillcolor: corridorColour(c) + "33", line: { color: corridorColour(c), width: 1, dash: "dot" },
        legendgroup: "sim" + c + i, hovertemplate: "p90 %{y:.1f} d (simulated)" });
    }
  });
  styleKey(traces);
  plot("chart-days", traces, baseLayout("days, door to door"));
}

function wrap(text, width = 12) {
  // Bar labels on two or three lines, so that every corridor keeps its label.
  const lines = [];
  for (const word of String(text).split(" ")) {
    if (lines.length && (lines[lines.length - 1] + " " + word).length <= width) lines[lines.length - 1] += " " + word;
    else lines.push(word);
  }
  return lines.join("<br>");
}

function barChart(id, field, yTitle, fmt) {
  const y = year(), traces = [];
  const all = S.map(s => routeRows(s, field).filter(r => r.year === y));
  const cats = [...new Set(all.flat().map(r => r.corridor))];
  all.forEach((rows, i) => {
    const byC = Object.fromEntries(rows.map(r => [r.corridor, r[field]]));
    traces.push({ x: cats.map(c => wrap(corridorName(c))), y: cats.map(c => byC[c] ?? null), type: "bar", name: S[i].label,
      marker: { color: CMP ? (i ? "#0ea5e9" : "#475569") : cats.map(corridorColour) },
      text: cats.map(c => (isNum(byC[c]) ? fmt(byC[c]) : "")), textposition: "outside", cliponaxis: false,
      hovertemplate: `%{x}: %{y:,.0f} ${yTitle}<extra>${esc(S[i].label)}</extra>` });
  });
  const layout = baseLayout(yTitle, { hovermode: "closest", showlegend: CMP, barmode: "group" });
  layout.xaxis = { linecolor: "#cbd2d9", tickfont: { size: 10.5 }, tickangle: 0, automargin: true };
  layout.margin.t = 22;
  layout.margin.b = 56;
  plot(id, traces, layout, false);
}

function crossingChart() {
  // The focus crossing's busiest way: carried as a line, capacity as the band's top edge,
  // so the shaded gap is the headroom.
  const traces = [];
  S.forEach((s, i) => {
    const rows = YEARS.map(y => crossingOf(s, y)[0]).filter(Boolean);
    if (!rows.length) return;
    const x = rows.map(r => r.year), tag = suffix(s), colour = i ? "#0369a1" : "#0f2744";
    traces.push({ x, y: rows.map(r => r.carried_t / 1e6), name: "carried, busiest way" + tag, type: "scatter", mode: "lines+markers",
      line: { color: colour, width: 2.4, dash: dashOf(i) }, marker: { size: 5 }, customdata: rows.map(r => r.way),
      hovertemplate: "%{y:,.2f} Mt carried (%{customdata})" });
    traces.push({ x, y: rows.map(r => r.capacity_t / 1e6), name: "capacity (headroom shaded)" + tag, type: "scatter", mode: "lines",
      fill: "tonexty", fillcolor: i ? "rgba(3,105,161,.10)" : "rgba(22,163,74,.14)", line: { color: i ? "#0369a1" : "#15803d", width: 1.5, dash: i ? "dash" : "solid" },
      customdata: rows.map(r => [r.headroom_t / 1e6, 100 * (r.used || 0)]),
      hovertemplate: "%{y:,.2f} Mt/yr capacity · headroom %{customdata[0]:,.2f} Mt · %{customdata[1]:.0f} % used" });
  });
  styleKey(traces);
  plot("chart-crossing", traces, baseLayout("Mt per year"));
}

function deltaChart() {
  // B − A by corridor in the chosen year: what the change moves, and where to.
  if (!CMP) return;
  const y = year(), by = (s, c) => s.volumes.filter(v => v.year === y && v.corridor === c).reduce((a, v) => a + v.tonnes, 0);
  const ids = [...new Set(S.flatMap(s => s.volumes.filter(v => v.year === y).map(v => v.corridor)))];
  const rows = ids.map(c => ({ c, d: (by(S[1], c) - by(S[0], c)) / 1e6 })).sort((a, b) => a.d - b.d);
  const ta = totalsOf(S[0], y) || {}, tb = totalsOf(S[1], y) || {};
  const extra = [[STUDY.focus_label, "focus_t"], ["captive cargo not carried", "unserved_t"], ["diverted by capacity", "diverted_t"]]
    .filter(([, k]) => isNum(ta[k]) && isNum(tb[k])).map(([name, k]) => ({ name, d: (tb[k] - ta[k]) / 1e6 }));
  const narrow = document.getElementById("chart-delta").clientWidth < 560;
  const names = [...rows.map(r => corridorName(r.c)), ...extra.map(e => "Σ " + e.name)].map(n => (narrow ? wrap(n, 16) : n));
  const vals = [...rows.map(r => r.d), ...extra.map(e => e.d)];
  const traces = [{ type: "bar", orientation: "h", y: names, x: vals, marker: { color: vals.map(v => (v > 0 ? UP : v < 0 ? DOWN : NO_CAP)) },
    text: vals.map(v => signed(v, x => NF2.format(x)) + " Mt"), textposition: "auto", insidetextanchor: "middle", cliponaxis: false,
    hovertemplate: "%{y}: %{x:+,.3f} Mt (B − A)<extra></extra>" }];
  const layout = baseLayout("", { hovermode: "closest", showlegend: false });
  layout.xaxis = { title: { text: `B − A, Mt in ${y}` }, zeroline: true, zerolinecolor: "#334155", gridcolor: "#eef0f3", automargin: true };
  layout.yaxis = { automargin: true, tickfont: { size: 11 } };
  layout.margin = { l: 10, r: 60, t: 10, b: 40 };
  const el = document.getElementById("chart-delta");
  el.style.height = Math.max(220, (narrow ? 44 : 34) * names.length + 70) + "px";
  plot("chart-delta", traces, layout, false);
}

function redrawYearCharts() {
  for (const id of ["chart-cost", "chart-co2", "chart-delta"]) {
    const k = CHARTS.findIndex(c => c.el.id === id);
    if (k >= 0) { Plotly.purge(CHARTS[k].el); CHARTS.splice(k, 1); }
  }
  barChart("chart-cost", "cost_usd_per_feu", "USD per FEU", v => "$" + NF0.format(v));
  barChart("chart-co2", "co2_kg_per_teu", "kg CO₂ per TEU", v => NF0.format(v) + " kg");
  deltaChart();
}

function drawCharts() {
  crossingChart();
  volumeChart("chart-tonnes", "tonnes", 1e6, "Mt", "tonnes");
  volumeChart("chart-teu", "teu", 1e3, "kTEU", "teu");
  utilChart();
  daysChart();
}

function markYear() {
  // A thin line at the chosen year on every time chart.
  for (const c of CHARTS.filter(c => c.timeline)) {
    const keep = (c.el.layout.shapes || []).filter(s => s.name !== "year");
    keep.push({ name: "year", type: "line", yref: "paper", y0: 0, y1: 1, x0: year(), x1: year(), line: { color: "#f59e0b", width: 2 }, layer: "below" });
    Plotly.relayout(c.el, { shapes: keep });
  }
}

function redrawRouteCharts() {
  for (const id of ["chart-days", "chart-cost", "chart-co2"]) {
    const i = CHARTS.findIndex(c => c.el.id === id);
    if (i >= 0) { Plotly.purge(CHARTS[i].el); CHARTS.splice(i, 1); }
  }
  daysChart();
  redrawYearCharts();
  markYear();
}
