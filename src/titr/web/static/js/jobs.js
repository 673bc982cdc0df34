// Background jobs: start, follow (progress), cancel, and show results. The job ids live in
// localStorage, so a reloaded page finds its jobs on the service again.
import { api, ApiError, clearError, esc, fmt, fmtT, isNum, showError } from "./api.js";
import { leverDef } from "./levers.js";
import { selectTab } from "./runs.js";

const STORE = "titr.jobs";
const J = { jobs: [], current: null, timer: null, metric: "focus_t" };
const $ = id => document.getElementById(id);
const METRICS = {
  focus_t: ["Tonnes across the focus crossing", fmtT],
  focus_teu: ["TEU across the focus crossing", v => fmt(v, 0) + " TEU"],
  focus_share: ["Focus corridor: share of the contestable cargo", v => fmt(100 * v, 1) + " %"],
  focus_days: ["Focus corridor: median days", v => fmt(v, 1) + " d"],
  diverted_t: ["Cargo diverted by capacity", fmtT],
  bottleneck_usd_per_t: ["Bottleneck shadow price, USD/t", v => "$" + fmt(v, 0)],
  co2_t: ["CO₂", v => fmtT(v) + " CO₂"],
};

// The headline's words come from the scenario's study (its focus label and name).
export function studyWords(st) {
  METRICS.focus_t[0] = `Tonnes ${st.focus_label}`;
  METRICS.focus_teu[0] = `TEU ${st.focus_label}`;
  METRICS.focus_share[0] = `${st.study_name}: share of the contestable cargo`;
  METRICS.focus_days[0] = `${st.study_name}: median days`;
}

function save() { localStorage.setItem(STORE, JSON.stringify(J.jobs.map(j => j.id))); }
const running = () => J.jobs.filter(j => j.state === "running");
const title = j => j.label || (j.kind === "simulation"
  ? `Simulation ${j.request.year}, ${j.request.replications} replications`
  : `Sweep of ${(leverDef(j.request.vary) || { label: j.request.vary }).label}`);

function renderList() {
  const tb = $("jobs");
  tb.innerHTML = J.jobs.length ? J.jobs.map(j => `<tr data-job="${esc(j.id)}" class="${J.current === j.id ? "current" : ""}">` +
    `<td>${esc(title(j))}<div class="muted small">${esc(j.id)}</div></td>` +
    `<td class="state-${esc(j.state)}">${esc(j.state)}</td>` +
    `<td><div class="bar-bg" role="progressbar" aria-label="progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(100 * j.progress)}"><div class="bar-fg" style="width:${Math.round(100 * j.progress)}%"></div></div>` +
    `<div class="muted small">${esc(j.message)} · ${Math.round(100 * j.progress)} %</div></td>` +
    `<td>${j.state === "running" ? `<button type="button" class="cancel" data-job="${esc(j.id)}">Cancel</button>` : ""}</td></tr>`).join("")
    : `<tr><td colspan="4" class="muted">No jobs yet.</td></tr>`;
  for (const tr of tb.querySelectorAll("tr[data-job]")) tr.addEventListener("click", () => showJob(tr.dataset.job));
  for (const b of tb.querySelectorAll("button.cancel")) {
    b.addEventListener("click", e => { e.stopPropagation(); cancel(b.dataset.job); });
  }
  const n = running().length;
  $("jobs-count").textContent = n ? `${n} running` : "";
}

function upsert(job) {
  const i = J.jobs.findIndex(j => j.id === job.id);
  if (i >= 0) J.jobs[i] = { ...J.jobs[i], ...job }; else J.jobs.unshift(job);
  J.jobs = J.jobs.slice(0, 30);
  save();
}

async function poll() {
  const live = running();
  for (const j of live) {
    try {
      const fresh = await api(`/api/jobs/${encodeURIComponent(j.id)}`);
      upsert(fresh);
      if (J.current === j.id) renderResult(fresh);  // progress and its message move together
      if (fresh.state === "failed") showError(errorOf(fresh), "job " + title(fresh));
    } catch (e) {
      if (e.status === 404) { J.jobs = J.jobs.filter(x => x.id !== j.id); save(); } else showError(e, "job");
    }
  }
  renderList();
  if (!running().length) { clearInterval(J.timer); J.timer = null; document.dispatchEvent(new Event("titr-jobs")); }
}

const errorOf = job => new ApiError(0, "job failed", job.error ? job.error.problems : []);

function follow() { if (!J.timer) J.timer = setInterval(poll, 800); }

async function start(path, request) {
  try {
    const job = await api(path, { json: request });
    clearError();
    upsert(job);
    J.current = job.id;
    renderList();
    renderResult(job);
    selectTab("jobs");
    follow();
    document.dispatchEvent(new Event("titr-jobs"));  // the header's running count
  } catch (e) {
    showError(e, path.endsWith("sweeps") ? "sweep" : "simulation");
  }
}

export const startSimulation = request => start("/api/jobs/simulations", request);
export const startSweep = request => start("/api/jobs/sweeps", request);

async function cancel(id) {
  try {
    upsert(await api(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" }));
    renderList();
    document.dispatchEvent(new Event("titr-jobs"));
    if (J.current === id) renderResult(J.jobs.find(j => j.id === id));
  } catch (e) { showError(e, "cancel"); }
}

async function showJob(id) {
  J.current = id;
  renderList();
  try {
    const job = await api(`/api/jobs/${encodeURIComponent(id)}`);
    upsert(job);
    renderResult(job);
  } catch (e) { showError(e, "job"); }
}

function table(rows, cols) {
  return `<div class="res-wrap"><table class="res"><thead><tr>${cols.map(([k, h, f]) => `<th class="${f ? "num" : ""}">${esc(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map(r => `<tr>${cols.map(([k, , f]) => `<td class="${f ? "num" : ""}">${f ? f(r[k]) : esc(r[k])}</td>`).join("")}</tr>`).join("") +
    "</tbody></table></div>";
}

function dl(job) {
  const d = job.downloads;
  if (!d) return "";
  return `<div class="dl">${Object.entries(d.csv).map(([t, u]) => `<a href="${u}" download>${esc(t)}.csv</a>`).join("")}` +
    `<a href="${d.duckdb}" download>results.duckdb</a></div>`;
}

function simResult(job) {
  const k = job.result.kpis;
  const rows = k.filter(r => isNum(r.median_days));
  const x = rows.map(r => `${r.corridor} · ${r.cargo}`);
  const err = (v, lo, hi) => ({ type: "data", symmetric: false, array: rows.map(r => (r[hi] ?? r[v]) - r[v]), arrayminus: rows.map(r => r[v] - (r[lo] ?? r[v])), thickness: 1 });
  const traces = [
    { type: "bar", name: "median", x, y: rows.map(r => r.median_days), marker: { color: "#1f77b4" }, error_y: err("median_days", "median_lo", "median_hi") },
    { type: "bar", name: "90th percentile", x, y: rows.map(r => r.p90_days), marker: { color: "#d62728" }, error_y: err("p90_days", "p90_lo", "p90_hi") },
  ];
  draw(traces, { barmode: "group", yaxis: { title: { text: "door-to-door days (95 % CI)" } }, xaxis: { tickangle: -25 } });
  const d1 = v => fmt(v, 1), d2 = v => fmt(v, 2);
  return table(k, [["corridor", "corridor"], ["cargo", "cargo"], ["units", "units/yr", v => fmt(v, 0)],
    ["median_days", "median d", d1], ["p90_days", "p90 d", d1], ["vessel_wait_days", "vessel wait d", d2],
    ["border_days", "border d", d2]]) +
    `<h3 style="margin-top:12px">Wait for a vessel</h3>` +
    table(job.result.port_waits, [["service", "service"], ["direction", "direction"], ["port", "port"],
      ["mean_days", "mean d", d2], ["p90_days", "p90 d", d2]]);
}

function sweepResult(job) {
  const pts = job.result.points, def = leverDef(job.request.vary) || { label: job.request.vary, unit: "" };
  const [name, f] = METRICS[J.metric];
  const years = [...new Set(pts.map(p => p.year))];
  const shown = years.length > 6 ? years.filter((y, i) => i % Math.ceil(years.length / 6) === 0 || i === years.length - 1) : years;
  const traces = shown.map(y => {
    const rows = pts.filter(p => p.year === y).sort((a, b) => a.value - b.value);
    return { type: "scatter", mode: "lines+markers", name: String(y), x: rows.map(r => r.value), y: rows.map(r => r[J.metric]),
      hovertemplate: `${y}: %{x} → %{y}<extra></extra>` };
  });
  draw(traces, { xaxis: { title: { text: `${def.label} (${def.unit})` } }, yaxis: { title: { text: name }, rangemode: "tozero" }, legend: { title: { text: "year" } } });
  const places = String(def.step || 1).split(".")[1]?.length || 0;
  return table(pts, [["value", def.label, v => fmt(v, places)], ["year", "year"], ["focus_t", "focus t", fmtT],
    ["focus_share", "middle share", METRICS.focus_share[1]], ["focus_days", "median d", v => fmt(v, 1)],
    ["diverted_t", "diverted", fmtT], ["bottleneck", "bottleneck"], ["bottleneck_usd_per_t", "shadow $/t", v => fmt(v, 0)]]);
}

function draw(traces, layout) {
  const el = document.getElementById("job-chart");
  if (!el || !window.Plotly) return;
  window.Plotly.newPlot(el, traces, { margin: { l: 60, r: 10, t: 10, b: 90 }, font: { size: 12 },
    legend: { orientation: "h", y: 1.1 }, ...layout }, {
    // offline: no logo, no cloud; PNG from the camera button, SVG from the added one
    displaylogo: false, responsive: true, showSendToCloud: false, showEditInChartStudio: false,
    modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "select2d", "lasso2d"],
    toImageButtonOptions: { format: "png", filename: "titr-job", scale: 2 },
    modeBarButtonsToAdd: [{ name: "Download plot as SVG", icon: window.Plotly.Icons.disk,
      click: gd => window.Plotly.downloadImage(gd, { format: "svg", filename: "titr-job" }) }] });
}

function renderResult(job) {
  if (!job) return;
  const box = $("job-result");
  const head = `<h3 id="job-title">${esc(title(job))} <span class="state-${esc(job.state)}">· ${esc(job.state)}</span></h3>`;
  if (job.state === "running") {
    box.innerHTML = head + `<p>${esc(job.message)} · ${Math.round(100 * job.progress)} % done</p><div class="bar-bg" style="width:100%"><div class="bar-fg" style="width:${Math.round(100 * job.progress)}%"></div></div>`;
    return;
  }
  if (job.state !== "done" || !job.result) {
    const why = job.error ? job.error.problems.map(p => `<li>${p.field ? `<code>${esc(p.field)}</code> ` : ""}${esc(p.message)}${p.fix ? ` — <i>fix:</i> ${esc(p.fix)}` : ""}</li>`).join("") : "";
    box.innerHTML = head + (why ? `<ul class="errors">${why}</ul>` : `<p class="muted">${esc(job.message)}</p>`);
    return;
  }
  const picker = job.kind === "sweep" ? `<label class="small">show <select id="sweep-metric">${Object.entries(METRICS).map(([k, [n]]) => `<option value="${k}" ${k === J.metric ? "selected" : ""}>${esc(n)}</option>`).join("")}</select></label>` : "";
  box.innerHTML = head + picker + `<div id="job-chart" class="chart"></div>` + dl(job) + `<div id="job-table"></div>`;
  $("job-table").innerHTML = job.kind === "simulation" ? simResult(job) : sweepResult(job);
  const sel = document.getElementById("sweep-metric");
  if (sel) sel.addEventListener("change", () => { J.metric = sel.value; renderResult(job); });
}

export async function restoreJobs() {
  const ids = JSON.parse(localStorage.getItem(STORE) || "[]");
  const found = await Promise.all(ids.map(id => api(`/api/jobs/${encodeURIComponent(id)}`).catch(() => null)));
  J.jobs = found.filter(Boolean);
  save();
  renderList();
  if (running().length) follow();
  return J.jobs.length;
}

export function initJobs() { renderList(); }
