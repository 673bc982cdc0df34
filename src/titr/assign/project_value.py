"""What each project adds: the scenario assessed with and without it in one year."""

from __future__ import annotations

import pandas as pd

from titr.assign.assess import assess
from titr.assign.results import AssessmentResult
from titr.model.scenario import Scenario

PROJECT_COLUMNS = {
    "project": "project id", "name": "", "opens": "year it opens",
    "volume_t": "tonnes a year across the Caspian with it, minus without it",
    "teu": "TEU a year across the Caspian, with minus without",
    "days_saved": "median middle-corridor days saved (without − with)",
    "unserved_t": "captive tonnes no longer left unserved",
    "relieved": "resources binding without the project and not with it",
    "with_dependents": "projects that cannot stand without it, dropped with it",
    "sources": "",
}


def _binding(res: AssessmentResult) -> set[str]:
    return set(res.bottlenecks.label)


def project_values(sc: Scenario, year: int) -> pd.DataFrame:
    """One row per project opened by ``year``, ranked by volume unlocked then days saved."""
    base = assess(sc, [year])
    t = base.totals.iloc[0]
    rows = []
    for p in sc.projects:
        if p.year > year:
            continue
        res = assess(sc.without(p.id), [year])
        w = res.totals.iloc[0]
        rows.append({
            "project": p.id, "name": p.name or p.id, "opens": p.year,
            "volume_t": t.caspian_t - w.caspian_t, "teu": t.caspian_teu - w.caspian_teu,
            "days_saved": w.middle_days - t.middle_days,
            "unserved_t": w.unserved_t - t.unserved_t,
            "relieved": "; ".join(sorted(_binding(res) - _binding(base))),
            "with_dependents": ", ".join(sc.dependents(p.id)),
            "sources": ", ".join(p.source) or f"assumption: {p.assumption}",
        })
    df = pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
    return df.sort_values(["volume_t", "days_saved"], ascending=False,
                          kind="stable").reset_index(drop=True)
