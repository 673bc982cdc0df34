"""A pool worker as it was after warming up, task after task.

A worker loads and assesses its scenarios once (:func:`titr.web.compute.warm`); each what-if
then borrows that base assessment's caches (legs, graphs, path sets, searches; see
:func:`titr.assign.assess`). Two things used to make every task dearer than the one before:

- the caches kept what each what-if added (a carbon price gives every year new graphs and
  searches): ~50,000 objects and ~15 MB a task, never used again by a what-if with other
  values;
- Python's cyclic garbage collector walked the whole heap (the warm scenarios, their caches,
  and all those leftovers) again and again: ~0.1–0.25 s of CPU a what-if on average.

So: :func:`settle` collects garbage and sets what is alive aside from the collector
(``gc.freeze``: what warming up made is kept for the worker's life anyway), and
:func:`leaves_no_trace` runs a task with the collector paused, afterwards drops what the task
added to the base scenarios' shared caches and settles again, so each collection walks only
the last task's objects (~16,000 in cycles, e.g. the LP's commodities and resources). Caches
are keyed by content, so dropping entries changes no answer: the next task builds them again,
exactly as the first what-if after warming up did.

Left: the assessment asks ``gc.get_freeze_count()``, which walks the frozen objects (~20 ms a
what-if with the built-in scenario warm); asking ``gc.isenabled()`` first would make it free.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from titr.model import Scenario


def settle() -> None:
    """Collect garbage, then set every object alive now aside from the cyclic collector."""
    gc.collect()
    gc.freeze()


def _dicts(cache: dict[str, Any]) -> Iterator[dict[Any, Any]]:
    """The dicts of a scenario's shared cache: its values that are dicts, and the dict
    fields of its values that are dataclasses (e.g. the routing cache)."""
    for value in cache.values():
        if isinstance(value, dict):
            yield value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                inner = getattr(value, f.name)
                if isinstance(inner, dict):
                    yield inner


@contextmanager
def leaves_no_trace(bases: Iterable[Scenario]) -> Iterator[None]:
    """Run a task without the cyclic collector; afterwards drop the entries it added to the
    shared caches of ``bases`` and collect its garbage."""
    caches = [sc.shared_cache() for sc in bases]
    before = [(d, set(d)) for c in caches for d in _dicts(c)]
    tops = [(c, set(c)) for c in caches]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        for d, keys in before:
            for k in [k for k in d if k not in keys]:
                del d[k]
        for c, keys in tops:
            for k in [k for k in c if k not in keys]:
                del c[k]
        if was_enabled:
            gc.enable()
        settle()  # what is left (the result, about to be sent) is freed by reference counts
