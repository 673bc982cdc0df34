"""Bad scenario files: each problem gets one clear message naming the file, the field and a fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tiny_support import TINY, fig, item, tiny_raw
from titr.model import TitrError, load


def write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / "bad.toml"
    path.write_bytes(tomli_w.dumps(raw).encode())
    return path


def problems_of(tmp_path: Path, change) -> list[str]:  # type: ignore[no-untyped-def]
    raw = tiny_raw()
    change(raw)
    path = write(tmp_path, raw)
    with pytest.raises(TitrError) as e:
        load(path)
    return [str(p) for p in e.value.problems]


def _no_source(raw: dict[str, Any]) -> None:
    del item(raw, "links", "a-b")["distance"]["source"]


def _dup(raw: dict[str, Any]) -> None:
    raw["links"].append(dict(item(raw, "links", "a-b")))


def _unknown_node(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["to"] = "nowhere"


def _zero_speed(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["speed"] = fig(0, "km/h")


def _negative_capacity(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["capacity"] = fig(-5, "Mt/yr")


def _barrels_for_teu(raw: dict[str, Any]) -> None:
    item(raw, "nodes", "p")["handling"] = [{"id": "boxes", "cargo": ["container"],
                                            "capacity": fig(100_000, "bbl/d")}]


def _wrong_dimension(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["distance"] = fig(5, "bbl")


def _late_project(raw: dict[str, Any]) -> None:
    raw["projects"][0]["year"] = 2040


def _no_path(raw: dict[str, Any]) -> None:
    raw["nodes"].append({"id": "island", "country": "AZ", "lat": 40, "lon": 50, "kind": "zone"})
    item(raw, "demand", "a-z-box")["destination"] = "island"


def _unknown_source(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["distance"]["source"] = "NOPE"


def _bad_project_target(raw: dict[str, Any]) -> None:
    raw["projects"][0]["changes"][0]["target"] = "fleets.ghost.vessels"


@pytest.mark.parametrize(("change", "where", "words"), [
    (_no_source, "links[a-b].distance", "no source"),
    (_dup, "links[a-b]", "used twice"),
    (_unknown_node, "links[a-b].to", "unknown node 'nowhere'"),
    (_zero_speed, "links[a-b].speed", "greater than zero"),
    (_negative_capacity, "links[a-b].capacity", "greater than zero"),
    (_barrels_for_teu, "nodes[p].handling[boxes].capacity", "does not fit cargo class"),
    (_wrong_dimension, "links[a-b].distance", "does not fit a distance"),
    (_late_project, "projects[more-ferries].year", "outside the scenario's horizon"),
    (_no_path, "demand[a-z-box]", "no path"),
    (_unknown_source, "links[a-b].distance", "'NOPE' is not in the scenario's sources"),
    (_bad_project_target, "projects[more-ferries].changes[0]", "no item 'ghost'"),
])
def test_each_problem_has_a_clear_message(tmp_path: Path, change, where: str,  # type: ignore[no-untyped-def]
                                          words: str) -> None:
    msgs = problems_of(tmp_path, change)
    assert len(msgs) == 1, msgs
    assert str(tmp_path / "bad.toml") in msgs[0]
    assert where in msgs[0]
    assert words in msgs[0]
    assert "Fix:" in msgs[0] or "fix" in msgs[0].lower()


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\nname = "y"\nfirst_year = 2019\nlast_year = [\n')
    with pytest.raises(TitrError) as e:
        load(path)
    msg = str(e.value.problems[0])
    assert "TOML syntax error" in msg and f"{path}:" in msg


def test_extends_merges_by_id(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_bytes(tomli_w.dumps(tiny_raw()).encode())
    child = tmp_path / "child.toml"
    child.write_text('extends = "base.toml"\nid = "child"\n\n[[links]]\nid = "a-b"\n'
                     'distance = { value = 1234, unit = "km", source = "HAND" }\n')
    sc = load(child)
    assert sc.id == "child"
    link = next(x for x in sc.links if x.id == "a-b")
    assert link.distance.value == 1234 and link.speed is not None  # other fields kept


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_bad_file_exit_code_2_no_traceback(tmp_path: Path) -> None:
    raw = tiny_raw()
    _zero_speed(raw)
    r = cli("validate", str(write(tmp_path, raw)))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert "links[a-b].speed" in r.stderr and "greater than zero" in r.stderr


def test_cli_bad_override_and_nothing_half_written(tmp_path: Path) -> None:
    out = tmp_path / "res.duckdb"
    r = cli("assess", "--scenario", str(write(tmp_path, tiny_raw())), "--set",
            "fleets.ferries.vessels=many", "--out", str(out))
    assert r.returncode == 2 and "not a number" in r.stderr
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []


def test_override_of_an_absent_figure_needs_its_unit() -> None:
    sc = load(TINY)
    with pytest.raises(TitrError, match="its unit is unknown"):
        sc.with_overrides({"links.a-b.capacity": 5})
    assert sc.with_overrides({"links.a-b.capacity": "5 Mt/yr"}).links[0].capacity is not None


def test_a_change_invalid_only_in_between_years_is_caught(tmp_path: Path) -> None:
    # 2020: 2 vessels; 2022: −3 → −1 (invalid); 2024: +3 → 2 (valid again at the end)
    raw = tiny_raw()
    raw["projects"] = [
        {"id": "scrap", "year": 2022, "source": "HAND", "changes": [
            {"op": "increase", "target": "fleets.ferries.vessels", "value": fig(-3, "vessels")}]},
        {"id": "rebuy", "year": 2024, "source": "HAND", "changes": [
            {"op": "increase", "target": "fleets.ferries.vessels", "value": fig(3, "vessels")}]},
    ]
    with pytest.raises(TitrError) as e:
        load(write(tmp_path, raw))
    msgs = [str(p) for p in e.value.problems]
    assert any("as of 2022" in m and "must not be negative" in m for m in msgs), msgs


def test_routes_api_checks_year_and_cargo() -> None:
    import titr

    sc = load(TINY)
    with pytest.raises(TitrError, match="outside the horizon"):
        titr.routes(sc, "a", "z", year=1990)
    with pytest.raises(TitrError, match="unknown cargo class"):
        titr.routes(sc, "a", "z", year=2020, cargo="coal")


def test_dropping_a_project_drops_those_that_build_on_it() -> None:
    raw = tiny_raw()
    raw["projects"] = [
        {"id": "new-fleet", "year": 2021, "source": "HAND", "changes": [
            {"op": "add", "collection": "fleets", "item": {
                "id": "kz", "service": "p-q", "vessels": fig(1, "vessels"),
                "capacity": fig(50, "wagons"), "speed": fig(18, "km/h"),
                "port_time": fig(10, "h")}}]},
        {"id": "more-kz", "year": 2023, "source": "HAND", "changes": [
            {"op": "increase", "target": "fleets.kz.vessels", "value": fig(2, "vessels")}]},
        {"id": "unrelated", "year": 2023, "source": "HAND", "changes": [
            {"op": "increase", "target": "fleets.ferries.vessels", "value": fig(1, "vessels")}]},
    ]
    from titr.model.loader import validate_raw

    sc = validate_raw(raw, str(TINY))
    assert sc.dependents("new-fleet") == ["more-kz"]
    kept = [p.id for p in sc.without("new-fleet").projects]
    assert kept == ["unrelated"]
    assert sc.without("new-fleet").network(2025).fleets["ferries"].vessels.value == 3
