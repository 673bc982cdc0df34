"""The bounds the service accepts for each lever and job field, read from the request models
themselves, so that the page checks its inputs against the very numbers the API enforces."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from titr.web.schemas import Levers, SimulationRequest, SweepRequest

KEPT = ("type", "minimum", "maximum", "pattern", "maxItems", "minItems")


def _bounds(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    out = {}
    for key, prop in model.model_json_schema()["properties"].items():
        # an optional field is anyOf [its type, null]: the bounds sit on the first
        branch = next((b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"), prop)
        out[key] = {k: branch[k] for k in KEPT if k in branch}
        out[key]["optional"] = "anyOf" in prop
    return out


def limits() -> dict[str, Any]:
    """Lever bounds (type integer or number, minimum, maximum), replications and sweep."""
    sim, sweep = _bounds(SimulationRequest), _bounds(SweepRequest)
    return {"levers": _bounds(Levers), "replications": sim["replications"],
            "sweep_values": sweep["values"]}
