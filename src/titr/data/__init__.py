"""Layer 2 — the built-in scenarios shipped inside the package."""
