"""MkDocs hooks of the titr guide.

Every example in the guide runs while the site is built (markdown-exec). So that the examples
read exactly as a user would type them — ``titr assess`` writes ``titr-out/`` beside you,
``titr validate my-corridor.toml`` finds the file — the build runs them in a scratch folder:

- ``on_config`` makes a fresh temporary folder, copies ``docs/examples/*`` into it, makes it the
  working directory and puts ``docs/_tools`` on ``sys.path`` (for the page generators in
  :mod:`titr_docs`);
- ``on_post_build`` goes back to where the build started and deletes the folder.

Nothing is cached between builds: every number on every page comes from this build's run.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_STATE: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    docs = Path(config["docs_dir"]).resolve()
    tools = str(docs / "_tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    _leave()
    scratch = Path(tempfile.mkdtemp(prefix="titr-docs-"))
    for f in sorted((docs / "examples").glob("*")):
        if f.is_file():
            shutil.copy(f, scratch / f.name)
    _STATE["home"] = os.getcwd()
    _STATE["scratch"] = scratch
    os.chdir(scratch)
    os.environ["TITR_DOCS_DIR"] = str(docs)
    return config


def _leave() -> None:
    home, scratch = _STATE.pop("home", None), _STATE.pop("scratch", None)
    if home:
        os.chdir(home)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    _STATE["page_start"] = time.perf_counter()
    return markdown


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    # markdown-exec runs the examples while the page converts: report slow pages
    seconds = time.perf_counter() - _STATE.pop("page_start", time.perf_counter())
    if os.environ.get("TITR_DOCS_TIMING"):
        print(f"titr-docs: {page.file.src_path}: {seconds:.1f} s", file=sys.stderr)
    return html


def on_post_build(config: Any) -> None:
    _leave()


def on_build_error(error: Exception) -> None:
    _leave()
