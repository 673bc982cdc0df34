"""The scenarios a server offers: the built-in ones, and the files its operator named with
``titr serve --scenario FILE``.

Files are read and checked once, when the server starts; their ids then name them in the API
(a client never sends a path). The worker processes learn the files through an environment
variable they inherit, so every process resolves a name to the same file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from titr.model import Scenario, TitrError, load
from titr.model.errors import Problem
from titr.model.loader import builtin_names
from titr.web.levers import range_problems

ENV = "TITR_SERVED_SCENARIOS"  # JSON {scenario id: absolute path}


def served_files() -> dict[str, str]:
    """Scenario id → file, for the files given to ``titr serve --scenario``."""
    return dict(_files(os.environ.get(ENV, "{}")))


@cache
def _files(env: str) -> tuple[tuple[str, str], ...]:
    try:
        found = json.loads(env)
    except json.JSONDecodeError:
        return ()
    return tuple((str(k), str(v)) for k, v in found.items()) if isinstance(found, dict) else ()


def scenario_names() -> list[str]:
    """The names the API accepts: the served files first (the page opens on the first)."""
    return list(_names(os.environ.get(ENV, "{}")))


@cache  # asked on every request: the files are fixed when the server starts
def _names(env: str) -> tuple[str, ...]:
    files = dict(_files(env))
    return (*files, *(n for n in builtin_names() if n not in files))


def serve_files(paths: Sequence[str | Path]) -> list[Scenario]:
    """Check each file and offer it under its scenario id; one TitrError lists every problem
    (a bad file, or an id given twice or already built in)."""
    builtin, files, loaded, problems = set(builtin_names()), {}, [], []
    for path in paths:
        try:
            sc = load(path)
        except TitrError as e:
            problems += e.problems
            continue
        if sc.id not in builtin and sc.id not in files:
            problems += range_problems(sc)  # every value the API offers must work
        if sc.id in builtin or sc.id in files:
            problems.append(Problem(str(path), "id", f"scenario id {sc.id!r} is already "
                                    "offered (built in, or another --scenario file)",
                                    "give this file's scenario another id"))
            continue
        files[sc.id] = str(Path(path).resolve())
        loaded.append(sc)
    if problems:
        raise TitrError(problems)
    adopt(files)
    return loaded


def adopt(files: dict[str, str]) -> None:
    """Offer these files in this process (a worker is told them when it starts: a fork
    server started earlier does not see later changes of its parent's environment)."""
    os.environ[ENV] = json.dumps(files)


def open_scenario(name: str) -> Scenario:
    """A scenario the server offers, by name (never a path a client sent)."""
    files = served_files()
    if name in files:
        return load(files[name])
    if name not in builtin_names():
        raise TitrError(Problem("", "scenario", f"no scenario {name!r} on this server",
                                f"use one of: {', '.join(scenario_names())}"))
    return load(name)
