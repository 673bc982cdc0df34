"""titr projects ranks projects by a measure the user picks; the default, what all shippers
save, is checked against a hand-solved corridor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tiny_support import fig, item, tiny_raw
from titr.assign import assess
from titr.assign.project_value import project_values
from titr.model import load


def _captive_northern(tmp_path: Path) -> Any:
    # 1,000 TEU × 10 t/TEU, all on the northern route: a-b 1,000 km and b-z 5,000 km at
    # 0.05 USD/t/km and 50 km/h, 10 h dwell at b, value of time 1 USD/t/h.
    raw = tiny_raw()
    d = item(raw, "demand", "a-z-box")
    d["kind"], d["corridor"] = "captive", "northern"
    raw["projects"].append({"id": "faster-northern", "year": 2021, "source": "HAND",
                            "changes": [{"op": "set", "target": "links.b-z.speed",
                                         "value": fig(100, "km/h")}]})
    path = tmp_path / "captive.toml"
    path.write_bytes(tomli_w.dumps(raw).encode())
    return load(path)


def test_generalised_cost_of_a_hand_solved_year(tmp_path: Path) -> None:
    sc = _captive_northern(tmp_path).without("faster-northern")
    total = assess(sc, [2022]).totals.gen_cost_usd.iloc[0]
    money, hours = 6000 * 0.05, 6000 / 50 + 10
    assert total == pytest.approx(10_000 * (money + 1.0 * hours), rel=1e-9)


def test_projects_ranked_by_what_shippers_save(tmp_path: Path) -> None:
    sc = _captive_northern(tmp_path)
    df = project_values(sc, 2024)
    assert list(df.project) == ["faster-northern", "more-ferries"]
    # 5,000 km at 100 instead of 50 km/h: 50 h less for 10,000 t at 1 USD/t/h
    assert df.gen_cost_saved_usd.iloc[0] == pytest.approx(500_000, rel=1e-9)
    assert df.gen_cost_saved_usd.iloc[1] == pytest.approx(0, abs=1e-6)
    # nothing crosses the strait either way: the focus measure sees neither
    focus = project_values(sc, 2024, "focus")
    assert (focus.volume_t.abs() < 1e-6).all()
