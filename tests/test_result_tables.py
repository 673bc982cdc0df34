"""Every result table has exactly the columns and dtypes its registry entry declares, in every
form it takes: the DataFrame, the DuckDB table, the Parquet file, the guide's reference."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import titr
from tiny_support import FIXTURES
from titr.assign.assess import assess
from titr.assign.assessment_result import AssessmentResult
from titr.model.columns import REGISTRY, family
from titr.model.scenario import Scenario
from titr.routing.table import route_table

# what each declared dtype must be, written out independently of titr.model.columns.declare
PANDAS = {"int64": "int64", "int32": "int32", "float64": "float64", "str": "str",
          "bool": "bool", "category": "category", "datetime": "datetime64[us]"}
DUCKDB = {"int64": "BIGINT", "int32": "INTEGER", "float64": "DOUBLE", "str": "VARCHAR",
          "bool": "BOOLEAN", "category": "VARCHAR", "datetime": "TIMESTAMP"}
ARROW = {"int64": pa.int64(), "int32": pa.int32(), "float64": pa.float64(),
         "str": pa.string(), "bool": pa.bool_(), "datetime": pa.timestamp("us"),
         "category": pa.dictionary(pa.int32(), pa.string())}


def assert_declared(df: pd.DataFrame, key: str) -> None:
    spec = REGISTRY[key]
    assert list(df.columns) == [c.name for c in spec.columns], key
    got = {c: str(t) for c, t in df.dtypes.items()}
    want = {c.name: PANDAS[c.dtype] for c in spec.columns}
    assert got == want, key


@pytest.fixture(scope="module")
def assessed() -> AssessmentResult:
    sc = titr.load(FIXTURES / "north-south.toml")
    return assess(sc, sc.years[:2])


def test_every_assessment_table_is_as_declared(assessed: AssessmentResult) -> None:
    assert set(family("assessment")) == {
        "totals", "flows", "utilisation", "demand", "shares", "corridors", "unserved",
        "groups", "nodes", "edges", "projects", "events", "sources", "calibration"}
    for name in family("assessment"):
        assert_declared(getattr(assessed, name), f"assessment.{name}")


def test_an_empty_table_still_has_its_dtypes(tiny: Scenario) -> None:
    res = assess(tiny, [2020])
    assert res.unserved.empty  # the tiny corridor carries everything
    assert_declared(res.unserved, "assessment.unserved")


def test_duckdb_file_has_the_declared_types(assessed: AssessmentResult,
                                            tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    assessed.save(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        for name, spec in family("assessment").items():
            rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_name = ? ORDER BY ordinal_position",
                               [name]).fetchall()
            assert rows == [(c.name, DUCKDB[c.dtype]) for c in spec.columns], name
    finally:
        con.close()
    back = AssessmentResult.load(path)
    for name in family("assessment"):
        assert_declared(getattr(back, name), f"assessment.{name}")
        pd.testing.assert_frame_equal(getattr(back, name), getattr(assessed, name))


def test_parquet_export_has_the_declared_schema(assessed: AssessmentResult,
                                                tmp_path: Path) -> None:
    from titr.report.export import export

    path = tmp_path / "r.duckdb"
    assessed.save(path)
    export(path, "parquet", tmp_path / "pq")
    for name, spec in family("assessment").items():
        schema = pq.read_schema(tmp_path / "pq" / f"{name}.parquet")
        assert [(f.name, f.type) for f in schema] == [(c.name, ARROW[c.dtype])
                                                      for c in spec.columns], name


def test_route_table_is_as_declared(tiny: Scenario) -> None:
    df = route_table(tiny.network(2020), "a", "z")
    assert len(df) >= 1 and list(df["rank"]) == list(range(1, len(df) + 1))
    assert_declared(df, "routes.routes")


def test_the_guide_lists_every_registered_column() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "docs" / "_tools"))
    import titr_docs

    page = titr_docs.results_reference()
    for key, spec in REGISTRY.items():
        assert f"### `{key}`" in page
        section = page.split(f"### `{key}`", 1)[1].split("### ", 1)[0]
        for c in spec.columns:
            assert f"| {c.name} | {c.dtype} |" in section, (key, c.name)


def test_every_column_is_documented() -> None:
    for key, spec in REGISTRY.items():
        names = [c.name for c in spec.columns]
        assert len(names) == len(set(names)), key
        assert all(c.description for c in spec.columns), key


def test_every_simulation_table_is_as_declared(tiny: Scenario) -> None:
    res = titr.simulate(tiny, 2020, replications=2, seed=7)
    for name in family("simulation"):
        df = getattr(res, name)
        assert len(df), name  # the tiny corridor fills every table
        assert_declared(df, f"simulation.{name}")


def test_tables_left_out_are_empty_but_declared(tiny: Scenario) -> None:
    from titr.sim.build import build_plan
    from titr.sim.run import simulate_plan
    from titr.studies.scenario_year import assigned_year, routes_of

    outcome = assigned_year(tiny, 2020)
    plan = build_plan(outcome.network, routes_of(outcome))
    res = simulate_plan(plan, 1, 7, keep_units=False)
    assert res.units.empty
    assert_declared(res.units, "simulation.units")


@pytest.mark.parametrize("store_as", ["duckdb", "parquet"])
def test_every_sweep_table_is_as_declared(tmp_path: Path, store_as: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent / "experiments"))
    from sweep_support import tiny_experiment

    from titr.experiments import run_sweep
    from titr.experiments.summary import output_ranges

    out = tmp_path / f"s.{store_as}"
    res = run_sweep(tiny_experiment(tmp_path, replications=2), out, executor="serial",
                    store_as=store_as)
    params = ["ferries", "market"]
    for name in ("points", "summary"):  # the parameters' columns come after the point
        df = getattr(res, name)
        assert list(df.columns[1:3]) == params
        assert_declared(df.drop(columns=params), f"sweep.{name}")
    for name in ("runs", "outputs", "sensitivity"):
        assert len(getattr(res, name)), name
        assert_declared(getattr(res, name), f"sweep.{name}")
    assert_declared(output_ranges(res.summary), "sweep.ranges")
    if store_as == "parquet":
        for name in ("runs", "outputs"):
            schema = pq.read_schema(next((out / name).glob("*.parquet")))
            spec = REGISTRY[f"sweep.{name}"]
            assert [(f.name, f.type) for f in schema] == [(c.name, ARROW[c.dtype])
                                                          for c in spec.columns]
    else:
        con = duckdb.connect(str(out), read_only=True)
        try:
            for name in ("sweep", "runs", "outputs"):
                rows = con.execute("SELECT column_name, data_type FROM "
                                   "information_schema.columns WHERE table_name = ? "
                                   "ORDER BY ordinal_position", [name]).fetchall()
                spec = REGISTRY[f"sweep.{name}"]
                assert rows == [(c.name, DUCKDB[c.dtype]) for c in spec.columns], name
        finally:
            con.close()


def test_sweep_outputs_are_described_by_the_registry() -> None:
    from titr.experiments.outputs import OUTPUTS

    totals = REGISTRY["assessment.totals"]
    assert OUTPUTS["focus_t"][2] == f"{totals['focus_t'].description} [t/yr]"
    assert "Middle Corridor" not in " ".join(v[2] for v in OUTPUTS.values())


def test_the_web_api_documents_the_registered_columns() -> None:
    from titr.web.app import create_app

    schemas = create_app().openapi()["components"]["schemas"]
    row = schemas["AssessmentTotalsRow"]
    spec = REGISTRY["assessment.totals"]
    assert list(row["properties"]) == [c.name for c in spec.columns]
    assert row["properties"]["focus_t"]["description"].endswith("[t/yr]")
    assert schemas["AssessmentOut"]["properties"]["totals"]["items"] == {
        "$ref": "#/components/schemas/AssessmentTotalsRow"}
    assert list(schemas["DashboardVolumesRow"]["properties"]) == ["year", "corridor", "tonnes",
                                                                  "teu"]


def test_a_row_model_takes_a_keyword_column_by_its_name() -> None:
    model = REGISTRY["assessment.edges"].row_model
    row = {"id": "e", "kind": "link", "mode": "rail", "name": "E", "from": "a", "to": "b",
           "distance_km": 10.0, "first_year": 2020, "sources": ""}
    assert model.model_validate(row).model_dump() == row


def test_closure_tables_are_as_declared(tiny: Scenario) -> None:
    from titr.studies.closure import closure_effect

    res = closure_effect(tiny, 2020, "northern", days=60, start_month=3, replications=1)
    for name in ("volumes", "kpis", "waits"):
        assert_declared(getattr(res, name), f"closure.{name}")
    assert "extra_unserved_t" in res.volumes.attrs


def test_job_downloads_have_the_declared_types(tiny: Scenario) -> None:
    import os

    from titr.web.downloads import tables_duckdb
    from titr.web.schemas import JOB_TABLES

    res = titr.simulate(tiny, 2020, replications=1, seed=3)
    path = tables_duckdb({"kpis_long": res.kpis, "cpmm": res.cpmm}, "titr-test-")
    try:
        con = duckdb.connect(path, read_only=True)
        for name in ("kpis_long", "cpmm"):
            rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_name = ? ORDER BY ordinal_position",
                               [name]).fetchall()
            assert rows == [(c.name, DUCKDB[c.dtype]) for c in JOB_TABLES[name].columns]
        con.close()
    finally:
        os.unlink(path)
