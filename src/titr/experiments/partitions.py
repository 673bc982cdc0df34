"""A sweep stored as a folder of Parquet partitions, for sweeps too big for one file.

Layout (the same tables as :mod:`titr.experiments.store`)::

    DIR/sweep.json                  the experiment, its fingerprint, …
    DIR/points.parquet
    DIR/outputs/part-000001.parquet one partition per stored batch
    DIR/runs/part-000001.parquet    written after its outputs partition: it marks them done

Every file is written beside its target and renamed onto it. A batch whose runs partition is
missing (the sweep was killed between the two renames) is dropped when the sweep resumes, so
each run is stored once. :func:`connect` reads the folder as DuckDB views, so ``titr sweep
summary`` and ``export`` read either form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from titr.experiments import store
from titr.experiments.runner import RunRecord
from titr.model.atomic_files import atomic_write, write_text_atomic

META = "sweep.json"


def is_partitioned(path: str | Path) -> bool:
    return (Path(path) / META).is_file()


def create(folder: Path, meta: dict[str, Any], points: pd.DataFrame) -> None:
    for sub in ("runs", "outputs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    atomic_write(folder / "points.parquet", lambda tmp: points.to_parquet(tmp, index=False))
    write_text_atomic(folder / META, json.dumps(meta, sort_keys=True, indent=1))


def meta(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / META).read_text(encoding="utf-8")))


class PartitionSink:
    """Writes each batch of finished runs as one partition of ``runs`` and of ``outputs``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        runs = {p.name for p in (folder / "runs").glob("part-*.parquet")}
        for orphan in (folder / "outputs").glob("part-*.parquet"):
            if orphan.name not in runs:
                orphan.unlink()
        self.next = 1 + max((int(n[5:11]) for n in runs), default=0)

    def done(self) -> set[tuple[int, int]]:
        files = sorted((self.folder / "runs").glob("part-*.parquet"))
        if not files:
            return set()
        t = pq.read_table(files, columns=["point", "replication"])
        return set(zip(t["point"].to_pylist(), t["replication"].to_pylist(), strict=True))

    def write(self, records: list[RunRecord]) -> int:
        if not records:
            return 0
        runs_t, out_t = store.arrow_tables(records)
        name = f"part-{self.next:06d}.parquet"
        atomic_write(self.folder / "outputs" / name, lambda tmp: pq.write_table(out_t, tmp))
        atomic_write(self.folder / "runs" / name, lambda tmp: pq.write_table(runs_t, tmp))
        self.next += 1
        return len(records)

    def close(self) -> None:
        """Nothing held open."""


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose ``sweep``, ``points``, ``runs`` and ``outputs`` read the
    folder."""
    con = duckdb.connect(":memory:")
    con.execute(f"CREATE TABLE sweep ({store.SWEEP.duckdb_columns()}, PRIMARY KEY (key))")
    con.executemany("INSERT INTO sweep VALUES (?, ?)",
                    [(k, json.dumps(v, sort_keys=True)) for k, v in meta(folder).items()])
    points = _sql(folder / "points.parquet")
    con.execute(f"CREATE VIEW points AS SELECT * FROM read_parquet({points})")
    for name, schema in (("runs", store.RUNS_SCHEMA), ("outputs", store.OUTPUTS_SCHEMA)):
        runs = {p.name for p in (folder / "runs").glob("part-*.parquet")}
        files = sorted(str(p) for p in (folder / name).glob("part-*.parquet") if p.name in runs)
        if files:
            listed = ", ".join(_sql(Path(f)) for f in files)
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{listed}])")
        else:
            empty = pa.Table.from_pylist([], schema=schema)  # noqa: F841 - DuckDB reads it
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
    return con


def _sql(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
