"""Layer 8 — the ``titr`` command."""
