"""Sweeps: titr sweep EXPERIMENT.toml, titr sweep export, titr sweep summary, titr sweep outputs.

``titr sweep FILE …`` is short for ``titr sweep run FILE …``. The heavy layers load inside the
commands, so ``titr --help`` stays fast.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from typer.core import TyperGroup

from titr.cli.common import (
    check_range,
    console,
    err_console,
    frame_records,
    friendly,
    print_json,
    print_table,
)
from titr.cli.scenario_cmds import JsonOpt
from titr.model.errors import fail
from titr.model.files import writable_file, writable_folder

if TYPE_CHECKING:
    import pandas as pd

    from titr.experiments.executors import Kind
    from titr.experiments.sweep import Format, SweepResult

EXIT_INTERRUPTED = 130
DEFAULT_DB = Path("sweep.duckdb")
DEFAULT_PARTS = Path("sweep-parts")  # --parquet: a folder of partitions
MAX_WORKERS = 256  # local processes or Dask workers one command starts


class _SweepGroup(TyperGroup):
    """``titr sweep FILE …`` runs ``titr sweep run FILE …``."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_SweepGroup, no_args_is_help=True, add_completion=False,
    help="Scenario grids and Monte Carlo replications (serial, local processes or Dask); "
         "every run stored in DuckDB. Usage: titr sweep EXPERIMENT.toml [OPTIONS] "
         "(built-in example: ferries-storms-demand-2030), titr sweep summary DB, "
         "titr sweep export DB --parquet DIR, titr sweep outputs.")


def _progress_printer(quiet: bool) -> tuple[Callable[[int, int], None] | None, Any]:
    """A progress callback: a Rich bar on a terminal, else a plain line (stderr) every 2 s
    and every tenth of the sweep."""
    if quiet:
        return None, None
    if err_console.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(TextColumn("runs"), BarColumn(), MofNCompleteColumn(),
                       TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                       TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                       console=err_console, transient=False)
        state: dict[str, Any] = {}

        def on_bar(done: int, total: int) -> None:
            if "task" not in state:
                state["task"] = bar.add_task("sweep", total=total, completed=done, rate="")
                state["start"] = (time.perf_counter(), done)
                return
            t0, d0 = state["start"]
            dt = time.perf_counter() - t0
            rate = f"{(done - d0) / dt:.2f} runs/s" if dt > 0 and done > d0 else ""
            bar.update(state["task"], completed=done, rate=rate)

        return on_bar, bar
    last = [0.0, -1.0, 0.0]  # time, tenth of the sweep and runs of the last line

    def on_line(done: int, total: int) -> None:
        now, tenth = time.perf_counter(), (10 * done) // max(total, 1)
        first = done > 0 and last[2] == 0  # the first runs stored: the sweep is under way
        if done == total or now - last[0] >= 2.0 or tenth > last[1] or first:
            last[0], last[1], last[2] = now, tenth, done
            err_console.print(f"{done}/{total} runs", soft_wrap=True)

    return on_line, None


def _executor(kind: str | None, scheduler: str | None, dask_local: int | None) -> Kind:
    from titr.experiments.executors import KINDS

    chosen = kind or ("dask" if scheduler or dask_local else "processes")
    if chosen not in KINDS:
        raise fail(f"unknown executor {chosen!r}", where="--executor",
                   fix=f"use one of: {', '.join(KINDS)}")
    return cast("Kind", chosen)


@app.command("run")
@friendly
def run(
    experiment: Annotated[str, typer.Argument(
        help="experiment TOML file, or a built-in experiment name")],
    out: Annotated[Path, typer.Option("--out", "-o", help="results database")] = DEFAULT_DB,
    executor: Annotated[str | None, typer.Option(
        help="serial, processes or dask [default: processes; dask with --scheduler or "
             "--dask-local]", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(
        help="local processes [default: all cores]", show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")] = None,
    dask_local: Annotated[int | None, typer.Option(
        "--dask-local", help="start a local Dask cluster of N worker processes")] = None,
    resume: Annotated[bool, typer.Option(
        help="continue the sweep in --out: run only the missing runs")] = False,
    max_runs: Annotated[int, typer.Option(help="refuse designs with more runs")] = 5000,
    chunk: Annotated[int | None, typer.Option(
        help="replications of one point per task [default: automatic]",
        show_default=False)] = None,
    parquet: Annotated[bool, typer.Option(
        "--parquet", help="store as a folder of Parquet partitions, one per batch (for "
        "sweeps too big for one file); --out names the folder")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="no progress and no tables; one line at the end")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run a sweep (or resume one): every run stored as it finishes; per-point summary and
    sensitivity ranking at the end. Ctrl-C stops the workers and keeps what is done."""
    from titr.experiments import SweepInterrupted, run_sweep
    from titr.experiments.sweep import MAX_RUNS_LIMIT

    writable_file(out, "--out", "sweep.duckdb")  # every check before any work
    check_range(max_runs, "--max-runs", 1, MAX_RUNS_LIMIT, "a number of runs")
    check_range(workers, "--workers", 1, MAX_WORKERS, "a number of processes")
    check_range(dask_local, "--dask-local", 1, MAX_WORKERS, "a number of processes")
    check_range(chunk, "--chunk", 1, 1000, "a number of replications")
    on_progress, bar = _progress_printer(quiet)
    if parquet and out == DEFAULT_DB:
        out = DEFAULT_PARTS
    store_as: Format = "parquet" if parquet else "duckdb"
    try:
        if bar is not None:
            with bar:
                res = run_sweep(experiment, out, _executor(executor, scheduler, dask_local),
                                workers, resume, max_runs, progress=on_progress, chunk=chunk,
                                scheduler=scheduler, dask_local=dask_local, store_as=store_as)
        else:
            res = run_sweep(experiment, out, _executor(executor, scheduler, dask_local),
                            workers, resume, max_runs, progress=on_progress, chunk=chunk,
                            scheduler=scheduler, dask_local=dask_local, store_as=store_as)
    except SweepInterrupted as e:
        err_console.print(f"interrupted: {e.done} of {e.total} runs are stored in {e.path}; "
                          f"resume with: titr sweep {experiment} --out {e.path} --resume"
                          + (" --parquet" if parquet else ""),
                          soft_wrap=True)
        sys.exit(EXIT_INTERRUPTED)
    head = (f"{res.ran} runs done, {res.skipped} already stored; {len(res.runs)} of "
            f"{res.total_runs} in {out} ({res.executor}, {res.workers} worker(s), "
            f"{res.seconds:.1f} s)")
    if as_json:
        print_json({**_json(res), "ran": res.ran, "skipped": res.skipped,
                    "seconds": res.seconds, "executor": res.executor, "workers": res.workers})
    elif quiet:
        console.print(head, soft_wrap=True)
    else:
        _print(res, head)


@app.command("summary")
@friendly
def summary(
    db: Annotated[Path, typer.Argument(
        help="a sweep database, or its folder of Parquet partitions")] = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """The per-point summary and the sensitivity ranking of a (possibly unfinished) sweep."""
    from titr.experiments import SweepResult

    res = SweepResult.load(db)
    if as_json:
        print_json(_json(res))
        return
    _print(res, f"{len(res.runs)} of {res.total_runs} runs in {db}")


@app.command("export")
@friendly
def export(
    db: Annotated[Path, typer.Argument(help="a sweep database")] = DEFAULT_DB,
    parquet: Annotated[Path | None, typer.Option(help="write Parquet files to this folder")
                       ] = None,
    csv: Annotated[Path | None, typer.Option(help="write CSV files to this folder")] = None,
) -> None:
    """Export points, runs, outputs, summary and sensitivity as Parquet and/or CSV."""
    from titr.experiments.sweep_export import export_sweep

    if parquet is None and csv is None:
        raise fail("nothing to export", where="export", fix="give --parquet DIR or --csv DIR")
    for option, folder in (("--parquet", parquet), ("--csv", csv)):
        if folder is not None:
            writable_folder(folder, option)
    for fmt, folder in (("parquet", parquet), ("csv", csv)):
        if folder is not None:
            for path in export_sweep(db, fmt, folder):
                console.print(f"wrote {path}")


@app.command("outputs")
def outputs() -> None:
    """The outputs an experiment can keep (its `outputs` and `sensitivity` fields)."""
    import pandas as pd

    from titr.experiments.outputs import describe

    print_table(pd.DataFrame(describe()), title="Outputs of a sweep run")


def _json(res: SweepResult) -> dict[str, Any]:
    return {"experiment": res.meta["experiment"], "db": str(res.path),
            "fingerprint": res.meta["fingerprint"], "runs": len(res.runs),
            "total_runs": res.total_runs, "points": frame_records(res.points),
            "summary": frame_records(res.summary),
            "sensitivity": frame_records(res.sensitivity)}


def _print(res: SweepResult, head: str) -> None:
    exp = res.experiment
    console.print(f"[bold]{exp.name}[/] — {exp.design}, {len(res.points)} points × "
                  f"{exp.replications} replications, seed {exp.seed}, years "
                  f"{', '.join(map(str, exp.years))}")
    console.print(head, soft_wrap=True)
    print_table(res.headline(), title="Per design point: mean [95% CI] across replications",
                formats={p: ".3g" for p in exp.labels})
    print_table(res.output_ranges(), title="Every output kept: the lowest and the highest "
                "point mean [95% CI, clipped at 0]")
    print_table(ranking_table(res.sensitivity),
                title="Sensitivity: which parameter moves each output most (on point means)",
                formats={"R²": ".2f"})
    console.print("importance = |standardized regression coefficient| (or of ranks when the "
                  "linear fit is poor); signed values shown; see titr.experiments.sensitivity",
                  soft_wrap=True)


def ranking_table(sens: pd.DataFrame) -> pd.DataFrame:
    """One row per target: the ranking, each parameter's signed coefficient, the fit's R²."""
    import numpy as np
    import pandas as pd

    rows = []
    for key, g in sens.groupby(["year", "output", "subject"], sort=False):
        year, output, subject = (str(k) for k in key)
        g = g.sort_values("rank")
        method = g["method"].iloc[0]
        row: dict[str, Any] = {"output": output + (f" {subject}" if subject else ""),
                               "year": year}
        if method == "constant":
            row["ranking"] = "(does not vary)"
        else:
            row["ranking"] = " > ".join(g["parameter"])
        for r in g.to_dict("records"):
            coef = r.get(method) if method in ("src", "srrc", "spearman") else None
            row[str(r["parameter"])] = ("–" if coef is None or not np.isfinite(coef)
                                        else f"{float(coef):+.2f}")
        row["method"] = method
        row["R²"] = g["r2"].iloc[0] if method == "src" else g["r2_rank"].iloc[0]
        rows.append(row)
    return pd.DataFrame(rows)
