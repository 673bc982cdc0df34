"""Imports go one way only, down the layers of DESIGN.md: a module imports from its own
package or the layers above it, never from a layer below."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "titr"
LAYERS = ["model", "data", "routing", "assign", "sim", "studies", "experiments", "report", "web",
          "cli"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("titr."):
            out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("titr.")}
    return out


def test_no_module_imports_a_layer_below_it() -> None:
    wrong = []
    for layer in LAYERS:
        for path in (SRC / layer).rglob("*.py"):
            for used in _imports(path) & set(LAYERS):
                if LAYERS.index(used) > LAYERS.index(layer):
                    wrong.append(f"{path.relative_to(SRC)} imports titr.{used}")
    assert not wrong, "\n".join(wrong)


def test_the_simulation_is_a_pure_engine() -> None:
    """titr.sim runs given routes on a network: it uses the domain types and nothing of routing
    or assignment (the studies that feed it assigned flows are titr.studies)."""
    wrong = [f"{path.relative_to(SRC)} imports titr.{used}"
             for path in (SRC / "sim").rglob("*.py")
             for used in _imports(path) - {"model", "sim"}]
    assert not wrong, "\n".join(wrong)
