// The lever controls, drawn from the scenario's lever catalogue (GET /api/scenarios/{name}).
// A lever counts only once the user moves it away from the scenario's plan.
import { esc, fmt } from "./api.js";

const STRUCTURAL = ["kz_ferries", "aktau_container_teu", "closed_corridor"];
const SHORT = {
  kz_ferries: v => `${v} KZ ferries`,
  aktau_container_teu: v => `Aktau ${fmt(v / 1000, 0)}k TEU`,
  storm_events: v => `${fmt(v, 1)} storms/yr`,
  market_factor: v => `market ×${fmt(v, 2)}`,
  co2_price: v => `CO₂ $${fmt(v, 0)}/t`,
  closed_corridor: v => `${v} closed`,
};
const L = { defs: [], values: {}, changed: new Set(), onChange: () => {} };

const decimals = step => (String(step).split(".")[1] || "").length;
const show = (d, v) => d.key === "aktau_container_teu" ? fmt(v, 0) : fmt(v, decimals(d.step));

function numericRow(d) {
  const lo = Math.min(d.min, d.base), hi = Math.max(d.max, d.base);
  const row = document.createElement("div");
  row.className = "lever";
  row.dataset.key = d.key;
  row.innerHTML = `<div class="head"><span class="name">${esc(d.label)}</span>` +
    `<span class="val"><span class="v"></span><span class="unit">${esc(d.unit)}</span></span></div>` +
    `<div class="ctl"><input type="range" min="${lo}" max="${hi}" step="${d.step}" aria-label="${esc(d.label)}">` +
    `<input type="number" min="${lo}" max="${hi}" step="${d.step}" aria-label="${esc(d.label)} value"></div>` +
    `<div class="hint"><span>plan: ${esc(show(d, d.base))} ${esc(d.unit)}${d.planned ? " · " + esc(d.planned) : ""}` +
    ` · ${esc(d.applies)}</span><button class="link reset" type="button" title="back to the plan">reset</button></div>`;
  const range = row.querySelector("input[type=range]"), num = row.querySelector("input[type=number]");
  const set = (v, fromUser) => {
    if (!isFinite(v)) return;
    L.values[d.key] = v;
    range.value = String(v);
    if (document.activeElement !== num || !fromUser) num.value = String(v);
    row.querySelector(".v").textContent = show(d, v);
    const changed = Math.abs(v - d.base) > 1e-9;
    row.classList.toggle("changed", changed);
    if (changed) L.changed.add(d.key); else L.changed.delete(d.key);
    if (fromUser) L.onChange();
  };
  range.addEventListener("input", () => set(Number(range.value), true));
  num.addEventListener("change", () => set(Math.min(hi, Math.max(lo, Number(num.value))), true));
  row.querySelector(".reset").addEventListener("click", () => set(d.base, true));
  row.reset = () => set(d.base, false);
  row.set = v => set(v, true);
  set(d.base, false);
  return row;
}

function choiceRow(d) {
  const row = document.createElement("div");
  row.className = "lever";
  row.dataset.key = d.key;
  const opts = [`<option value="">none — every corridor open</option>`,
    ...(d.options || []).map(o => `<option value="${esc(o.id)}">${esc(o.name)}</option>`)];
  row.innerHTML = `<div class="head"><span class="name">${esc(d.label)}</span><span class="val"><span class="v"></span></span></div>` +
    `<div class="ctl"><select aria-label="${esc(d.label)}">${opts.join("")}</select></div>` +
    `<div class="hint"><span>${esc(d.applies)}; its traffic chooses another route</span>` +
    `<button class="link reset" type="button">reset</button></div>`;
  const sel = row.querySelector("select");
  const set = (v, fromUser) => {
    sel.value = v;
    L.values[d.key] = v || null;
    row.querySelector(".v").textContent = v ? "closed" : "";
    row.classList.toggle("changed", !!v);
    if (v) L.changed.add(d.key); else L.changed.delete(d.key);
    if (fromUser) L.onChange();
  };
  sel.addEventListener("change", () => set(sel.value, true));
  row.querySelector(".reset").addEventListener("click", () => set("", true));
  row.reset = () => set("", false);
  row.set = v => set(v, true);
  set("", false);
  return row;
}

export function renderLevers(summary, onChange) {
  L.defs = summary.levers;
  L.values = {};
  L.changed = new Set();
  L.onChange = onChange;
  const box = document.getElementById("levers");
  box.innerHTML = "";
  for (const d of L.defs) box.appendChild(d.options ? choiceRow(d) : numericRow(d));
  const sweep = document.getElementById("sweep-lever");
  sweep.innerHTML = L.defs.filter(d => !d.options)
    .map(d => `<option value="${esc(d.key)}">${esc(d.label)}</option>`).join("");
}

export function resetLevers() {
  for (const row of document.querySelectorAll("#levers .lever")) row.reset();
  L.onChange();
}

export function setLever(key, value) {
  const row = document.querySelector(`#levers .lever[data-key="${key}"]`);
  if (row) row.set(value);
}

export function leverDef(key) { return L.defs.find(d => d.key === key); }

// The levers the user changed, as the API takes them (the what-if year only if it matters).
export function collectLevers(fromYear) {
  const out = {};
  for (const key of L.changed) out[key] = L.values[key];
  if (STRUCTURAL.some(k => k in out)) out.from_year = fromYear;
  return out;
}

export function describeLevers(levers) {
  const parts = Object.entries(levers).filter(([k]) => SHORT[k]).map(([k, v]) => SHORT[k](v));
  if (!parts.length) return "Plan";
  const when = levers.from_year && STRUCTURAL.some(k => k in levers) ? ` from ${levers.from_year}` : "";
  return parts.join(" · ") + when;
}
