"""Layer 8 — the web face: a FastAPI service and a page to explore and compare scenarios.

    from titr.web import create_app      # uvicorn: titr serve [--host 127.0.0.1 --port 8000]

Nothing imports this package; it calls the model, the assessment, the simulation and the
report's data builder and vendored assets. (``create_app`` is imported on first use, so the
worker processes, which import ``titr.web.compute``, do not load the web framework.)
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from titr.web.app import create_app

        return create_app
    raise AttributeError(f"module 'titr.web' has no attribute {name!r}")
