"""The one way titr writes a file: whole or not at all.

The content goes to a temporary file beside the target (same folder, so the same file
system), which then replaces the target in one step (``os.replace``). A run that fails or is
killed half-way leaves the old file, or none, and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target`` (not created: a DuckDB can be opened on it),
    renamed onto ``target`` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp + ".wal"):  # .wal: DuckDB's log, if it stopped mid-write
            if os.path.exists(leftover):
                os.unlink(leftover)


def atomic_write(target: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(temporary path)``, then put the file in place of ``target``."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_text_atomic(target: str | Path, text: str) -> Path:
    """Write UTF-8 text to ``target`` whole or not at all."""
    return atomic_write(target, lambda p: p.write_text(text, encoding="utf-8"))
