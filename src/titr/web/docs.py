"""``/docs``: the API reference drawn from the OpenAPI schema on the server, as plain HTML.

FastAPI's default Swagger UI and ReDoc pages load their JavaScript from a CDN; this page needs
nothing but itself, so the docs work offline and no request leaves the machine.
"""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
 color:#1f2933;background:#f3f4f6}
header{background:#0f2744;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}
header p{margin:2px 0 0;color:#c7d2e0}main{padding:18px 28px;max-width:1150px}
section{background:#fff;border-radius:8px;padding:12px 16px;margin:0 0 12px;
 box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:15px;margin:0 0 6px;font-family:ui-monospace,Menlo,Consolas,monospace}
.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;
 font-size:12px;padding:1px 6px;margin-right:8px}
.get{background:#2563eb}.post{background:#16a34a}.delete{background:#dc2626}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}
td,th{border-bottom:1px solid #e5e7eb;padding:3px 8px 3px 0;text-align:left;vertical-align:top}
th{color:#6b7280;font-weight:600}code{font-family:ui-monospace,Menlo,Consolas,monospace}
.muted{color:#6b7280}h3{font-size:13px;margin:8px 0 2px;color:#374151}
nav a{color:#c7d2e0;margin-right:14px}.codes{font-size:12.5px;color:#374151;margin:6px 0 0}
.codes b{margin-right:6px}a{color:#1d4ed8;text-decoration:none}
"""


def _ref(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _ref(schema)
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    t = str(schema.get("type", "any"))
    if t == "array":
        return f"list[{_type(schema.get('items', {}))}]"
    return t


def _bounds(schema: dict[str, Any]) -> str:
    parts = []
    for alt in [schema, *schema.get("anyOf", [])]:
        for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">"),
                          ("exclusiveMaximum", "<"), ("maxLength", "length ≤"),
                          ("maxItems", "items ≤"), ("minItems", "items ≥"),
                          ("pattern", "pattern")):
            if key in alt:
                parts.append(f"{sign} {alt[key]}")
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default {schema['default']!r}")
    return ", ".join(parts)


def _fields(name: str, schemas: dict[str, Any]) -> str:
    schema = schemas.get(name, {})
    props: dict[str, Any] = schema.get("properties", {})
    if not props:
        return ""
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{escape(k)}</code>{' *' if k in required else ''}</td>"
        f"<td><code>{escape(_type(v))}</code></td><td>{escape(_bounds(v))}</td>"
        f"<td>{escape(str(v.get('description', '')))}</td></tr>" for k, v in props.items())
    return (f"<h3>{escape(name)}</h3><table><tr><th>field</th><th>type</th><th>bounds</th>"
            f"<th>meaning</th></tr>{rows}</table>")


def _operation(path: str, method: str, op: dict[str, Any], schemas: dict[str, Any]) -> str:
    out = [f"<section id=\"{escape(op.get('operationId', ''))}\"><h2><span class=\"m "
           f"{method}\">{method.upper()}</span>{escape(path)}</h2>",
           f"<div>{escape(op.get('summary', ''))}</div>"]
    if op.get("description"):
        out.append(f"<p class=\"muted\">{escape(op['description'])}</p>")
    params = op.get("parameters", [])
    if params:
        rows = "".join(
            f"<tr><td><code>{escape(p['name'])}</code>{' *' if p.get('required') else ''}</td>"
            f"<td>{escape(p['in'])}</td><td><code>{escape(_type(p.get('schema', {})))}</code>"
            f"</td><td>{escape(_bounds(p.get('schema', {})))}</td>"
            f"<td>{escape(str(p.get('description') or p.get('schema', {}).get('description', '')))}"
            "</td></tr>" for p in params)
        out.append("<h3>parameters</h3><table><tr><th>name</th><th>in</th><th>type</th>"
                   f"<th>bounds</th><th>meaning</th></tr>{rows}</table>")
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    if body:
        name = _ref(body.get("schema", {}))
        out.append(f"<h3>request body: <code>{escape(name)}</code></h3>")
        out.append(_fields(name, schemas))
        for sub in ("Levers",):
            if sub in str(schemas.get(name, {})):
                out.append(_fields(sub, schemas))
    responses = op.get("responses", {})
    codes = " · ".join(f"<span title=\"{escape(r.get('description', ''))}\"><code>{escape(code)}"
                       f"</code> {escape(r.get('description', ''))}</span>"
                       for code, r in responses.items())
    out.append(f"<p class=\"codes\"><b>responses</b> {codes}</p></section>")
    return "".join(out)


def _index(spec: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><span class=\"m {m}\">{m.upper()}</span></td><td><a href=\"#"
        f"{escape(op.get('operationId', ''))}\"><code>{escape(path)}</code></a></td>"
        f"<td>{escape(op.get('summary', ''))}</td></tr>"
        for path, item in spec.get("paths", {}).items() for m, op in item.items()
        if m in ("get", "post", "delete", "put"))
    return f"<section><h2>Endpoints</h2><table>{rows}</table></section>"


def docs_html(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    schemas = spec.get("components", {}).get("schemas", {})
    ops = [_operation(path, method, op, schemas)
           for path, item in spec.get("paths", {}).items()
           for method, op in item.items() if method in ("get", "post", "delete", "put")]
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(info.get('title', 'API'))} — API</title><style>{STYLE}</style>"
            f"</head><body><header><h1>{escape(info.get('title', ''))} API "
            f"<span class=\"muted\">{escape(info.get('version', ''))}</span></h1>"
            f"<p>{escape(info.get('description', ''))}</p><nav><a href=\"/\">the page</a>"
            "<a href=\"/openapi.json\">openapi.json</a></nav></header>"
            f"<main>{_index(spec)}{''.join(ops)}<section>{_fields('ErrorBody', schemas)}"
            f"{_fields('Problem', schemas)}</section></main></body></html>")
