"""Commands of the faces that read a results file: report (one or two scenarios) and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from titr.cli.common import console, friendly
from titr.model.atomic_files import write_text_atomic
from titr.model.errors import fail
from titr.model.files import writable_file, writable_folder

DEFAULT_RESULTS = Path("titr-out") / "assessment.duckdb"


@friendly
def report(
    results: Annotated[Path | None, typer.Argument(
        help="results DuckDB written by `titr assess`", show_default=False)] = None,
    compare: Annotated[tuple[Path, Path] | None, typer.Option(
        "--compare", help="two results files A B: draw them side by side (B − A)",
        show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="HTML file [default: report.html, or compare.html, beside the "
        "(first) results file]", show_default=False)] = None,
) -> None:
    """Write the self-contained HTML report of a results file, or compare two."""
    from titr.report import compare_html, read_results, report_html

    if compare and results:
        raise fail("give either one results file or --compare A B, not both",
                   where="titr report", fix="drop the positional file, or --compare")
    if compare:
        a, b = compare
        target = writable_file(out or a.parent / "compare.html", "--out", "compare.html")
        html = compare_html(read_results(a), read_results(b))
    else:
        path = results or DEFAULT_RESULTS
        target = writable_file(out or path.parent / "report.html", "--out", "report.html")
        res, extras = read_results(path)
        html = report_html(res, extras=extras)
    write_text_atomic(target, html)
    console.print(f"report: {target} ({len(html.encode()) / 1e6:.1f} MB)")


@friendly
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="geojson, csv or parquet")],
    results: Annotated[Path, typer.Option("--results", help="results DuckDB")] = DEFAULT_RESULTS,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="folder [default: export/ beside the results file]",
        show_default=False)] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="year of the flows in the GeoJSON [default: the last]",
        show_default=False)] = None,
) -> None:
    """Export the network and results: GeoJSON (for QGIS), or every table as CSV or Parquet."""
    from titr.report import export as export_results

    folder = writable_folder(out or results.parent / "export", "--out")
    written = export_results(results, fmt.lower(), folder, year)
    for p in written:
        console.print(f"wrote {p}")
