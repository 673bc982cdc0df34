// The workbench: scenario and years, levers, runs, comparison and jobs, wired together.
import { api, esc, setStatus, showError } from "./api.js";
import { initJobs, restoreJobs, startSimulation, startSweep, studyWords } from "./jobs.js";
import { boundsOf, checkNumber, collectLevers, describeLevers, flatLevers, leverDef, leversValid, renderLevers, resetLevers, setLever, setLimits } from "./levers.js";
import { initRuns, restoreRuns, runAssessment, selectTab, viewState } from "./runs.js";

const $ = id => document.getElementById(id);
const S = { summary: null, limits: {}, typed: false };
const URL_KEYS = ["scenario", "first", "last", "from", "year", "run", "a", "b"];

function yearOptions(sel, first, last, value) {
  const ys = [];
  for (let y = first; y <= last; y++) ys.push(y);
  sel.innerHTML = ys.map(y => `<option value="${y}" ${y === value ? "selected" : ""}>${y}</option>`).join("");
}

function leversChanged() {
  // The run name follows the levers until the user types one.
  const levers = collectLevers(Number($("from-year").value));
  $("run-label").placeholder = describeLevers(levers);
  if (!S.typed) $("run-label").value = "";
  saveState();
}

// The page's state lives in the address, so a reload or a shared link shows the same thing:
// ?scenario=…&first=…&last=…&from=…&<lever>=6&year=2030&run=… (or &a=…&b=… to compare).
export function saveState() {
  if (!S.ready) return;  // not before the address has been read back
  const q = new URLSearchParams();
  q.set("scenario", $("scenario").value);
  q.set("first", $("first-year").value);
  q.set("last", $("last-year").value);
  q.set("from", $("from-year").value);
  const levers = collectLevers(Number($("from-year").value));
  for (const [k, v] of Object.entries(flatLevers(levers))) if (k !== "from_year" && v !== null) q.set(k, String(v));
  const v = viewState();
  if (v.year) q.set("year", String(v.year));
  if (v.kind === "compare") { q.set("a", v.a); q.set("b", v.b); } else if (v.kind === "run") q.set("run", v.id);
  const url = `${location.pathname}?${q}`;
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
}

function runnable() {
  // Run, Simulate and Sweep wait until every field holds a value the service accepts.
  const reps = checkNumber($("sim-reps").value, S.limits.replications || {}, "replications", "the replications");
  $("sim-reps").setAttribute("aria-invalid", reps.message ? "true" : "false");
  $("msg-sim-reps").textContent = reps.message || "";
  const sweep = sweepValues();
  $("sweep-values").setAttribute("aria-invalid", sweep.message ? "true" : "false");
  $("msg-sweep-values").textContent = sweep.message || "";
  const ok = leversValid();
  $("run").disabled = !ok || $("run").dataset.busy === "1";
  $("simulate").disabled = !ok || !!reps.message;
  $("sweep").disabled = !ok || !!sweep.message;
  $("levers-state").textContent = ok ? "" : "A lever holds a value the service would refuse: fix the marked field to run.";
}

function sweepValues() {
  const key = $("sweep-lever").value, d = leverDef(key) || {};
  const b = boundsOf(d);
  const most = (S.limits.sweep_values || {}).maxItems || 12;
  const parts = $("sweep-values").value.split(/[,;\s]+/).filter(Boolean);
  if (!parts.length) return { message: "enter one or more values, separated by commas" };
  if (parts.length > most) return { message: `at most ${most} values (the service's limit)` };
  const values = [];
  for (const t of parts) {
    const r = checkNumber(t, b, d.unit || "");
    if (r.message) return { message: `${t}: ${r.message}` };
    values.push(r.value);
  }
  return { values };
}

async function loadScenario(name) {
  const s = await api(`/api/scenarios/${encodeURIComponent(name)}`);
  S.summary = s;
  const q = new URLSearchParams(location.search);  // e.g. ?first=2025&last=2030 (a shared link)
  const inside = (v, d) => { const y = Number(v); return v !== null && y >= s.first_year && y <= s.last_year ? y : d; };
  const first = inside(q.get("first"), s.first_year), last = Math.max(first, inside(q.get("last"), s.last_year));
  $("scenario-note").textContent = `${s.counts.nodes} places · ${s.counts.links} links · ${s.counts.sea_services} sea services · ${s.counts.projects} projects · ${s.counts.sources} sources`;
  $("study-name").textContent = `${s.study.study_name} workbench`;
  document.title = `titr — ${s.study.study_name} workbench`;
  studyWords(s.study);
  $("scenario-note").title = s.description;
  yearOptions($("first-year"), s.first_year, s.last_year, first);
  yearOptions($("last-year"), s.first_year, s.last_year, last);
  yearOptions($("from-year"), s.first_year, s.last_year, inside(q.get("from"), s.default_from_year));
  yearOptions($("sim-year"), s.first_year, s.last_year, s.default_from_year);
  renderLevers(s, leversChanged);
  for (const [k, v] of q) if (!URL_KEYS.includes(k)) setLever(k, v);
  leversChanged();
  runnable();
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

function ran() {
  // After a run, the next one is named from the levers again.
  S.typed = false;
  $("run-label").value = "";
  saveState();
}

function drawer(open) {
  // On a phone the levers live in a drawer over the page; the button tells its state.
  document.body.classList.toggle("drawer-open", open);
  $("levers-toggle").setAttribute("aria-expanded", String(open));
  if (open) $("side").focus(); else if (document.activeElement && $("side").contains(document.activeElement)) $("levers-toggle").focus();
}

async function health() {
  const pill = $("server");
  try {
    const h = await api("/api/health");
    pill.textContent = `server ok · ${h.jobs_running} of ${h.max_jobs} jobs running`;
    pill.className = "pill " + (h.jobs_running >= h.max_jobs ? "busy" : "ok");
    $("version").textContent = h.version;
  } catch {
    pill.textContent = "server down";
    pill.className = "pill down";
  }
}

function wire() {
  $("run").addEventListener("click", () => { drawer(false); runAssessment(request()).then(ran); });
  $("run-label").addEventListener("input", () => { S.typed = $("run-label").value.trim() !== ""; });
  for (const id of ["sim-reps", "sweep-values", "sweep-lever"]) $(id).addEventListener("input", runnable);
  for (const id of ["first-year", "last-year"]) $(id).addEventListener("change", saveState);
  $("levers-toggle").addEventListener("click", () => drawer(!document.body.classList.contains("drawer-open")));
  $("levers-close").addEventListener("click", () => drawer(false));
  $("compare").addEventListener("click", () => drawer(false));
  document.addEventListener("keydown", e => { if (e.key === "Escape" && document.body.classList.contains("drawer-open")) drawer(false); });
  document.addEventListener("titr-state", saveState);
  document.addEventListener("titr-jobs", health);
  $("reset-levers").addEventListener("click", resetLevers);
  $("from-year").addEventListener("change", leversChanged);
  $("scenario").addEventListener("change", () => loadScenario($("scenario").value).catch(e => showError(e, "scenario")));
  $("tab-report").addEventListener("click", () => selectTab("report"));
  $("tab-jobs").addEventListener("click", () => selectTab("jobs"));
  $("simulate").addEventListener("click", () => {
    const r = request();
    drawer(false);
    startSimulation({ scenario: r.scenario, year: Number($("sim-year").value), replications: Number($("sim-reps").value),
      levers: r.levers, label: `Simulation ${$("sim-year").value} · ${r.label}` });
  });
  $("sweep").addEventListener("click", () => {
    const r = request();
    const vary = $("sweep-lever").value;
    drawer(false);
    const levers = { ...r.levers, study: { ...(r.levers.study || {}) } };
    delete levers[vary];
    delete levers.study[vary];
    if (String((leverDef(vary) || {}).applies || "").startsWith("from the what-if year")) levers.from_year = Number($("from-year").value);
    startSweep({ scenario: r.scenario, first_year: r.first_year, last_year: r.last_year, vary,
      values: sweepValues().values, levers, label: "" });
  });
}

async function main() {
  S.limits = await api("/api/limits");
  setLimits(S.limits.levers, runnable);
  $("sim-reps").max = String(S.limits.replications.maximum);
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
  const shown = await restoreRuns(new URLSearchParams(location.search));
  S.ready = true;
  if (!shown) await runAssessment(request());  // first visit (or runs gone): the levers as given
  saveState();
}

main().catch(e => { showError(e, "start"); setStatus("ERROR start: " + e.message); });
