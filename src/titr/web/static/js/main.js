// The workbench: scenario and years, levers, runs, comparison and jobs, wired together.
import { api, esc, setStatus, showError } from "./api.js";
import { initJobs, restoreJobs, startSimulation, startSweep } from "./jobs.js";
import { collectLevers, describeLevers, renderLevers, resetLevers } from "./levers.js";
import { initRuns, restoreRuns, runAssessment, selectTab } from "./runs.js";

const $ = id => document.getElementById(id);
const S = { summary: null };

function yearOptions(sel, first, last, value) {
  const ys = [];
  for (let y = first; y <= last; y++) ys.push(y);
  sel.innerHTML = ys.map(y => `<option value="${y}" ${y === value ? "selected" : ""}>${y}</option>`).join("");
}

function leversChanged() {
  const levers = collectLevers(Number($("from-year").value));
  $("run-label").placeholder = describeLevers(levers);
}

async function loadScenario(name) {
  const s = await api(`/api/scenarios/${encodeURIComponent(name)}`);
  S.summary = s;
  const q = new URLSearchParams(location.search);  // e.g. ?first=2025&last=2030 (a shared link)
  const inside = (v, d) => { const y = Number(v); return y >= s.first_year && y <= s.last_year ? y : d; };
  const first = inside(q.get("first"), s.first_year), last = Math.max(first, inside(q.get("last"), s.last_year));
  $("scenario-note").textContent = `${s.counts.nodes} places · ${s.counts.links} links · ${s.counts.sea_services} Caspian services · ${s.counts.projects} projects · ${s.counts.sources} sources`;
  $("scenario-note").title = s.description;
  yearOptions($("first-year"), s.first_year, s.last_year, first);
  yearOptions($("last-year"), s.first_year, s.last_year, last);
  yearOptions($("from-year"), s.first_year, s.last_year, s.default_from_year);
  yearOptions($("sim-year"), s.first_year, s.last_year, s.default_from_year);
  renderLevers(s, leversChanged);
  leversChanged();
}

function request() {
  const levers = collectLevers(Number($("from-year").value));
  return {
    scenario: $("scenario").value,
    first_year: Number($("first-year").value),
    last_year: Number($("last-year").value),
    levers,
    label: $("run-label").value.trim() || describeLevers(levers),
  };
}

function parseValues(text) {
  return text.split(/[,;\s]+/).filter(Boolean).map(Number);
}

async function health() {
  const pill = $("server");
  try {
    const h = await api("/api/health");
    pill.textContent = `server ok · jobs ${h.jobs_running}/${h.max_jobs}`;
    pill.className = "pill " + (h.jobs_running >= h.max_jobs ? "busy" : "ok");
    $("version").textContent = h.version;
  } catch {
    pill.textContent = "server down";
    pill.className = "pill down";
  }
}

function wire() {
  $("run").addEventListener("click", () => runAssessment(request()));
  $("reset-levers").addEventListener("click", resetLevers);
  $("from-year").addEventListener("change", leversChanged);
  $("scenario").addEventListener("change", () => loadScenario($("scenario").value).catch(e => showError(e, "scenario")));
  $("tab-report").addEventListener("click", () => selectTab("report"));
  $("tab-jobs").addEventListener("click", () => selectTab("jobs"));
  $("simulate").addEventListener("click", () => {
    const r = request();
    startSimulation({ scenario: r.scenario, year: Number($("sim-year").value), replications: Number($("sim-reps").value),
      levers: r.levers, label: `Simulation ${$("sim-year").value} · ${r.label}` });
  });
  $("sweep").addEventListener("click", () => {
    const r = request();
    const vary = $("sweep-lever").value;
    const levers = { ...r.levers };
    delete levers[vary];
    if (vary === "kz_ferries" || vary === "aktau_container_teu") levers.from_year = Number($("from-year").value);
    startSweep({ scenario: r.scenario, first_year: r.first_year, last_year: r.last_year, vary,
      values: parseValues($("sweep-values").value), levers, label: "" });
  });
}

async function main() {
  wire();
  initRuns();
  initJobs();
  health();
  setInterval(health, 3000);
  const names = await api("/api/scenarios");
  $("scenario").innerHTML = names.map(n => `<option value="${esc(n.id)}" title="${esc(n.description)}">${esc(n.name)}</option>`).join("");
  const wanted = new URLSearchParams(location.search).get("scenario");
  if (wanted && names.some(n => n.id === wanted)) $("scenario").value = wanted;
  await loadScenario($("scenario").value);
  await restoreJobs();
  const shown = await restoreRuns();
  if (!shown) await runAssessment(request());  // first visit: the scenario as planned
}

main().catch(e => { showError(e, "start"); setStatus("ERROR start: " + e.message); });
