"""Layer 7 — the ``titr`` command."""
