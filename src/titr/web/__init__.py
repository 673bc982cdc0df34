"""Layer 7 — the web face: a FastAPI service and a page to explore and compare scenarios.

    from titr.web import create_app      # uvicorn: titr serve [--host 127.0.0.1 --port 8000]

Nothing imports this package; it calls the model, the assessment, the simulation and the
report's data builder and vendored assets.
"""

from titr.web.app import create_app

__all__ = ["create_app"]
