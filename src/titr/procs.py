"""Worker processes that do not outlive the process that started them, however it ends (even
by SIGKILL, when no clean-up code of its own can run).

- :func:`die_with_parent`: for a direct child (a ``spawn`` pool's worker, a ``Process``): the
  kernel sends it SIGKILL when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``). Note the
  kernel's rule: "parent" is the *thread* that started the child, so start workers from a
  thread that lives as long as the pool (the main thread).
- :func:`exit_with`: for a worker whose parent is not the process it serves (a ``forkserver``
  pool's worker is the fork server's child, and the fork server waits for its children): a
  daemon thread waits on the served process (a pidfd on Linux, else a poll each second) and
  ends this process when it is gone.

Call either first thing in the worker (e.g. as a pool's ``initializer``).

Used by the web service's assessment pool; importable from any layer (it imports nothing of
titr).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int | None = None) -> bool:
    """Ask the kernel to kill this process when its parent dies; True if it was set.

    ``parent`` is the pid the caller expects as its parent (default: the parent now). If the
    parent is already gone (this process was re-parented before the call), exit at once.
    """
    if not sys.platform.startswith("linux"):
        return False
    expected = os.getppid() if parent is None else parent
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    if os.getppid() != expected:  # the parent died before the call: we were re-parented
        os._exit(1)
    return ok


def exit_with(pid: int) -> None:
    """End this process (``os._exit``) as soon as process ``pid`` has ended."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)  # already gone
    except (AttributeError, OSError):  # no pidfd here: poll instead
        fd = -1

    def watch() -> None:
        if fd >= 0:
            select.select([fd], [], [])  # readable when the process has ended
        else:
            while _exists(pid):
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name=f"titr-exit-with-{pid}").start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
