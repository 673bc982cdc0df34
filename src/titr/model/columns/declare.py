"""How a result table is declared: its columns (name, dtype, unit, description), once.

Every form a table takes is made from its declaration: the pandas DataFrame
(:meth:`TableSpec.frame`, :meth:`TableSpec.conform`), the Arrow/Parquet schema
(:meth:`TableSpec.arrow_schema`), the DuckDB column types (:meth:`TableSpec.duckdb_columns`),
the JSON row model of the web API (:meth:`TableSpec.row_model`) and the guide's reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, create_model

# dtype → (pandas dtype, Arrow type, DuckDB type, JSON type)
DTYPES: dict[str, tuple[str, pa.DataType, str, Any]] = {
    "int64": ("int64", pa.int64(), "BIGINT", int),
    "int32": ("int32", pa.int32(), "INTEGER", int),
    "float64": ("float64", pa.float64(), "DOUBLE", float | None),  # NaN is JSON null
    "str": ("str", pa.string(), "VARCHAR", str | None),
    "bool": ("bool", pa.bool_(), "BOOLEAN", bool),
    # a dictionary-encoded string (repeated ids in big simulation tables)
    "category": ("category", pa.dictionary(pa.int32(), pa.string()), "VARCHAR", str | None),
    "datetime": ("datetime64[us]", pa.timestamp("us"), "TIMESTAMP", str | None),
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    unit: str
    description: str

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name}: unknown dtype {self.dtype!r}")


@dataclass(frozen=True)
class TableSpec:
    """A result table: where it comes from (``family``: assessment, simulation, sweep …),
    its ``name`` there, what one row is, and its columns in order."""

    family: str
    name: str
    row: str
    columns: tuple[Column, ...]
    # columns that vary with the run (a sweep's parameters): what they are; they come right
    # after the first column, with the dtype of their values
    varying: str = ""

    @property
    def key(self) -> str:
        return f"{self.family}.{self.name}"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.key} has no column {name!r}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def dtypes(self) -> dict[str, str]:
        """Column → pandas dtype, as :meth:`frame` makes them."""
        return {c.name: DTYPES[c.dtype][0] for c in self.columns}

    def empty(self) -> pd.DataFrame:
        return self.conform(pd.DataFrame(columns=self.names))

    def frame(self, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
        """The table of ``rows`` (dicts with exactly these columns), built column by column
        (pandas builds a column from a list faster than a frame from dicts)."""
        rows = list(rows)
        return self.conform(pd.DataFrame({n: [r.get(n) for r in rows] for n in self.names}))

    def conform(self, df: pd.DataFrame, fill: bool = False) -> pd.DataFrame:
        """``df`` with the declared columns in order and their dtypes; a column missing or
        one not declared is a bug of the code making the table, reported by name. ``fill``
        adds missing columns as empty instead (tables of rows whose figures are optional,
        such as a route with no unit done)."""
        have = set(df.columns)
        if fill and not have.issuperset(self.names):
            df = df.reindex(columns=[*df.columns, *(n for n in self.names if n not in have)])
            have = set(df.columns)
        missing = [n for n in self.names if n not in have]
        extra = [str(n) for n in df.columns if n not in self.names]
        if missing or (extra and not self.varying):
            raise ValueError(f"table {self.key}: missing columns {missing}, undeclared {extra}")
        order = [self.names[0], *extra, *self.names[1:]] if extra else self.names
        out = df if list(df.columns) == order else df[order]
        dtypes = {str(k): str(v) for k, v in out.dtypes.items()}  # one pass, not column by column
        wrong = {n: t for n, t in self.dtypes().items() if dtypes[n] != t}
        return out.astype(wrong) if wrong else out

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, DTYPES[c.dtype][1]) for c in self.columns])

    def duckdb_columns(self) -> str:
        """The column list of a ``CREATE TABLE``: ``"year" BIGINT, …``."""
        return ", ".join(f'"{c.name}" {DTYPES[c.dtype][2]}' for c in self.columns)

    @cached_property
    def row_model(self) -> type[BaseModel]:
        """A pydantic model of one row, for the web API's schema (OpenAPI)."""
        fields: dict[str, Any] = {
            _field(c.name): (DTYPES[c.dtype][3], _pydantic_field(c)) for c in self.columns}
        config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True,
                            serialize_by_alias=True)
        model = create_model(_class_name(self.key), __config__=config, **fields)
        model.__doc__ = f"One row of the {self.family} table {self.name}: {self.row}"
        return model

    def reference(self) -> pd.DataFrame:
        """The table's columns for the guide: column, type, unit, meaning."""
        rows = [{"column": c.name, "type": c.dtype, "unit": c.unit or "–",
                 "meaning": c.description} for c in self.columns]
        if self.varying:
            rows.insert(1, {"column": "…", "type": "–", "unit": "–", "meaning": self.varying})
        return pd.DataFrame(rows)


def _field(name: str) -> str:
    return f"{name}_" if name in {"from", "set", "json", "schema", "copy"} else name


def _pydantic_field(c: Column) -> Any:
    from pydantic import Field

    unit = f" [{c.unit}]" if c.unit else ""
    return Field(alias=c.name, description=c.description + unit)


def _class_name(key: str) -> str:
    return "".join(p.capitalize() for p in key.replace(".", "_").split("_")) + "Row"


def table(family: str, name: str, row: str, columns: Iterable[tuple[str, str, str, str]],
          varying: str = "") -> TableSpec:
    """Declare a table from ``(name, dtype, unit, description)`` tuples."""
    return TableSpec(family, name, row, tuple(Column(*c) for c in columns), varying)


def write_table(con: Any, spec: TableSpec, frame: pd.DataFrame, name: str | None = None) -> None:
    """Create (or replace) table ``name`` (default: the spec's) in a DuckDB connection with
    the declared column types, and insert ``frame``'s rows."""
    name = name or spec.name
    rows = spec.conform(frame)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(f'CREATE OR REPLACE TABLE "{name}" ({spec.duckdb_columns()})')
    con.execute(f'INSERT INTO "{name}" SELECT * FROM rows')


def read_table(con: Any, spec: TableSpec, name: str | None = None) -> pd.DataFrame:
    """A table written by :func:`write_table`, as the declared DataFrame."""
    return spec.conform(con.execute(f'SELECT * FROM "{name or spec.name}"').df())
