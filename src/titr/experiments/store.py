"""The sweep's DuckDB database: the experiment, its points, and every finished run.

Tables (all written by the main process; a batch of runs is one transaction, so a sweep
killed at any moment keeps every run it had received, and never half a run):

- ``sweep``: ``key``, ``value`` (JSON): the experiment as run, its ``fingerprint``, ``file``,
  ``scenario``, ``parameters`` (label → paths), ``total_runs``, ``created``, ``titr``.
- ``points``: ``point``, one column per parameter (its design value; a factor for relative
  parameters) and ``overrides`` (JSON: the concrete ``--set`` overrides of the point).
- ``runs``: ``point``, ``replication`` (the primary key: a run is stored once), ``seconds``,
  ``worker``, ``finished`` (UTC).
- ``outputs``: ``point``, ``replication``, ``year``, ``output``, ``subject``, ``value``,
  ``text`` (see :mod:`titr.experiments.outputs`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from titr.experiments.runner import RunRecord
from titr.model.columns import spec
from titr.model.errors import fail
from titr.model.files import regular_file

SWEEP, POINTS, RUNS, OUTPUTS = (spec(f"sweep.{n}") for n in ("sweep", "points", "runs",
                                                             "outputs"))
SCHEMA = f"""
CREATE TABLE sweep ({SWEEP.duckdb_columns()}, PRIMARY KEY (key));
CREATE TABLE runs ({RUNS.duckdb_columns()}, PRIMARY KEY (point, replication));
CREATE TABLE outputs ({OUTPUTS.duckdb_columns()});
"""
TABLES = ("sweep", "points", "runs", "outputs")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        raise fail(f"cannot open the database: {e}", where=str(path),
                   fix="is another sweep writing it? Wait for it, or use another --out"
                   ) from None


def is_sweep(con: duckdb.DuckDBPyConnection) -> bool:
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
             .fetchall()}
    return set(TABLES) <= names


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
    return row is None or row[0] == 0


def create(con: duckdb.DuckDBPyConnection, meta: dict[str, Any], points: pd.DataFrame) -> None:
    """Create the tables of a new sweep, in one transaction."""
    con.begin()
    try:
        con.execute(SCHEMA)
        rows = [(k, json.dumps(v, sort_keys=True)) for k, v in meta.items()]
        con.executemany("INSERT INTO sweep VALUES (?, ?)", rows)
        con.register("points_df", points)
        con.execute("CREATE TABLE points AS SELECT * FROM points_df")
        con.unregister("points_df")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM sweep").fetchall()}


def done(con: duckdb.DuckDBPyConnection) -> set[tuple[int, int]]:
    return {(int(p), int(r)) for p, r in
            con.execute("SELECT point, replication FROM runs").fetchall()}


RUNS_SCHEMA = RUNS.arrow_schema()
OUTPUTS_SCHEMA = OUTPUTS.arrow_schema()


def arrow_tables(records: list[RunRecord]) -> tuple[pa.Table, pa.Table]:
    """The ``runs`` and ``outputs`` rows of finished runs, as Arrow tables."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    runs_t = pa.Table.from_pylist(
        [{"point": r.point, "replication": r.replication, "seconds": r.seconds,
          "worker": r.worker, "finished": now} for r in records], schema=RUNS_SCHEMA)
    rows = [(r.point, r.replication, *o) for r in records for o in r.outputs]
    out_t = pa.Table.from_arrays(
        [pa.array([row[i] for row in rows], type=f.type) for i, f in enumerate(OUTPUTS_SCHEMA)],
        schema=OUTPUTS_SCHEMA)
    return runs_t, out_t


def write(con: duckdb.DuckDBPyConnection, records: Iterable[RunRecord]) -> int:
    """Store finished runs (one transaction, two bulk inserts); returns how many."""
    records = list(records)
    if not records:
        return 0
    runs_t, out_t = arrow_tables(records)
    con.begin()
    try:
        con.from_arrow(runs_t).insert_into("runs")
        con.from_arrow(out_t).insert_into("outputs")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(records)


class DuckSink:
    """Finished runs into the sweep's DuckDB file (see :func:`write`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def done(self) -> set[tuple[int, int]]:
        return done(self.con)

    def write(self, records: list[RunRecord]) -> int:
        return write(self.con, records)

    def close(self) -> None:
        self.con.close()


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """``points``, ``runs`` and ``outputs``, sorted."""
    return {
        "points": POINTS.conform(con.execute("SELECT * FROM points ORDER BY point").df()),
        "runs": RUNS.conform(con.execute("SELECT * FROM runs ORDER BY point, replication")
                             .df()),
        "outputs": OUTPUTS.conform(con.execute("SELECT * FROM outputs ORDER BY point, "
                                               "replication, year, output, subject").df()),
    }


def open_existing(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A sweep database (read-only) or a folder of partitions (see
    :mod:`titr.experiments.partitions`); a clear error if it is neither."""
    from titr.experiments import partitions

    if partitions.is_partitioned(path):
        return partitions.connect(Path(path))
    fix = "give the --out file of a sweep (default sweep.duckdb), or its folder of Parquet " \
          "partitions"
    if not Path(path).exists():
        raise fail(f"no database {str(path)!r}", where="DB", fix=fix)
    regular_file(path, "sweep database", fix)
    con = connect(path, read_only=True)
    if not is_sweep(con):
        con.close()
        raise fail(f"{str(path)!r} is not a sweep database", where="DB",
                   fix="give the --out file of `titr sweep`")
    return con
