"""Export a sweep database to Parquet or CSV files: one file per table.

Tables: ``points``, ``runs``, ``outputs`` (as stored; see :mod:`titr.experiments.store`),
``summary`` (per point, :mod:`titr.experiments.summary`) and ``sensitivity``
(:mod:`titr.experiments.sensitivity`). Each file is written beside its target and renamed
onto it, so a reader never sees half a file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from titr.experiments.sweep import SweepResult
from titr.model.atomic_files import atomic_write
from titr.model.errors import fail

FORMATS = ("parquet", "csv")
EXPORTED = ("points", "runs", "outputs", "summary", "sensitivity")


def export_sweep(db: str | Path, fmt: str, folder: str | Path) -> list[Path]:
    """Write every table of the sweep in ``db`` to ``folder`` as ``fmt``; the paths written."""
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}", where="--format", fix=f"use {' or '.join(FORMATS)}")
    res = SweepResult.load(db)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORTED:
        frame: pd.DataFrame = getattr(res, name)
        target = folder / f"{name}.{fmt}"
        written.append(atomic_write(target, _writer(frame, fmt)))
    return written


def _writer(frame: pd.DataFrame, fmt: str) -> Callable[[Path], object]:
    if fmt == "parquet":
        return lambda p: frame.to_parquet(p, index=False)
    return lambda p: frame.to_csv(p, index=False)
