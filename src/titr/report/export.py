"""Exports of a results database: the network with a year's flows as GeoJSON (opens in QGIS),
and every table as CSV or Parquet. Each file is written whole or not at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from titr.assign.assessment_result import AssessmentResult
from titr.model.atomic_files import atomic_write, write_text_atomic
from titr.model.columns import REGISTRY
from titr.model.errors import fail
from titr.report.extras import read_results, table_names
from titr.report.page_data import clean

log = logging.getLogger(__name__)

FORMATS = ("geojson", "csv", "parquet")


def _edge_properties(res: AssessmentResult, year: int) -> dict[str, dict[str, Any]]:
    f = res.flows[res.flows.year == year]
    u = res.utilisation[(res.utilisation.year == year)
                        & res.utilisation.kind.isin(["link", "service"])]
    out: dict[str, dict[str, Any]] = {}
    for element, g in f.groupby("element"):
        way = g.groupby("direction").tonnes.sum()
        out[str(element)] = {"tonnes": g.tonnes.sum(), "teu": g.teu.fillna(0).sum(),
                             "tonnes_forward": way.get("forward", 0.0),
                             "tonnes_reverse": way.get("reverse", 0.0)}
    for element, g in u.groupby("element"):
        top = g.sort_values("utilisation", ascending=False).iloc[0]
        out.setdefault(str(element), {}).update({
            "capacity": top.capacity, "capacity_t": top.capacity_t,
            "utilisation": top.utilisation, "binding": bool(g.binding.any()),
            "shadow_usd_per_t": g.shadow_usd_per_t.max()})
    return out


def _node_properties(res: AssessmentResult, year: int) -> dict[str, dict[str, Any]]:
    u = res.utilisation[(res.utilisation.year == year)
                        & res.utilisation.kind.isin(["handling", "border", "gauge"])]
    out = {}
    for element, g in u.groupby("element"):
        top = g.sort_values("utilisation", ascending=False).iloc[0]
        out[str(element)] = {"resource": top.label, "capacity": top.capacity,
                             "utilisation": top.utilisation, "binding": bool(g.binding.any()),
                             "shadow_usd_per_t": g.shadow_usd_per_t.max()}
    return out


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict(orient="records")]


def network_geojson(res: AssessmentResult, year: int | None = None,
                    lines: dict[str, list[list[float]]] | None = None) -> dict[str, Any]:
    """Nodes as Points and edges as LineStrings (lon, lat; WGS 84) with the year's figures;
    ``lines`` (edge id → [[lat, lon], …], see :func:`~titr.report.extras.edge_lines`) draws
    edges along their sea lanes or waypoints instead of straight."""
    years = [int(y) for y in res.totals.year]
    year = year if year is not None else (years[-1] if years else None)
    if year not in years:
        raise fail(f"year {year} is not in the results", where="--year",
                   fix=f"use one of {years[0]}–{years[-1]}" if years else "assess some years")
    assert year is not None
    at = {r.id: (r.lon, r.lat) for r in res.nodes.itertuples(index=False)}
    nprops, eprops = _node_properties(res, year), _edge_properties(res, year)
    features: list[dict[str, Any]] = []
    for n in _records(res.nodes):
        props = {"layer": "node", "year": year, "open": n["first_year"] <= year, **n,
                 **nprops.get(n["id"], {})}
        features.append({"type": "Feature", "id": f"node:{n['id']}", "properties": props,
                         "geometry": {"type": "Point", "coordinates": [n["lon"], n["lat"]]}})
    for e in _records(res.edges):
        if e["from"] not in at or e["to"] not in at:
            log.warning("%s %s is left off the map: its node %s is not in the results",
                        e["kind"], e["id"], e["from"] if e["from"] not in at else e["to"])
            continue
        figures = {"tonnes": 0.0, "teu": 0.0, **eprops.get(e["id"], {})}
        props = {"layer": "edge", "year": year, "open": e["first_year"] <= year, **e, **figures}
        line = (lines or {}).get(e["id"])
        coords = [[lon, lat] for lat, lon in line] if line else [list(at[e["from"]]),
                                                                 list(at[e["to"]])]
        features.append({"type": "Feature", "id": f"edge:{e['id']}", "properties": props,
                         "geometry": {"type": "LineString", "coordinates": coords}})
    return {"type": "FeatureCollection", "name": f"titr-{res.scenario}-{year}",
            "features": clean(features)}


def export(results: str | Path, fmt: str, out: str | Path,
           year: int | None = None) -> list[Path]:
    """Write ``results`` (a DuckDB from ``titr assess``) into the folder ``out``."""
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}", where="--format", fix=f"use {', '.join(FORMATS)}")
    res, ex = read_results(results)  # checks the file and gives clear errors
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise fail("exists and is not a folder", where=str(folder), fix="give a folder for --out")
    if fmt == "geojson":
        fc = network_geojson(res, year, ex.lines)
        name = f"network-{fc['name'].rsplit('-', 1)[-1]}.geojson"
        text = json.dumps(fc, ensure_ascii=False, allow_nan=False)
        return [write_text_atomic(folder / name, text)]
    written = []
    names = table_names(results)
    con = duckdb.connect(str(results), read_only=True)
    try:
        for table in names:
            df = con.execute(f'SELECT * FROM "{table}"').df()
            writer = _csv_writer(df) if fmt == "csv" else _parquet_writer(df, table)
            written.append(atomic_write(folder / f"{table}.{fmt}", writer))
    finally:
        con.close()
    return written


def _csv_writer(df: pd.DataFrame) -> Callable[[Path], None]:
    return lambda p: df.to_csv(p, index=False)


def _parquet_writer(df: pd.DataFrame, name: str) -> Callable[[Path], None]:
    """The table with its declared Arrow schema (``titr.model.columns``) when it is one of
    the registry's and has its columns; as stored otherwise (a table someone added)."""
    spec = REGISTRY.get(f"assessment.{name}") or REGISTRY.get(f"results.{name}")
    if spec is None or set(df.columns) != set(spec.names):
        return lambda p: df.to_parquet(p, index=False)
    table = pa.Table.from_pandas(spec.conform(df), schema=spec.arrow_schema(),
                                 preserve_index=False)
    return lambda p: pq.write_table(table, p)
