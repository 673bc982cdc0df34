// Assessment runs: run, list, pick A and B, and show a run or the comparison in the report view.
import { api, ApiError, clearError, esc, fmt, fmtT, setStatus, showError } from "./api.js";
import { describeLevers } from "./levers.js";

const STORE = "titr.runs", VIEW = "titr.view";
const R = { runs: [], a: null, b: null, view: null, year: null, busy: false, onYear: () => {} };
const $ = id => document.getElementById(id);
const frame = () => $("view");

function save() {
  localStorage.setItem(STORE, JSON.stringify(R.runs.map(r => r.id)));
  localStorage.setItem(VIEW, JSON.stringify({ view: R.view, a: R.a, b: R.b }));
  document.dispatchEvent(new Event("titr-state"));  // the address follows (main.js)
}

// What the address keeps of the view: the run or the pair compared, and the year shown.
export const viewState = () => ({ ...(R.view || {}), year: R.year });

const runName = r => r.label || describeLevers(r.levers);
const years = r => `${r.years[0]}–${r.years[r.years.length - 1]}`;

function renderRuns() {
  const ol = $("runs");
  if (!R.runs.length) {
    ol.innerHTML = `<li class="empty">No runs yet — set the levers and run an assessment.</li>`;
  } else {
    ol.innerHTML = R.runs.map(r => {
      const cur = R.view && R.view.kind === "run" && R.view.id === r.id;
      return `<li data-run="${esc(r.id)}" class="${cur ? "current" : ""}" title="show this run">` +
        `<input type="radio" name="run-a" value="${esc(r.id)}" aria-label="A" ${R.a === r.id ? "checked" : ""}>` +
        `<input type="radio" name="run-b" value="${esc(r.id)}" aria-label="B" ${R.b === r.id ? "checked" : ""}>` +
        `<div><div class="name">${esc(runName(r))}</div><div class="meta">${esc(r.scenario)} · ${years(r)}</div></div>` +
        `<span class="meta">${R.a === r.id ? '<span class="tag a">A</span>' : ""}${R.b === r.id ? '<span class="tag b">B</span>' : ""}</span></li>`;
    }).join("");
    ol.insertAdjacentHTML("afterbegin", `<li class="empty" style="display:grid;grid-template-columns:22px 22px 1fr;cursor:default"><span class="ab">A</span><span class="ab">B</span><span></span></li>`);
  }
  for (const li of ol.querySelectorAll("li[data-run]")) {
    li.addEventListener("click", e => { if (e.target.tagName !== "INPUT") showRun(li.dataset.run); });
  }
  for (const inp of ol.querySelectorAll("input[type=radio]")) {
    inp.addEventListener("change", () => {
      if (inp.name === "run-a") R.a = inp.value; else R.b = inp.value;
      save(); renderRuns();
    });
  }
  const ok = R.a && R.b && R.a !== R.b;
  $("compare").disabled = !ok;
  $("compare-hint").textContent = ok ? "" : R.a && R.a === R.b ? "A and B are the same run" : "pick A and B";
}

function addRun(run) {
  R.runs = [run, ...R.runs.filter(r => r.id !== run.id)].slice(0, 30);
  if (!R.a) R.a = run.id; else if (!R.b && R.a !== run.id) R.b = run.id;
  save();
  renderRuns();
}

function busy(on, text = "") {
  // While a run computes, the previous result stays in view, dimmed, under a clear notice.
  R.busy = on;
  $("run").dataset.busy = on ? "1" : "";
  $("run").disabled = on;
  $("view-wrap").classList.toggle("busy", on);
  $("view-wrap").setAttribute("aria-busy", String(on));
  $("view-busy").hidden = !on;
  $("view-busy-text").textContent = text;
}

export async function runAssessment(request) {
  if (R.busy) return;
  busy(true, `Assessing “${request.label}”… the report below is the previous result.`);
  $("run-state").textContent = "assessing…";
  setStatus("running");
  const t0 = performance.now();
  try {
    const out = await api("/api/assessments", { json: request });
    clearError();
    $("run-state").textContent = `${out.cached ? "answered from a previous identical run" : `assessed ${out.years.length} years in ${fmt(out.seconds, 1)} s`} · ${fmt((performance.now() - t0) / 1000, 1)} s in all`;
    addRun(out);
    await showRun(out.id, request.levers.from_year || null);
  } catch (e) {
    $("run-state").textContent = "the run failed — see the message above";
    showError(e, "assessment");
  } finally {
    busy(false);
  }
}

function rememberYear() {
  try {
    const label = frame().contentDocument.getElementById("year-label");
    if (label && label.textContent) R.year = Number(label.textContent);
  } catch { /* not loaded yet */ }
}

function load(url, what, focus = null) {
  // The year stays where the reader put it; a first view of a what-if opens on its year.
  if (!R.year && focus) R.year = focus;
  if (R.year) url += `?year=${R.year}`;
  $("view-wait").hidden = false;
  $("view-wait-text").textContent = `drawing the report of ${what}…`;
  setStatus("loading view");
  return new Promise(resolve => {
    const f = frame();
    f.onload = () => {
      $("view-wait").hidden = true;
      const doc = f.contentDocument;
      const status = doc && doc.getElementById("status");
      if (!status) {  // the service answered with an error instead of a page
        let err;
        try {
          const data = JSON.parse(doc.body.innerText);
          err = new ApiError(0, data.error, data.problems || []);
        } catch { err = new Error(`the view of ${what} did not load`); }
        showError(err, "report view");
        resolve(false);
        return;
      }
      if (status.textContent.startsWith("ERROR")) {
        showError(new Error(status.textContent), "report view");
        resolve(false);
        return;
      }
      rememberYear();
      const slider = doc.getElementById("year");
      if (slider) slider.addEventListener("input", () => { rememberYear(); R.onYear(); save(); });
      R.onYear();
      save();
      setStatus(`ok ${what} · ${status.textContent}`);
      resolve(true);
    };
    f.src = url;
  });
}

function downloads(run, tag = "") {
  const d = run.downloads;
  if (!d) return "";
  const y = R.year && run.years.includes(R.year) ? R.year : run.years[run.years.length - 1];
  const t = tag ? `<span class="tag ${tag.toLowerCase()}">${tag}</span>` : "";
  return `${t}<a href="${d.csv.totals}" download>totals.csv</a><a href="${d.csv.flows}" download>flows.csv</a>` +
    `<a href="${d.csv.utilisation}" download>utilisation.csv</a><a href="${d.geojson}?year=${y}" download title="network and flows of ${y}">${y}.geojson</a>` +
    `<a href="${d.duckdb}" download>results.duckdb</a>`;
}

export async function showRun(id, focus = null) {
  const run = R.runs.find(r => r.id === id);
  if (!run) return;
  R.view = { kind: "run", id };
  save(); renderRuns();
  $("diff").hidden = true;
  $("context").innerHTML = `<b>${esc(runName(run))}</b> <span class="muted">· ${esc(run.scenario)} · ${years(run)}</span>`;
  R.onYear = () => { $("downloads").innerHTML = downloads(run); };
  R.onYear();
  selectTab("report");
  await load(`/view/${encodeURIComponent(id)}`, `run ${id}`, focus);
}

function diffTable(cmp) {
  const ra = R.runs.find(r => r.id === cmp.a.id), rb = R.runs.find(r => r.id === cmp.b.id);
  const levers = cmp.levers.length ? cmp.levers.map(l => `<tr><td>${esc(l.lever)}</td><td>${esc(l.a ?? "plan")}</td><td>${esc(l.b ?? "plan")}</td></tr>`).join("")
    : `<tr><td colspan="3" class="muted">same levers</td></tr>`;
  // The year where A and B differ most (relative change summed over the measures).
  const score = {};
  for (const r of cmp.rows) {
    if (r.diff === null || r.a === null || r.b === null) continue;
    score[r.year] = (score[r.year] || 0) + Math.abs(r.diff) / Math.max(Math.abs(r.a), Math.abs(r.b), 1e-9);
  }
  const years = Object.keys(score).map(Number);
  const last = years.length ? years.reduce((a, b) => (score[b] > score[a] + 1e-12 ? b : a)) : Math.max(...cmp.rows.map(r => r.year));
  const pick = (m, f) => {
    const r = cmp.rows.find(x => x.year === last && x.metric === m);
    if (!r) return "";
    const d = r.diff, shown = d === null ? "–" : f(Math.abs(d)) === f(0) ? "±0" : (d > 0 ? "+" : "−") + f(Math.abs(d));
    return `<tr><td>${esc(m.replace(/_/g, " "))}, ${last}</td><td>${f(r.a)}</td><td>${f(r.b)}</td>` +
      `<td class="${shown === "±0" ? "" : d > 0 ? "up" : d < 0 ? "down" : ""}">${shown}</td></tr>`;
  };
  const pct = v => v === null ? "–" : fmt(100 * v, 1) + " %";
  return `<table><tr><th>lever</th><th><span class="tag a">A</span>${esc(ra ? runName(ra) : cmp.a.id)}</th><th><span class="tag b">B</span>${esc(rb ? runName(rb) : cmp.b.id)}</th></tr>${levers}</table>` +
    `<table style="margin-top:6px"><tr><th>result</th><th>A</th><th>B</th><th>B − A</th></tr>` +
    pick("focus_t", fmtT) + pick("focus_share", pct) + pick("focus_days", v => v === null ? "–" : fmt(v, 1) + " d") +
    pick("diverted_t", fmtT) + "</table>";
}

export async function compareAB(year = null) {
  if (!(R.a && R.b)) return;
  R.year = year;  // a comparison opens where A and B differ most, unless the address says
  try {
    const cmp = await api(`/api/compare?a=${encodeURIComponent(R.a)}&b=${encodeURIComponent(R.b)}`);
    clearError();
    R.view = { kind: "compare", a: R.a, b: R.b };
    save(); renderRuns();
    const ra = R.runs.find(r => r.id === R.a), rb = R.runs.find(r => r.id === R.b);
    $("context").innerHTML = `<span class="tag a">A</span><b>${esc(runName(ra))}</b> <span class="muted">vs</span> <span class="tag b">B</span><b>${esc(runName(rb))}</b>`;
    R.onYear = () => { $("downloads").innerHTML = `<a href="${ra.downloads.duckdb}" download>A.duckdb</a><a href="${rb.downloads.duckdb}" download>B.duckdb</a>`; };
    R.onYear();
    $("diff").innerHTML = diffTable(cmp);
    $("diff").hidden = false;
    selectTab("report");
    await load(cmp.view, `compare ${R.a} ${R.b}`);
  } catch (e) {
    showError(e, "comparison");
  }
}

export function selectTab(name) {
  for (const t of ["report", "jobs"]) {
    $(`tab-${t}`).classList.toggle("on", t === name);
    $(`tab-${t}`).setAttribute("aria-selected", String(t === name));
    $(`pane-${t}`).hidden = t !== name;
  }
}

// Back after a reload: the runs this browser made that the service still keeps, and the
// view the address names (?run=… or ?a=…&b=…, and ?year=…) before the one last stored.
export async function restoreRuns(q = new URLSearchParams()) {
  const asked = ["run", "a", "b"].map(k => q.get(k)).filter(Boolean);
  const ids = [...new Set([...asked, ...JSON.parse(localStorage.getItem(STORE) || "[]")])];
  const kept = JSON.parse(localStorage.getItem(VIEW) || "{}");
  const found = await Promise.all(ids.map(id => api(`/api/assessments/${encodeURIComponent(id)}`).catch(() => null)));
  R.runs = found.filter(Boolean);
  const has = id => R.runs.some(r => r.id === id);
  const year = Number(q.get("year")) || null;
  if (asked.length) {  // a shared link: its view or, if the service no longer has it, a fresh run
    if (has(q.get("a")) && has(q.get("b"))) {
      R.a = q.get("a"); R.b = q.get("b"); renderRuns();
      await compareAB(year); return true;
    }
    R.year = year;
    if (has(q.get("run"))) { renderRuns(); await showRun(q.get("run")); return true; }
    renderRuns();
    return false;
  }
  R.a = has(kept.a) ? kept.a : null;
  R.b = has(kept.b) ? kept.b : null;
  renderRuns();
  const v = kept.view;
  if (v && v.kind === "compare" && has(v.a) && has(v.b)) { await compareAB(); return true; }
  if (v && v.kind === "run" && has(v.id)) { await showRun(v.id); return true; }
  if (R.runs.length) { await showRun(R.runs[0].id); return true; }
  return false;
}

export function initRuns() {
  $("compare").addEventListener("click", () => compareAB());
  renderRuns();
}
