"""Run a sweep: check the experiment, build its points, run what is missing, store, summarise.

>>> res = run_sweep("ferries-storms-demand-2030", out="sweep.duckdb")   # doctest: +SKIP
>>> res.summary, res.sensitivity, res.headline()                        # doctest: +SKIP

Everything a user can get wrong (the file, a scenario path, a range, the size of the design,
an existing database) is refused before anything runs. Runs are stored as they finish (see
:mod:`titr.experiments.store`); ``resume=True`` runs only those missing, so a sweep stopped by
Ctrl-C or killed outright continues where it was. Nothing here prints: ``progress(done,
total)`` is called after every stored batch.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from titr.experiments import design, partitions, store
from titr.experiments.chunking import Chunker
from titr.experiments.executors import ExecutorSpec, Kind, open_executor
from titr.experiments.payload import ScenarioPayload
from titr.experiments.resolve import Resolved, resolve
from titr.experiments.runner import (
    PointTask,
    RunError,
    RunFunction,
    RunRecord,
    prepare_point,
    run_titr,
)
from titr.experiments.sensitivity import most_influential, sensitivity
from titr.experiments.spec import Experiment, read_experiment
from titr.experiments.summary import headline, output_ranges, point_summary
from titr.model.errors import TitrError, fail
from titr.model.overview import Overviewed, table_sizes

DEFAULT_MAX_RUNS = 5000
MAX_RUNS_LIMIT = 1_000_000  # the most --max-runs can allow
MAX_POINTS = 100_000  # design points built at most, whatever --max-runs says
BATCH_S = 1.0  # finished runs are stored at least this often (and at the end)
BATCH_RUNS = 2000  # … or when this many wait
Progress = Callable[[int, int], None]
Format = Literal["duckdb", "parquet"]


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep: the workers were stopped; ``done`` runs are stored."""

    def __init__(self, done: int, total: int, path: Path) -> None:
        super().__init__(f"interrupted with {done} of {total} runs stored in {path}")
        self.done, self.total, self.path = done, total, path


@dataclass(repr=False)
class SweepResult(Overviewed):
    """A sweep's tables (see :mod:`titr.experiments.store`) and what is computed from them:
    ``summary`` (per point, :func:`~titr.experiments.summary.point_summary`) and
    ``sensitivity`` (:mod:`titr.experiments.sensitivity`)."""

    path: Path
    meta: dict[str, Any]
    points: pd.DataFrame
    runs: pd.DataFrame
    outputs: pd.DataFrame
    summary: pd.DataFrame
    sensitivity: pd.DataFrame
    ran: int = 0
    skipped: int = 0
    seconds: float = 0.0
    executor: str = ""
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def experiment(self) -> Experiment:
        return Experiment.model_validate(self.meta["experiment"])

    @property
    def total_runs(self) -> int:
        return int(self.meta["total_runs"])

    @property
    def complete(self) -> bool:
        return len(self.runs) == self.total_runs

    def headline(self) -> pd.DataFrame:
        """Per point: parameters and ``mean [95 % CI]`` of the sensitivity targets."""
        exp = self.experiment
        return headline(self.summary, exp.sensitivity, exp.labels)

    def output_ranges(self) -> pd.DataFrame:
        """Every output kept: its lowest and highest point mean [95 % CI]."""
        return output_ranges(self.summary)

    def most_influential(self) -> pd.DataFrame:
        return most_influential(self.sensitivity)

    @classmethod
    def from_connection(cls, con: Any, path: Path, **extra: Any) -> SweepResult:
        meta = store.meta(con)
        t = store.tables(con)
        exp = Experiment.model_validate(meta["experiment"])
        summ = point_summary(t["points"], t["outputs"])
        sens = sensitivity(t["points"], summ, exp.labels, exp.sensitivity)
        return cls(path, meta, t["points"], t["runs"], t["outputs"], summ, sens, **extra)

    @classmethod
    def load(cls, path: str | Path) -> SweepResult:
        """Read a sweep database (it may be incomplete)."""
        con = store.open_existing(path)
        try:
            return cls.from_connection(con, Path(path))
        finally:
            con.close()

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        return "SweepResult", str(self.meta["experiment"]["name"]), {
            "runs": f"{len(self.runs)} of {self.total_runs} ({len(self.points)} points)",
            "stored": str(self.path),
            "tables": table_sizes({n: getattr(self, n) for n in (
                "points", "runs", "outputs", "summary", "sensitivity")})}


def load_experiment(name_or_path: str | Path, max_runs: int = DEFAULT_MAX_RUNS) -> Resolved:
    """Read an experiment file and check it against its scenario and ``max_runs``."""
    exp, path = read_experiment(name_or_path)
    n = design.size(exp)
    if n > MAX_POINTS:
        raise fail(f"the design has {n:,} points, more than the {MAX_POINTS:,} titr builds",
                   where="design", file=str(path),
                   fix="use fewer values, levels or points (a sampled design covers a large "
                       "space with few points)")
    total = n * exp.replications
    if total > max_runs:
        raise fail(f"the design has {n:,} points × {exp.replications:,} replications = "
                   f"{total:,} runs, more than --max-runs {max_runs:,}", where="design",
                   file=str(path), fix="use fewer values, points or replications, or raise "
                   "--max-runs")
    return resolve(exp, path)


def _tasks(r: Resolved, digest: str) -> list[PointTask]:
    exp = r.experiment
    return [PointTask(r.fingerprint, i, values, r.overrides(values), digest,
                      tuple(exp.years), tuple(exp.outputs), exp.seed, exp.warmup_days,
                      exp.drain_days)
            for i, values in enumerate(design.points(exp))]


def _points_frame(tasks: list[PointTask], labels: list[str]) -> pd.DataFrame:
    import json

    rows = [{"point": t.point, **{k: t.values[k] for k in labels},
             "overrides": json.dumps(t.overrides, sort_keys=True)} for t in tasks]
    return store.POINTS.conform(pd.DataFrame(rows, columns=["point", *labels, "overrides"]))


def _open_sink(path: Path, r: Resolved, total: int, tasks: list[PointTask], resume: bool,
               fmt: Format) -> store.DuckSink | partitions.PartitionSink:
    """The sweep's storage at ``path``: created, or (``resume``) checked to hold this sweep."""
    exists = path.exists()
    if exists and not resume:
        raise fail(f"{path} already exists", where="--out", file=r.file,
                   fix="add --resume to continue that sweep, or give another --out")
    if fmt == "parquet":
        if exists and not partitions.is_partitioned(path):
            if not path.is_dir() or any(path.iterdir()):
                raise fail(f"{path} is not a folder of sweep partitions", where="--out",
                           file=r.file, fix="give a new folder (or a sweep's) as --out")
        elif exists:
            _same_sweep(path, partitions.meta(path), r)
            return partitions.PartitionSink(path)
        partitions.create(path, _meta(r, total), _points_frame(tasks, r.experiment.labels))
        return partitions.PartitionSink(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = store.connect(path)
    try:
        if exists and not store.is_sweep(con) and not store.is_empty(con):
            raise fail(f"{path} is not a sweep database", where="--out", file=r.file,
                       fix="give a new file (or a sweep's) as --out")
        if exists and store.is_sweep(con):
            _same_sweep(path, store.meta(con), r)
        else:
            store.create(con, _meta(r, total), _points_frame(tasks, r.experiment.labels))
        return store.DuckSink(con)
    except BaseException:
        con.close()
        raise


def _same_sweep(path: Path, held: dict[str, Any], r: Resolved) -> None:
    if held.get("fingerprint") != r.fingerprint:
        raise fail(f"{path} holds another experiment ({held['experiment']['name']}, "
                   f"fingerprint {held.get('fingerprint')}; this one is {r.fingerprint})",
                   where="--resume", file=r.file, fix="resume with the same experiment file "
                   "and scenario, or give another --out")


def _meta(r: Resolved, total: int) -> dict[str, Any]:
    from titr import __version__

    return {"experiment": r.experiment.model_dump(mode="json"), "file": r.file,
            "fingerprint": r.fingerprint, "scenario": r.scenario,
            "scenario_digest": r.scenario_digest, "parameters": r.paths,
            "total_runs": total, "titr": __version__,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def run_sweep(experiment: str | Path | Resolved, out: str | Path = "sweep.duckdb",
              executor: ExecutorSpec | Kind = "processes", workers: int | None = None,
              resume: bool = False, max_runs: int = DEFAULT_MAX_RUNS,
              run: RunFunction = run_titr, progress: Progress | None = None,
              chunk: int | None = None, scheduler: str | None = None,
              dask_local: int | None = None, store_as: Format = "duckdb") -> SweepResult:
    """Run (or resume) a sweep into ``out`` and return its results.

    ``experiment`` is a file, a built-in experiment name or a :class:`Resolved` one;
    ``executor`` is ``"serial"``, ``"processes"`` (``workers``, default all cores) or
    ``"dask"`` (``scheduler`` address, or ``dask_local`` workers on this machine), or an
    :class:`ExecutorSpec`. ``run`` is the run function (default the titr model; any top-level
    ``fn(PointTask, replication) -> list[Output]``); ``chunk`` fixes the replications per
    task (default: adapted to the run time, :mod:`titr.experiments.chunking`). ``out`` is a
    DuckDB file, or with ``store_as="parquet"`` a folder of Parquet partitions
    (:mod:`titr.experiments.partitions`). Raises ``TitrError`` on bad input and
    :class:`SweepInterrupted` on Ctrl-C (the finished runs are stored).
    """
    t0 = time.perf_counter()
    spec = executor if isinstance(executor, ExecutorSpec) else ExecutorSpec(
        executor, workers, scheduler, dask_local)
    spec.check()
    if store_as not in ("duckdb", "parquet"):
        raise fail(f"unknown storage {store_as!r}", where="store_as", fix="duckdb or parquet")
    r = experiment if isinstance(experiment, Resolved) else load_experiment(experiment,
                                                                            max_runs)
    exp = r.experiment
    payload = r.payload
    tasks = _tasks(r, payload.digest if payload else r.scenario_digest)
    total = len(tasks) * exp.replications
    if total > max_runs:
        raise fail(f"the design has {len(tasks):,} points × {exp.replications:,} replications "
                   f"= {total:,} runs, more than --max-runs {max_runs:,}", where="design",
                   file=r.file, fix="use fewer values, points or replications, or raise "
                   "--max-runs")
    path = Path(out)
    sink = _open_sink(path, r, total, tasks, resume, store_as)
    try:
        have = sink.done()
        todo = {t.point: [k for k in range(exp.replications) if (t.point, k) not in have]
                for t in tasks}
        missing = sum(len(v) for v in todo.values())
        done = total - missing
        if progress:
            progress(done, total)
        n_workers = 1
        if missing:
            with open_executor(spec) as ex:
                n_workers = ex.workers
                done = _run(ex, run, Chunker(tasks, todo, ex.workers, chunk), sink, payload,
                            done, total, path, progress)
        con = sink.con if isinstance(sink, store.DuckSink) else partitions.connect(path)
        try:
            return SweepResult.from_connection(
                con, path, ran=missing, skipped=total - missing,
                seconds=time.perf_counter() - t0, executor=spec.kind, workers=n_workers)
        finally:
            con.close()
    finally:
        sink.close()


def _run(ex: Any, run: RunFunction, chunker: Chunker, sink: Any,
         payload: ScenarioPayload | None, done: int, total: int, path: Path,
         progress: Progress | None) -> int:
    """Ship the scenario, run the chunks, store the finished runs in batches (the first at
    once, then at least every :data:`BATCH_S`); whatever arrived is stored before an error or
    Ctrl-C goes up."""
    pending: list[RunRecord] = []
    last = -BATCH_S

    def flush() -> None:
        nonlocal done, last, pending
        done += sink.write(pending)
        pending, last = [], time.monotonic()
        if progress:
            progress(done, total)

    try:
        ex.start(payload)
        prepare = prepare_point if run is run_titr else None
        for records in ex.results(run, chunker, prepare):
            chunker.observe(records)
            pending += records
            if len(pending) >= BATCH_RUNS or time.monotonic() - last >= BATCH_S:
                flush()
        flush()
    except KeyboardInterrupt:
        flush()
        raise SweepInterrupted(done, total, path) from None
    except RunError as e:
        flush()
        raise TitrError(e.problems) from None
    except BaseException:
        flush()
        raise
    return done
