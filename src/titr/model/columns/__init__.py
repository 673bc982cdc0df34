"""The registry of result tables: every table titr produces, its columns declared once.

``REGISTRY`` maps ``family.name`` (``assessment.totals``, ``simulation.units``,
``sweep.outputs`` …) to a :class:`~titr.model.columns.declare.TableSpec`; the DataFrames, the
DuckDB and Parquet schemas, the web API's row models and the guide's reference of results are
all made from it.
"""

from __future__ import annotations

from titr.model.columns import (
    assessment_columns,
    results_file_columns,
    simulation_columns,
    study_columns,
    sweep_columns,
)
from titr.model.columns.declare import Column, TableSpec

REGISTRY: dict[str, TableSpec] = {
    t.key: t for t in (*assessment_columns.ASSESSMENT, assessment_columns.ROUTES,
                       assessment_columns.PROJECT_VALUES, assessment_columns.BACKTEST,
                       *assessment_columns.DASHBOARD,
                       *results_file_columns.RESULTS_FILE, *simulation_columns.SIMULATION,
                       *study_columns.STUDIES, *sweep_columns.SWEEPS)}


def spec(key: str) -> TableSpec:
    """The declaration of a table, by ``family.name``."""
    return REGISTRY[key]


def family(name: str) -> dict[str, TableSpec]:
    """The tables of one family (``assessment``, ``simulation``, ``sweep`` …) by name."""
    return {t.name: t for t in REGISTRY.values() if t.family == name}


__all__ = ["REGISTRY", "Column", "TableSpec", "family", "spec"]
