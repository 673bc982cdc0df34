"""A scenario and a result print as a few readable lines (and a small HTML table in a
notebook), not as every item and row they hold."""

from __future__ import annotations

import html

import titr
from titr.assign.assess import assess
from titr.model.scenario import Scenario

LIMIT = 2000  # characters: a screenful; the built-in scenario used to print ~200,000


def test_the_builtin_scenario_prints_short_and_says_what_it_is() -> None:
    sc = titr.load("middle-corridor")
    text = repr(sc)
    assert len(text) < LIMIT and str(sc) == text
    assert text.startswith("Scenario('middle-corridor'")
    assert f"{sc.first_year}–{sc.last_year}" in text
    assert f"{len(sc.nodes)} nodes" in text and f"{len(sc.links)} links" in text
    assert f"{len(sc.projects)} projects" in text
    assert sc.name in text


def test_the_scenario_in_a_notebook_is_an_escaped_html_table() -> None:
    sc = titr.load("middle-corridor")
    page = sc._repr_html_()
    assert page.startswith("<table>") and page.endswith("</table>") and len(page) < 2 * LIMIT
    assert html.escape(sc.name) in page and "<th style='text-align:left'>years</th>" in page


def test_results_print_their_headline_and_table_sizes(tiny: Scenario) -> None:
    res = assess(tiny, [2020, 2021])
    text = repr(res)
    assert len(text) < LIMIT and text.startswith("AssessmentResult('tiny'")
    assert "2020–2021" in text and f"flows ({len(res.flows):,})" in text
    assert res._repr_html_().startswith("<table>")
    sim = titr.simulate(tiny, 2020, replications=1, seed=3)
    text = repr(sim)
    assert len(text) < LIMIT and text.startswith("SimResult(")
    assert f"units ({len(sim.units):,})" in text and "conservation: holds" in text
