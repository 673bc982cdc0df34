"""What a sweep can keep of each run, and how it is read off the assessment and the simulation.

Every output of a run is one row ``(year, output, subject, value, text)``: ``subject`` is
``""`` for a figure of the whole corridor, ``corridor/cargo`` (``<corridor>/container``) for
door-to-door times, and the sea service (``<service id>``, or ``<service id>/reverse``
for the return direction) for waits for a vessel. ``text`` carries a label where the output has
one (the bottleneck's name).

The assessment is deterministic: its outputs are the same in every replication of a point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from titr.model.columns import spec
from titr.sim.engine import RawReplication
from titr.sim.plan import Plan
from titr.sim.tables import flow_stats

_TOTALS = {"bottleneck": "bottleneck_usd_per_t"}  # output → its column of totals
_FLOWS = ("units", "median_days", "p90_days", "mean_days")  # columns of flow_stats
_WAITS = {"vessel_wait_mean_h": "mean_wait_h", "vessel_wait_p90_h": "p90_wait_h"}


def _meaning(table: str, column: str, words: str = "") -> str:
    """An output's meaning from the registry's column (``words`` replace its description)."""
    c = spec(table)[column]
    return f"{words or c.description}" + (f" [{c.unit}]" if c.unit not in ("", "1") else "")


# name → (source, subject, description); the descriptions and units are the registry's
OUTPUTS: dict[str, tuple[str, str, str]] = {
    **{n: ("assessment", "", _meaning("assessment.totals", n))
       for n in ("focus_t", "focus_teu", "unserved_t", "diverted_t", "focus_share",
                 "focus_days")},
    "bottleneck": ("assessment", "", _meaning(
        "assessment.totals", "bottleneck_usd_per_t", "shadow price of the binding capacity "
        "worth most; its name in text")),
    **{n: ("assessment", "", _meaning("assessment.totals", n)) for n in ("cost_usd", "co2_t")},
    **{n: ("simulation", "corridor/cargo", _meaning("simulation.flow_stats", n))
       for n in _FLOWS},
    "vessel_wait_mean_h": ("simulation", "service", _meaning(
        "simulation.resources", "mean_wait_h", "mean hours waiting for a vessel")),
    "vessel_wait_p90_h": ("simulation", "service", _meaning(
        "simulation.resources", "p90_wait_h", "90th percentile hours waiting for a vessel")),
}
# every output is a non-negative quantity; a share is also at most 1 (the summary's intervals
# are clipped to these bounds)
BOUNDS: dict[str, tuple[float, float]] = {k: (0.0, 1.0 if k == "focus_share" else np.inf)
                                          for k in OUTPUTS}
ASSESSMENT = tuple(k for k, v in OUTPUTS.items() if v[0] == "assessment")
SIMULATION = tuple(k for k, v in OUTPUTS.items() if v[0] == "simulation")


class Output(NamedTuple):
    """One output of one run (see the module's docstring)."""

    year: int
    output: str
    subject: str
    value: float
    text: str | None = None


def describe() -> list[dict[str, str]]:
    """The documented list of outputs (for ``--help`` and the docs)."""
    return [{"output": k, "from": s, "by": by or "-", "meaning": d}
            for k, (s, by, d) in OUTPUTS.items()]


def check_selector(selector: str, kept: list[str]) -> None:
    """``output`` or ``output:subject``; raises ValueError("what; fix") if it cannot match."""
    name, _, _subject = selector.partition(":")
    if name not in OUTPUTS:
        raise ValueError(f"unknown output {name!r} in {selector!r}; use one of: "
                         f"{', '.join(OUTPUTS)}")
    if name not in kept:
        raise ValueError(f"{name!r} is not among the outputs kept; add it to outputs")


def matches(selector: str, output: str, subject: str) -> bool:
    name, colon, wanted = selector.partition(":")
    return name == output and (not colon or wanted == subject)


def assessment_outputs(totals: Mapping[Any, Any], year: int, wanted: list[str]) -> list[Output]:
    """The assessment's outputs of one year, from a row of ``AssessmentResult.totals``."""
    out = []
    for name in wanted:
        if name not in ASSESSMENT:
            continue
        value = float(totals[_TOTALS.get(name, name)])
        text = (str(totals["bottleneck"]) or None) if name == "bottleneck" else None
        out.append(Output(year, name, "", value, text))
    return out


def simulation_outputs(raw: RawReplication, plan: Plan, year: int,
                       wanted: list[str]) -> list[Output]:
    """The simulation's outputs of one replication (only the tables they need are built)."""
    out: list[Output] = []
    flows = [n for n in wanted if n in _FLOWS]
    if flows:
        stats = flow_stats(raw, plan, "corridor")
        for rec in stats.to_dict("records"):
            subject = f"{rec['corridor']}/{rec['cargo']}"
            out += [Output(year, n, subject, _float(rec.get(n))) for n in flows]
    waits = [n for n in wanted if n in _WAITS]
    if waits:
        for row in raw.stations:
            if row.get("kind") != "port":
                continue
            parts = str(row["resource"]).split(":")  # port:<node>:<service>[:reverse]
            subject = parts[2] + ("/reverse" if parts[-1] == "reverse" else "")
            out += [Output(year, n, subject, _float(row.get(_WAITS[n]))) for n in waits]
    return out


def _float(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return v if np.isfinite(v) else float("nan")
