"""What each project adds: the scenario assessed with and without it in one year.

Three measures, side by side: what shippers save (generalised cost of all carried cargo plus
the cost of the unserved, the default ranking), the focus crossing's volume, and the unserved
tonnes. Events (sanctions, a crisis) are not projects and are not ranked.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from titr.assign.assess import assess
from titr.assign.assessment_result import AssessmentResult
from titr.model.columns import spec
from titr.model.scenario import Scenario

Measure = Literal["gen-cost", "focus", "unserved"]
RANK_COLUMN: dict[str, str] = {"gen-cost": "gen_cost_saved_usd", "focus": "volume_t",
                               "unserved": "unserved_t"}

PROJECT_VALUES = spec("projects.values")  # the columns, in titr.model.columns


def _binding(res: AssessmentResult) -> set[str]:
    return set(res.bottlenecks.label)


def project_values(sc: Scenario, year: int, rank_by: Measure = "gen-cost") -> pd.DataFrame:
    """One row per project opened by ``year``, ranked by ``rank_by`` (then days saved)."""
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
            "gen_cost_saved_usd": w.gen_cost_usd - t.gen_cost_usd,
            "volume_t": t.focus_t - w.focus_t, "teu": t.focus_teu - w.focus_teu,
            "days_saved": w.focus_days - t.focus_days,
            "unserved_t": w.unserved_t - t.unserved_t,
            "relieved": "; ".join(sorted(_binding(res) - _binding(base))),
            "with_dependents": ", ".join(sc.dependents(p.id)),
            "sources": ", ".join(p.source) or f"assumption: {p.assumption}",
        })
    df = PROJECT_VALUES.frame(rows)
    return df.sort_values([RANK_COLUMN[rank_by], "days_saved"], ascending=False,
                          kind="stable").reset_index(drop=True)
