"""validate refuses what assess would: node charges and capacities in units no cargo class can
use, rail gauges meeting without a gauge change; project changes may add node facilities; and a
bad change gets one message at its field, in the user's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tiny_support import fig, item, tiny_raw
from titr.model import TitrError, load

Raw = dict[str, Any]


def _load(tmp_path: Path, change: Callable[[Raw], object]) -> Any:
    raw = tiny_raw()
    change(raw)
    path = tmp_path / "s.toml"
    path.write_bytes(tomli_w.dumps(raw).encode())
    return load(path)


def _problems(tmp_path: Path, change: Callable[[Raw], object]) -> list[Any]:
    with pytest.raises(TitrError) as e:
        _load(tmp_path, change)
    return e.value.problems


def _border(**extra: Any) -> Callable[[Raw], object]:
    return lambda raw: item(raw, "nodes", "b").__setitem__(
        "border", {"time": fig(5, "h"), **extra})


def _gauges(raw: Raw) -> None:
    item(raw, "links", "a-b")["gauge"] = 1435
    for lid in ("b-p", "b-z"):
        item(raw, "links", lid)["gauge"] = 1520


@pytest.mark.parametrize(("change", "where"), [
    # the tiny corridor's one cargo class converts TEU and wagons, not trucks
    (_border(cost=fig(40, "USD/truck")), "nodes[b].border.cost"),
    (_border(capacity=fig(300, "trucks/d")), "nodes[b].border.capacity"),
    (lambda raw: item(raw, "nodes", "p").__setitem__("handling_cost", fig(9, "USD/truck")),
     "nodes[p].handling_cost"),
    (_gauges, "nodes[b].gauge_change"),
    # only captive cargo can be a preload carried ahead of the rest
    (lambda raw: raw["demand"][0].__setitem__("priority", True),
     f"demand[{tiny_raw()['demand'][0]['id']}].priority"),
])
def test_validate_refuses_what_assess_cannot_use(tmp_path: Path, change: Callable[[Raw], object],
                                                 where: str) -> None:
    found = _problems(tmp_path, change)
    assert [p.where for p in found] == [where]
    assert found[0].fix


def test_a_project_may_add_a_gauge_change_to_a_node(tmp_path: Path) -> None:
    def change(raw: Raw) -> None:
        # from 2023 the line beyond b is rebuilt to 1520 mm, with a gauge change at b
        item(raw, "links", "a-b")["gauge"] = 1435
        raw["projects"].append({"id": "regauge", "year": 2023, "source": "HAND", "changes": [
            {"op": "set", "target": "links.b-p.gauge", "value": 1520},
            {"op": "set", "target": "links.b-z.gauge", "value": 1520},
            {"op": "set", "target": "nodes.b.gauge_change",
             "value": {"from_gauge": 1435, "to_gauge": 1520, "time": fig(6, "h")}}]})

    sc = _load(tmp_path, change)
    assert sc.network(2022).nodes["b"].gauge_change is None
    assert sc.network(2023).nodes["b"].gauge_change.time.to("h") == 6


def test_a_bad_change_gets_one_message_at_its_field(tmp_path: Path) -> None:
    def change(raw: Raw) -> None:
        raw["projects"][0]["changes"][0]["value"] = {"value": 1, "unit": "vessels"}

    found = _problems(tmp_path, change)
    assert len(found) == 1, found
    p = found[0]
    assert p.where == "projects[more-ferries].changes[0].value"
    assert "source" in p.what and "function" not in p.what + p.where
    assert p.line is not None and "changes" in Path(p.file).read_text().splitlines()[p.line - 1]


def test_an_empty_assumption_is_named_as_such(tmp_path: Path) -> None:
    def change(raw: Raw) -> None:
        item(raw, "links", "a-b")["distance"] = {"value": 1000, "unit": "km", "assumption": ""}

    found = _problems(tmp_path, change)
    assert len(found) == 1 and "assumption is empty" in found[0].what
    assert "distance" in Path(found[0].file).read_text().splitlines()[found[0].line - 1]
