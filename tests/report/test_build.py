"""The report's data blob and page, checked in Python (the browser tests check the drawing)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from report_support import busy

from titr.model import TitrError
from titr.report import read_results, report_html, sim_kpis_frame
from titr.report.geo import country_at, country_ids
from titr.report.html import render
from titr.report.page_data import report_data


def test_blob_is_strict_json_with_the_years_figures(busy_db: Path) -> None:
    data = report_data([read_results(busy_db)])
    text = json.dumps(data, allow_nan=False)  # NaN would break JSON.parse in the page
    assert "NaN" not in text
    (s,) = data["scenarios"]
    ferry_2020 = s["edge_years"]["2020"]["p-q"]
    assert ferry_2020["util"] == pytest.approx(1) and ferry_2020["binding"]
    assert ferry_2020["t"] == pytest.approx(292_000) and ferry_2020["fwd"] == ferry_2020["t"]
    assert s["edge_years"]["2025"]["p-q"]["util"] < 0.7
    assert [b["year"] for b in s["bottlenecks"]] == [2020, 2021, 2022]
    assert s["routes"][0]["key"] == "a|z|container"
    assert {v["corridor"] for v in s["volumes"]} == {"middle", "northern"}
    assert s["key_assets"][0]["resource"] == "service:p-q"  # binds: listed first
    assert s["countries"] == ["031", "156", "276", "398"]  # AZ, CN, DE, KZ shaded
    assert s["sources"][0]["figures"] > 0


def test_page_inlines_everything(busy_db: Path) -> None:
    res, extras = read_results(busy_db)
    html = report_html(res, extras=extras)
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", html, re.I)
    assert html.count("<script") == 6  # data, world, leaflet, topojson, plotly, the report
    assert "L.map(" in html and "topojson" in html and "Plotly.newPlot" in html


def test_text_cannot_close_the_data_script(busy_db: Path) -> None:
    data = report_data([read_results(busy_db)])
    data["scenarios"][0]["name"] = data["title"] = "</script><script>alert(1)</script>"
    html = render(data)
    assert "</script><script>alert(1)" not in html
    assert "&lt;/script&gt;" in html  # the <title> is escaped too


def test_scenario_gives_assumptions_and_sim_kpis() -> None:
    from titr.assign import assess

    sc = busy()
    res = assess(sc, years=[2020])
    sim = pd.DataFrame({"corridor": ["middle"], "cargo": ["container"],
                        "metric": ["median_days"], "mean": [7.5]})
    with pytest.raises(TitrError, match="need the year"):
        sim_kpis_frame(sim)
    wide = sim_kpis_frame(pd.concat([sim, sim.assign(metric="p90_days", mean=11.0)]), 2020)
    assert wide is not None
    assert wide.to_dict(orient="records") == [{"year": 2020, "corridor": "middle",
                                               "cargo": "container", "median_days": 7.5,
                                               "p90_days": 11.0}]
    html = report_html(res, scenario=sc, sim_kpis=wide)
    assert '"median_days":7.5' in html and "a guess for the test" in html


def test_geo_decoder_finds_the_corridor_countries() -> None:
    aktau, alat, mid_caspian = (51.17, 43.65), (49.4, 40.0), (50.5, 42.0)
    assert country_at(*aktau)["properties"]["name"] == "Kazakhstan"  # type: ignore[index]
    assert country_at(*alat)["properties"]["name"] == "Azerbaijan"  # type: ignore[index]
    assert country_at(*mid_caspian) is None  # the Caspian is water
    assert country_ids([aktau, alat, mid_caspian]) == ["031", "398"]


def test_results_without_the_extra_tables(busy_db: Path, tmp_path: Path) -> None:
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(busy_db, old)
    con = duckdb.connect(str(old))
    for t in ("assumptions", "scenario_info", "corridor_info"):
        con.execute(f"DROP TABLE {t}")
    con.close()
    res, extras = read_results(old)
    assert not extras.known and extras.name == ""
    (s,) = report_data([(res, extras)])["scenarios"]
    assert s["assumptions_known"] is False and s["name"] == "busy"
