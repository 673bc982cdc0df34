"""Short readable views of big objects (a scenario, a result) for ``repr`` and notebooks.

``repr`` of a scenario used to print every item and figure (some 200,000 characters); these
give a few lines: what it is, its horizon, how many items of each kind, what it studies — as
text for the console and as a small HTML table for Jupyter (``_repr_html_``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

# the collections of a scenario, in the order they are listed
COLLECTIONS = ("nodes", "links", "sea_services", "fleets", "cargo", "corridors", "demand",
               "projects", "events", "observed", "sources")
MAX_TEXT = 80  # characters of a description shown


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def counts(obj: Any, names: Iterable[str] = COLLECTIONS) -> dict[str, int]:
    """How many items each (non-empty) collection holds."""
    out = {n: len(getattr(obj, n)) for n in names}
    return {n: k for n, k in out.items() if k}


def scenario_facts(sc: Any) -> dict[str, str]:
    """What a scenario is, in a few short fields."""
    study = sc.study_or_default()
    facts = {"name": sc.name, "years": f"{sc.first_year}–{sc.last_year}",
             "items": ", ".join(f"{k} {n}" for n, k in counts(sc).items()),
             "study": f"{study.name}: focus group {sc.focus_group}"}
    if sc.description:
        facts["description"] = shorten(sc.description)
    if sc.path:
        facts["file"] = sc.path
    return facts


def text(kind: str, ident: str, facts: Mapping[str, str]) -> str:
    """``Kind('id': name; years …; …)`` on one line per fact."""
    body = "\n".join(f"  {k}: {v}" for k, v in facts.items())
    return f"{kind}({ident!r}\n{body}\n)"


def html_table(kind: str, ident: str, facts: Mapping[str, str]) -> str:
    """The same facts as a small HTML table (a notebook shows it instead of the text)."""
    rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                   f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
                   for k, v in facts.items())
    return (f"<table><caption style='text-align:left'><b>{html.escape(kind)}</b> "
            f"<code>{html.escape(ident)}</code></caption>{rows}</table>")


def table_sizes(tables: Mapping[str, Any]) -> str:
    """``name (rows), …`` of result tables."""
    return ", ".join(f"{n} ({len(df):,})" for n, df in tables.items())


class Overviewed:
    """``repr`` and ``_repr_html_`` from :meth:`_overview` (kind, id, facts), so a result
    prints as a few lines instead of every row of every table. A dataclass using it is
    declared with ``repr=False`` (else the dataclass writes its own ``__repr__``)."""

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return text(*self._overview())

    def _repr_html_(self) -> str:
        return html_table(*self._overview())


def number(x: Any, digits: int = 3) -> str:
    """A figure for a summary line: ``1.23e+06`` → ``1,230,000``; NaN → ``–``."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if v != v:
        return "–"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.{digits}g}"
