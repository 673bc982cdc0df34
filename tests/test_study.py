"""The [study] block: what a scenario studies comes from its data, and is checked like the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tiny_support import tiny_raw
from titr.assign import assess
from titr.model import TitrError, load

STUDY = {"name": "Tiny corridor", "focus_group": "middle", "focus": ["p-q"],
         "focus_label": "across the strait", "default_origin": "a", "default_destination": "z",
         "levers": [{"key": "ferries", "label": "Ferries", "path": "fleets.ferries.vessels",
                     "unit": "vessels", "min": 0, "max": 10, "step": 1, "integer": True,
                     "applies": "from-year"}]}


def _load(tmp_path: Path, study: dict[str, Any] | None) -> Any:
    raw = tiny_raw()
    if study is not None:
        raw["study"] = study
    path = tmp_path / "study.toml"
    path.write_bytes(tomli_w.dumps(raw).encode())
    return load(path)


def _problems(tmp_path: Path, **change: Any) -> list[str]:
    with pytest.raises(TitrError) as e:
        _load(tmp_path, {**STUDY, **change})
    return [f"{p.where}: {p.what} — {p.fix}" for p in e.value.problems]


def test_a_sound_study_gives_the_defaults(tmp_path: Path) -> None:
    sc = _load(tmp_path, STUDY)
    assert sc.focus_group == "middle"
    assert sc.focus_ids() == {"p-q"}
    assert sc.route_pair(None, None) == ("a", "z")
    assert sc.route_pair("b", None) == ("b", "z")


def test_without_a_study_no_default_pair(tmp_path: Path) -> None:
    sc = _load(tmp_path, None)
    with pytest.raises(TitrError) as e:
        sc.route_pair(None, "z")
    assert "[study]" in e.value.problems[0].fix


@pytest.mark.parametrize(("change", "where"), [
    ({"focus_group": "nowhere"}, "study.focus_group"),
    ({"focus": ["p-q", "no-such-arc"]}, "study.focus[1]"),
    ({"default_origin": "atlantis"}, "study.default_origin"),
    ({"levers": [{**STUDY["levers"][0], "path": "fleets.ghost.vessels"}]},
     "study.levers[ferries].path"),
    ({"levers": [{**STUDY["levers"][0], "path": "parameters.nothing"}]},
     "study.levers[ferries].path"),
])
def test_a_study_naming_what_does_not_exist_is_refused(tmp_path: Path, change: dict[str, Any],
                                                       where: str) -> None:
    found = _problems(tmp_path, **change)
    assert len(found) == 1 and found[0].startswith(where), found


@pytest.mark.parametrize("change", [
    {"levers": [STUDY["levers"][0], STUDY["levers"][0]]},
    {"levers": [{**STUDY["levers"][0], "min": 5, "max": 1}]},
])
def test_malformed_levers_are_refused(tmp_path: Path, change: dict[str, Any]) -> None:
    assert _problems(tmp_path, **change)


def test_the_headline_follows_the_focus(tmp_path: Path) -> None:
    # Every path from a to z starts on a-b, so all 1,000 TEU × 10 t/TEU cross it.
    totals = assess(_load(tmp_path, {**STUDY, "focus": ["a-b"]}), years=[2022]).totals
    assert totals.focus_t.iloc[0] == pytest.approx(10_000, rel=1e-6)
    # Two corridors share the contestable cargo: the two groups' shares add up to one.
    middle = assess(_load(tmp_path, STUDY), years=[2022]).totals.focus_share.iloc[0]
    northern = assess(_load(tmp_path, {**STUDY, "focus_group": "northern"}),
                      years=[2022]).totals.focus_share.iloc[0]
    assert 0 < middle < 1
    assert middle + northern == pytest.approx(1, abs=1e-9)
