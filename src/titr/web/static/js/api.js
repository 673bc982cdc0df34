// Talking to the service, and showing what went wrong: every error reaches the page.
export class ApiError extends Error {
  constructor(status, error, problems) {
    super(problems.length ? problems.map(p => p.message).join("; ") : error);
    this.status = status; this.error = error; this.problems = problems;
  }
}

export async function api(path, options = {}) {
  const init = { ...options, headers: { Accept: "application/json", ...(options.headers || {}) } };
  if (options.json !== undefined) {
    init.method = init.method || "POST";
    init.body = JSON.stringify(options.json);
    init.headers["Content-Type"] = "application/json";
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "the service does not answer", [{ field: "", message: String(e.message || e), fix: "is `titr serve` still running?" }]);
  }
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!r.ok) {
    const problems = data && Array.isArray(data.problems) ? data.problems
      : [{ field: "", message: `${r.status} ${r.statusText}`, fix: "" }];
    throw new ApiError(r.status, (data && data.error) || `HTTP ${r.status}`, problems);
  }
  return data;
}

export function esc(v) {
  return String(v ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

const box = () => document.getElementById("errors");

export function showError(err, context = "") {
  const el = box();
  const problems = err instanceof ApiError ? err.problems : [{ field: "", message: String(err && err.message || err), fix: "" }];
  const title = err instanceof ApiError ? `${esc(err.error)}${err.status ? ` (HTTP ${err.status})` : ""}` : "error";
  el.innerHTML = `<button class="close" type="button" aria-label="dismiss">×</button>` +
    `<b>${context ? esc(context) + ": " : ""}${title}</b><ul>` +
    problems.map(p => `<li>${p.field ? `<code>${esc(p.field)}</code> ` : ""}${esc(p.message)}` +
      `${p.fix ? ` — <i>fix:</i> ${esc(p.fix)}` : ""}</li>`).join("") + "</ul>";
  el.hidden = false;
  el.querySelector(".close").addEventListener("click", clearError);
  setStatus(`ERROR ${context}: ${problems.map(p => p.message).join("; ")}`);
}

export function clearError() {
  const el = box();
  el.hidden = true;
  el.innerHTML = "";
}

export function setStatus(text) {
  document.getElementById("status").textContent = text;
}

// Numbers as the report writes them.
const nf = d => new Intl.NumberFormat("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
export const isNum = v => typeof v === "number" && isFinite(v);
export function fmt(v, d = 1) { return isNum(v) ? nf(d).format(v) : "–"; }
export function fmtT(t) {
  if (!isNum(t)) return "–";
  const a = Math.abs(t);
  if (a < 0.5) return "0 t";
  if (a >= 1e6) return nf(2).format(t / 1e6) + " Mt";
  if (a >= 1e3) return nf(0).format(t / 1e3) + " kt";
  return nf(0).format(t) + " t";
}
