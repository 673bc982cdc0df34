// Shared state, data access and formatting. The page draws everything from the JSON blob.
const D = JSON.parse(document.getElementById("titr-data").textContent);
const S = D.scenarios;            // one scenario, or two to compare (A, B)
const CMP = S.length === 2;
const YEARS = [...new Set(S.flatMap(s => s.years))].sort((a, b) => a - b);
// What is studied, in the scenario's own words (its [study] block): titles never name a corridor.
const STUDY = { study_name: "Focus corridor", focus_label: "across the focus crossing", focus_group: "middle", ...(S[0].study || {}) };
const capFirst = t => t.charAt(0).toUpperCase() + t.slice(1);
const state = { yi: 0, route: null, show: CMP ? "delta" : 0, labels: true, sort: {} };
const year = () => YEARS[state.yi];
const statusEl = document.getElementById("status");
const setStatus = text => { statusEl.textContent = text; };

const nf = (d) => new Intl.NumberFormat("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const NF0 = nf(0), NF1 = nf(1), NF2 = nf(2);
const isNum = v => typeof v === "number" && isFinite(v);
const dash = "–";

function esc(v) {
  return String(v ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function fmtT(t) {           // tonnes, with a unit chosen for the size
  if (!isNum(t)) return dash;
  const a = Math.abs(t);
  if (a < 0.5) return "0 t";
  if (a >= 1e6) return (a >= 1e8 ? NF0 : NF2).format(t / 1e6) + " Mt";
  if (a >= 1e3) return NF0.format(t / 1e3) + " kt";
  return NF0.format(t) + " t";
}
function fmtTEU(x) {
  if (!isNum(x)) return dash;
  return Math.abs(x) >= 1e3 ? NF1.format(x / 1e3) + " kTEU" : NF0.format(x) + " TEU";
}
const fmtPct = (u, d = 0) => isNum(u) ? nf(d).format(100 * u) + " %" : dash;
const fmtUSD = x => isNum(x) ? "$" + (Math.abs(x) >= 100 ? NF0 : NF1).format(x) : dash;
const fmtNum = (x, d = 1) => isNum(x) ? nf(d).format(x) : dash;
// A change too small to show in the format reads "no change", never "+0.0 %".
const signed = (x, f) => !isNum(x) ? dash : Math.abs(x) < 1e-9 || f(Math.abs(x)) === f(0) ? "±0" : (x > 0 ? "+" : "−") + f(Math.abs(x));

// Utilisation colour: green → yellow → orange → red; stops shared with the legend ramp.
const UTIL_STOPS = [[0, [43, 147, 72]], [0.6, [242, 193, 78]], [0.85, [243, 114, 44]], [1, [193, 18, 31]]];
const NO_CAP = "#6b7280", FUTURE = "#9ca3af", UP = "#b2182b", DOWN = "#2166ac";
function utilColour(u) {
  if (!isNum(u)) return NO_CAP;
  const x = Math.max(0, Math.min(1, u));
  for (let i = 1; i < UTIL_STOPS.length; i++) {
    const [x1, c1] = UTIL_STOPS[i], [x0, c0] = UTIL_STOPS[i - 1];
    if (x <= x1) {
      const f = (x - x0) / (x1 - x0);
      return "rgb(" + c0.map((c, k) => Math.round(c + f * (c1[k] - c))).join(",") + ")";
    }
  }
  return "rgb(193,18,31)";
}
const utilRamp = () => "linear-gradient(to right," +
  UTIL_STOPS.map(([x, c]) => `rgb(${c.join(",")}) ${100 * x}%`).join(",") + ")";

// Lookups shared by the map, charts and tables.
const sourceTitles = {};
for (const s of S) for (const src of s.sources) {
  sourceTitles[src.id] = [src.title, src.publisher, src.date].filter(Boolean).join(", ");
}
function tags(list) {
  if (typeof list === "string") return `<span class="tag assume">${esc(list)}</span>`;
  return (list || []).map(t => `<span class="tag" title="${esc(sourceTitles[t] || "")}">${esc(t)}</span>`).join("");
}
const corridorStyle = {};
for (const s of S) for (const [id, st] of Object.entries(s.corridor_styles)) corridorStyle[id] ??= st;
const corridorName = id => (corridorStyle[id] && corridorStyle[id].name) || id;
const corridorColour = id => (corridorStyle[id] && corridorStyle[id].color) || "#888";
const nodeName = {}, shortName = {};
for (const s of S) for (const n of s.nodes) { nodeName[n.id] ??= n.name; shortName[n.id] ??= n.short || n.name; }
const totalsOf = (s, y) => s.totals.find(t => t.year === y);
const bottleneckOf = (s, y) => s.headline.find(b => b.year === y);
const edgeCell = (s, y, id) => (s.edge_years[y] || {})[id];
const hasEdge = (s, id) => s.edges.some(e => e.id === id);
// The focus crossing in a year, its busiest way first (carried vs capacity, headroom).
const crossingOf = (s, y) => (s.crossing || []).filter(c => c.year === y);
const wayOf = label => ((String(label || "").match(/\(([^()]*→[^()]*)\)$/) || [])[1] || String(label || ""));
// Simulated door-to-door days of the focus group's containers: the range p50 … p90.
function simRange(s, y) {
  const rows = (s.sim || []).filter(k => k.year === y && k.cargo === "container" && isNum(k.median_days) &&
    (corridorStyle[k.corridor] || {}).group === STUDY.focus_group);
  if (!rows.length) return null;
  return { lo: Math.min(...rows.map(k => k.median_days)), hi: Math.max(...rows.map(k => isNum(k.p90_days) ? k.p90_days : k.median_days)) };
}

// Tables and charts leave the page as files: CSV built here, written through a blob: URL.
function csvCell(v) {
  const t = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
}
function download(name, text, type = "text/csv;charset=utf-8") {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
}
const slug = t => String(t).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
