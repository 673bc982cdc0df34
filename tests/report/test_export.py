"""Exports: GeoJSON of the network with a year's figures, and every table as CSV or Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from titr.model import TitrError
from titr.report import export
from titr.report.extras import table_names


def test_geojson_has_nodes_edges_and_the_years_figures(busy_db: Path, tmp_path: Path) -> None:
    (path,) = export(busy_db, "geojson", tmp_path, year=2020)
    assert path.name == "network-2020.geojson"
    fc = json.loads(path.read_text())  # strict JSON: no NaN
    assert fc["type"] == "FeatureCollection"
    kinds = [f["geometry"]["type"] for f in fc["features"]]
    assert kinds.count("Point") == 5 and kinds.count("LineString") == 5
    ferry = next(f for f in fc["features"] if f["id"] == "edge:p-q")
    props = ferry["properties"]
    assert props["mode"] == "sea" and props["year"] == 2020 and props["binding"] is True
    assert props["tonnes"] == pytest.approx(292_000) and props["utilisation"] == pytest.approx(1)
    line = ferry["geometry"]["coordinates"]  # lon, lat, along the sea lane between the ports
    assert line[0] == [51.0, 43.6] and line[-1] == [49.0, 40.0] and len(line) > 2
    point = next(f for f in fc["features"] if f["id"] == "node:a")
    assert point["geometry"]["coordinates"] == [100.0, 40.0]
    assert point["properties"]["layer"] == "node"


def test_geojson_defaults_to_the_last_year(busy_db: Path, tmp_path: Path) -> None:
    (path,) = export(busy_db, "geojson", tmp_path)
    assert path.name == "network-2025.geojson"


def test_geojson_year_outside_the_results(busy_db: Path, tmp_path: Path) -> None:
    with pytest.raises(TitrError, match="year 2040 is not in the results"):
        export(busy_db, "geojson", tmp_path, year=2040)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tables_round_trip(busy_db: Path, tmp_path: Path, fmt: str) -> None:
    written = export(busy_db, fmt, tmp_path)
    names = table_names(busy_db)
    assert [p.stem for p in written] == names
    assert {"flows", "utilisation", "edges", "assumptions", "meta"} <= set(names)
    con = duckdb.connect(str(busy_db), read_only=True)
    try:
        for p in written:
            original = con.execute(f'SELECT * FROM "{p.stem}"').df()
            back = pd.read_csv(p, keep_default_na=False, na_values=[""]) if fmt == "csv" \
                else pd.read_parquet(p)
            assert list(back.columns) == list(original.columns), p
            assert len(back) == len(original), p
            if fmt == "parquet":
                pd.testing.assert_frame_equal(back, original, check_dtype=False)
            else:
                for col in original.columns:
                    a, b = original[col], back[col]
                    if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
                        assert b.astype(float).tolist() == pytest.approx(
                            a.astype(float).tolist(), nan_ok=True), (p, col)
                    else:
                        assert _text(b) == _text(a), (p, col)
    finally:
        con.close()
    assert not list(tmp_path.glob(".*.tmp"))  # no leftovers of the atomic writes


def _text(s: pd.Series) -> list[str]:
    return ["" if pd.isna(x) else str(x) for x in s]


def test_unknown_format(busy_db: Path, tmp_path: Path) -> None:
    with pytest.raises(TitrError, match="unknown format 'xlsx'"):
        export(busy_db, "xlsx", tmp_path)
