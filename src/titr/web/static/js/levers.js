// The lever controls, drawn from the scenario's lever catalogue (GET /api/scenarios/{name}).
// A lever counts only once the user moves it away from the scenario's plan.
import { esc, fmt } from "./api.js";

// Which levers exist comes from the scenario (its [study] block) plus three every scenario has.
const SHORT = {
  market_factor: v => `market ×${fmt(v, 2)}`,
  co2_price: v => `CO₂ $${fmt(v, 0)}/t`,
  closed_corridor: v => `${v} closed`,
};
const fromYear = d => !!d && String(d.applies || "").startsWith("from the what-if year");
const L = { defs: [], values: {}, changed: new Set(), invalid: new Set(), limits: {}, onChange: () => {}, onValidity: () => {} };

// The bounds come from the service (GET /api/limits, read from its request model): the page
// refuses exactly what the API would, with a message beside the field.
export function setLimits(limits, onValidity) { L.limits = limits || {}; L.onValidity = onValidity; }
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
export function checkNumber(text, b, unit = "", what = "a number") {
  const t = String(text).trim();
  if (!t) return { message: `enter ${what}` };
  if (!NUMBER.test(t)) return { message: `“${t}” is not a number: type digits, e.g. ${b.minimum ?? 1}` };
  const v = Number(t);
  if (b.type === "integer" && !Number.isInteger(v)) return { message: `whole ${unit || "numbers"} only: ${Math.floor(v)} or ${Math.ceil(v)}` };
  if (isFinite(b.minimum) && v < b.minimum) return { message: `at least ${fmt(b.minimum, decimals(b.minimum))} ${unit}`.trim() };
  if (isFinite(b.maximum) && v > b.maximum) return { message: `at most ${fmt(b.maximum, decimals(b.maximum))} ${unit} (the service's limit)`.trim() };
  return { value: v };
}

const decimals = step => (String(step).split(".")[1] || "").length;
const show = (d, v) => fmt(v, decimals(d.step));
// A lever's bounds: the API's own for its fields, the scenario's range for a study lever.
export const boundsOf = d => (d.study ? { minimum: d.min, maximum: d.max, type: d.integer ? "integer" : "number" }
  : L.limits[d.key] || { minimum: d.min, maximum: d.max });

function numericRow(d) {
  const b = boundsOf(d);
  const clip = v => Math.min(b.maximum ?? v, Math.max(b.minimum ?? v, v));
  const lo = clip(Math.min(d.min, d.base)), hi = clip(Math.max(d.max, d.base));  // the slider's handy range
  const row = document.createElement("div");
  row.className = "lever";
  row.dataset.key = d.key;
  const id = `lever-${d.key}`, msg = `msg-${d.key}`;
  row.innerHTML = `<div class="head"><label class="name" for="${id}">${esc(d.label)}</label>` +
    `<span class="val"><span class="v"></span><span class="unit">${esc(d.unit)}</span></span></div>` +
    `<div class="ctl"><input type="range" min="${lo}" max="${hi}" step="${d.step}" aria-label="${esc(d.label)}, slider" tabindex="-1">` +
    `<input id="${id}" type="text" inputmode="decimal" autocomplete="off" aria-describedby="${msg}"></div>` +
    `<div class="msg" id="${msg}" aria-live="polite"></div>` +
    `<div class="hint"><span>plan: ${esc(show(d, d.base))} ${esc(d.unit)}${d.planned ? " · " + esc(d.planned) : ""}` +
    ` · ${esc(d.applies)} · allowed ${esc(show(d, b.minimum))}–${esc(show(d, b.maximum))}${b.type === "integer" ? ", whole" : ""}</span>` +
    `<button class="link reset" type="button" title="back to the plan">reset</button></div>`;
  const range = row.querySelector("input[type=range]"), num = row.querySelector("input[type=text]");
  const problem = text => {
    row.classList.toggle("invalid", !!text);
    num.setAttribute("aria-invalid", text ? "true" : "false");
    row.querySelector(".msg").textContent = text || "";
    if (text) L.invalid.add(d.key); else L.invalid.delete(d.key);
    L.onValidity(L.invalid.size === 0);
  };
  const set = (v, fromUser) => {
    if (!isFinite(v)) return;
    problem("");
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
  num.addEventListener("input", () => {
    const r = checkNumber(num.value, b, d.unit);
    if (r.message) problem(r.message); else set(r.value, true);
  });
  row.querySelector(".reset").addEventListener("click", () => set(d.base, true));
  row.reset = () => set(d.base, false);
  row.set = v => set(v, false);
  set(d.base, false);
  return row;
}

function choiceRow(d) {
  const row = document.createElement("div");
  row.className = "lever";
  row.dataset.key = d.key;
  const opts = [`<option value="">none — every corridor open</option>`,
    ...(d.options || []).map(o => `<option value="${esc(o.id)}">${esc(o.name)}</option>`)];
  row.innerHTML = `<div class="head"><label class="name" for="lever-${d.key}">${esc(d.label)}</label><span class="val"><span class="v"></span></span></div>` +
    `<div class="ctl"><select id="lever-${d.key}">${opts.join("")}</select></div>` +
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
  row.set = v => set((d.options || []).some(o => o.id === v) ? v : "", false);
  set("", false);
  return row;
}

export function renderLevers(summary, onChange) {
  L.defs = summary.levers;
  L.values = {};
  L.changed = new Set();
  L.invalid = new Set();
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
  // From the address: a value the service would refuse is ignored (the plan stays).
  const row = document.querySelector(`#levers .lever[data-key="${key}"]`), d = leverDef(key);
  if (!row || !d) return;
  if (d.options) { row.set(String(value)); return; }
  const r = checkNumber(value, boundsOf(d));
  if (!r.message) row.set(r.value);
}

export const leversValid = () => L.invalid.size === 0;

export function leverDef(key) { return L.defs.find(d => d.key === key); }

// The levers the user changed, as the API takes them: the scenario's own under "study"
// (the what-if year only if one of them applies from it).
export function collectLevers(fromYearValue) {
  const out = {}, study = {};
  for (const key of L.changed) {
    const d = leverDef(key);
    if (d && d.study) study[key] = L.values[key]; else out[key] = L.values[key];
  }
  if (Object.keys(study).length) out.study = study;
  if ([...L.changed].some(k => fromYear(leverDef(k)))) out.from_year = fromYearValue;
  return out;
}

// The levers as flat key → value pairs (the address, the run's name).
export function flatLevers(levers) {
  const { study = {}, ...rest } = levers || {};
  return { ...rest, ...study };
}

export function describeLevers(levers) {
  const flat = flatLevers(levers);
  const parts = Object.entries(flat).filter(([k]) => k !== "from_year").map(([k, v]) => {
    if (SHORT[k]) return SHORT[k](v);
    const d = leverDef(k);
    return d ? `${d.label} ${show(d, v)}` : "";
  }).filter(Boolean);
  if (!parts.length) return "Plan";
  const when = levers.from_year && Object.keys(flat).some(k => fromYear(leverDef(k))) ? ` from ${levers.from_year}` : "";
  return parts.join(" · ") + when;
}
