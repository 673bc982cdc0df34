"""Files to download: a table as CSV, a year of a run as GeoJSON, a job's tables as DuckDB.
Files are made in memory or in a fresh temporary file that is deleted once sent; their names
come from the server (run or job id, table name), never from the client.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

import duckdb
import pandas as pd
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from titr.assign.assessment_result import TABLES
from titr.model.columns.declare import write_table
from titr.report.export import network_geojson
from titr.web.schemas import JOB_TABLES

CSV = "text/csv; charset=utf-8"
GEOJSON = "application/geo+json"
DUCKDB = "application/vnd.duckdb"
RUN_TABLES = tuple(TABLES)


def attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def csv_response(df: pd.DataFrame, name: str) -> Response:
    return Response(df.to_csv(index=False), media_type=CSV, headers=attachment(name))


def geojson_response(res: Any, year: int, name: str) -> Response:
    text = json.dumps(network_geojson(res, year), ensure_ascii=False, allow_nan=False)
    return Response(text, media_type=GEOJSON, headers=attachment(name))


def _remove(path: str) -> None:
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.unlink(p)


def file_response(path: str, name: str) -> FileResponse:
    """Send a temporary file and delete it afterwards."""
    return FileResponse(path, media_type=DUCKDB, filename=name,
                        background=BackgroundTask(_remove, path))


def tables_duckdb(tables: dict[str, pd.DataFrame], prefix: str) -> str:
    """A job's tables in a new DuckDB file (the caller sends and deletes it)."""
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=".duckdb")
    os.close(fd)
    os.unlink(path)
    try:
        con = duckdb.connect(path)
        try:
            for name, frame in tables.items():
                if name in JOB_TABLES:  # with the registry's column types
                    write_table(con, JOB_TABLES[name], frame, name)
                    continue
                con.register("frame_df", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame_df')
                con.unregister("frame_df")
        finally:
            con.close()
    except BaseException:
        _remove(path)
        raise
    return path
