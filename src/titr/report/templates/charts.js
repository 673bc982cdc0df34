// The charts (plotly.js): volumes against the observed series, utilisation of key assets,
// door-to-door days, cost per FEU and CO2 per TEU.
const CHARTS = [];
const PLOT_CONFIG = { displaylogo: false, responsive: true,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"] };
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

function plot(id, traces, layout, timeline = true) {
  const el = document.getElementById(id);
  if (timeline) layout.xaxis.dtick = YEARS.length > 12 ? 2 : 1;
  Plotly.newPlot(el, traces, layout, PLOT_CONFIG);
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
      traces.push({ x: g.map(k => k.year), y: g.map(k => k.median_days), name: `${corridorName(c)}: simulated median, p90` + suffix(s),
        type: "scatter", mode: "markers", marker: { symbol: "diamond", size: 10, color: corridorColour(c), line: { color: "#111", width: 1 } },
        error_y: { type: "data", symmetric: false, array: g.map(k => (isNum(k.p90_days) ? k.p90_days - k.median_days : 0)), arrayminus: g.map(() => 0), color: corridorColour(c), thickness: 1.5, width: 6 },
        customdata: g.map(k => k.p90_days), hovertemplate: "median %{y:.1f} d · p90 %{customdata:.1f} d (simulated)" });
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

function drawCharts() {
  volumeChart("chart-tonnes", "tonnes", 1e6, "Mt", "tonnes");
  volumeChart("chart-teu", "teu", 1e3, "kTEU", "teu");
  utilChart();
  daysChart();
  barChart("chart-cost", "cost_usd_per_feu", "USD per FEU", v => "$" + NF0.format(v));
  barChart("chart-co2", "co2_kg_per_teu", "kg CO₂ per TEU", v => NF0.format(v) + " kg");
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
  barChart("chart-cost", "cost_usd_per_feu", "USD per FEU", v => "$" + NF0.format(v));
  barChart("chart-co2", "co2_kg_per_teu", "kg CO₂ per TEU", v => NF0.format(v) + " kg");
  markYear();
}
