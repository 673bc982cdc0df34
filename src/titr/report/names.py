"""Readable names for the report: a link without a name becomes "Dostyk – Aktogay (rail)",
and the direction in a resource's label names places, not ids ("Dostyk → Aktogay").

The assessment labels resources with ids (``dostyk-aktogay (dostyk→aktogay)``) because ids
are stable for scripts; a reader briefing a minister needs the places.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from titr.assign.assessment_result import AssessmentResult

WAY = re.compile(r"\s*\(([^()→]+)→([^()→]+)\)$")  # "(from→to)" at the end of a label


def short_name(name: str) -> str:
    """A map label: "Dostyk / Alashankou (rail)" → "Dostyk"."""
    for cut in (" (", " — ", " / ", ", "):
        name = name.split(cut)[0]
    return name.strip()


class Namer:
    """Human names of the places and links of one assessment."""

    def __init__(self, nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
        self.place = {str(i): short_name(str(n or i))
                      for i, n in zip(nodes.id, nodes.name, strict=True)}
        self.edge: dict[str, str] = {}
        for eid, name, a, b, mode in zip(edges.id.astype(str), edges.name, edges["from"],
                                         edges["to"], edges["mode"], strict=True):
            if not name or name == eid:  # unnamed: its two ends and its mode
                name = f"{self.of(str(a))} – {self.of(str(b))}" + (f" ({mode})" if mode else "")
            self.edge[eid] = str(name)

    def of(self, place: str) -> str:
        return self.place.get(place, place)

    def label(self, label: str, element: str) -> str:
        """A resource label with a readable head and its direction in place names."""
        m = WAY.search(label)
        head = label[:m.start()] if m else label
        if head == element and element in self.edge:
            head = self.edge[element]
        if m is None:
            return head
        return f"{head} ({self.of(m.group(1).strip())} → {self.of(m.group(2).strip())})"

    def edges(self, edges: pd.DataFrame) -> pd.DataFrame:
        return edges.assign(name=edges.id.astype(str).map(self.edge))

    def labels(self, frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        names = [self.label(str(lab), str(el))
                 for lab, el in zip(frame.label, frame.element, strict=True)]
        return frame.assign(label=names)


def readable(res: AssessmentResult) -> AssessmentResult:
    """The result with human link names and resource labels (totals' bottleneck too)."""
    namer = Namer(res.nodes, res.edges)
    u = namer.labels(res.utilisation)
    renamed = dict(zip(res.utilisation.label, u.label, strict=True)) if len(u) else {}
    totals = res.totals.assign(bottleneck=res.totals.bottleneck.map(
        lambda b: renamed.get(b, b) if isinstance(b, str) else b))
    return dataclasses.replace(res, utilisation=u, totals=totals,
                               edges=namer.edges(res.edges))
