"""Errors a user can cause, each with where it is, what is wrong and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# control characters from a file (a key with a newline, a terminal escape) are shown escaped,
# so a message stays one line and cannot drive the terminal
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    file: str  # the file, or "" when the input did not come from a file
    where: str  # the field, e.g. links[a-b].distance.unit
    what: str  # what is wrong
    fix: str = ""  # how to fix it
    line: int | None = None

    def __str__(self) -> str:
        place = self.file + (f":{self.line}" if self.line else "")
        head = ": ".join(p for p in (place, self.where) if p)
        text = f"{head}: {self.what}" if head else self.what
        if self.fix and self.fix not in self.what:
            text += f". Fix: {self.fix}"
        return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class TitrError(Exception):
    """Bad input: carries one or more problems; the CLI prints them and exits with code 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def fail(what: str, where: str = "", fix: str = "", file: str = "") -> TitrError:
    """A one-problem error, for raising: ``raise fail("unknown node 'x'", fix=...)``."""
    return TitrError(Problem(file=file, where=where, what=what, fix=fix))
