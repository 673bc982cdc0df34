"""What every command shares: reading the scenario options, printing, errors and atomic writes."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from rich.console import Console
from rich.markup import escape

from titr.model.errors import TitrError, fail

if TYPE_CHECKING:  # the heavy layers load inside the commands, so `titr --help` starts fast
    import pandas as pd

    from titr.model import Scenario

P = ParamSpec("P")
R = TypeVar("R")

console = Console(highlight=False, soft_wrap=False, width=140)
err_console = Console(stderr=True, highlight=False, width=140)
STARTED = time.perf_counter()  # near the process start: the command's total time counts from here
DEFAULT_SCENARIO = "middle-corridor"
EXIT_BAD_INPUT = 2
MAX_REPLICATIONS = 1000  # simulation replications of one command (each is a simulated year)


def configure_logging(verbosity: int) -> None:
    """Show titr's log on stderr: warnings by default, notes of what is skipped or assumed
    with ``-v``, details with ``-vv``."""
    level = (logging.WARNING, logging.INFO)[verbosity] if verbosity < 2 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("titr: %(levelname)s: %(message)s (%(name)s)"))
    log = logging.getLogger("titr")
    log.handlers = [handler]
    log.setLevel(level)
    log.propagate = False


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn bad input into one clear message per problem and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TitrError as e:
            for p in e.problems:
                err_console.print(f"[bold red]error:[/] {escape(str(p))}", soft_wrap=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            err_console.print("interrupted")
            sys.exit(130)
        except OSError as e:  # the disk, not the model: full, read-only, gone
            place = f"{e.filename}: " if e.filename else ""
            err_console.print(f"[bold red]error:[/] {escape(place)}{escape(e.strerror or str(e))}"
                              ". Fix: check the path, its permissions and the free space",
                              soft_wrap=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def scenario_from(name: str | None, overrides: list[str] | None = None,
                  without: list[str] | None = None) -> Scenario:
    from titr.model import load

    sc = load(name or DEFAULT_SCENARIO, overrides or None)
    if without:
        sc = sc.without(*without)
    return sc


def parse_years(text: str | None, sc: Scenario, option: str = "--years") -> list[int]:
    """``2022-2030``, ``2024,2027,2030`` or ``2026`` → years inside the scenario's horizon.

    Each part is checked before any list is built, so ``0-999999999`` costs nothing."""
    if not text:
        return list(sc.years)
    horizon = f"use years from {sc.first_year} to {sc.last_year}"
    years: set[int] = set()
    for part in text.split(","):
        a, dash, b = part.strip().partition("-")
        try:
            first, last = int(a), int(b if dash else a)
        except ValueError:
            raise fail(f"cannot read years {_short(text)!r}", where=option,
                       fix="write 2022-2030, 2024,2027 or 2026") from None
        if last < first:
            raise fail(f"the range {first}-{last} is reversed", where=option,
                       fix=f"write {last}-{first}")
        if first < sc.first_year or last > sc.last_year:
            raise fail(f"{'year' if first == last else 'years'} {_short(part.strip())} "
                       f"{'is' if first == last else 'are'} outside the scenario's horizon "
                       f"{sc.first_year}–{sc.last_year}", where=option, fix=horizon)
        years.update(range(first, last + 1))
    return sorted(years)


def one_year(year: int, sc: Scenario, option: str = "--year") -> int:
    """A year option that must lie in the scenario's horizon."""
    if year not in sc.years:
        raise fail(f"year {year} is outside the scenario's horizon {sc.first_year}–"
                   f"{sc.last_year}", where=option,
                   fix=f"use a year from {sc.first_year} to {sc.last_year}")
    return year


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[:most] + "…"


def check_range(value: float | None, option: str, low: float, high: float,
                what: str = "a value") -> None:
    """Refuse an option outside ``low … high`` (NaN included) with the band in the message."""
    if value is None:
        return
    if not low <= value <= high:  # False for NaN too
        raise fail(f"{_num(value)} is outside {_num(low)} … {_num(high)}", where=option,
                   fix=f"give {what} from {_num(low)} to {_num(high)}")


def _num(x: float) -> str:
    return f"{int(x):,}" if x == x and float(x).is_integer() and abs(x) < 1e18 else f"{x:g}"


def command_seconds() -> tuple[float, float]:
    """Wall and CPU seconds of the command so far, imports and loading included."""
    return time.perf_counter() - STARTED, time.process_time()


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, default=_jsonable) + "\n")


def _jsonable(x: Any) -> Any:
    if hasattr(x, "item"):
        return x.item()
    if isinstance(x, float | int):
        return x
    return str(x)


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records"))


def print_table(df: pd.DataFrame, title: str = "", formats: dict[str, str] | None = None) -> None:
    import pandas as pd
    from rich.table import Table

    formats = formats or {}
    table = Table(title=title or None, title_justify="left", show_lines=False)
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
    for row in df.itertuples(index=False):
        cells = []
        for col, value in zip(df.columns, row, strict=True):
            if value is None or (isinstance(value, float) and value != value):
                cells.append("–")
            elif isinstance(value, float):
                cells.append(format(value, formats.get(str(col), ",.1f")))
            else:
                cells.append(str(value))
        table.add_row(*cells)
    console.print(table)
