"""Where cargo queues in the assignment: sea services (waiting for a vessel), border posts and
gauge-change stations (waiting for a free track or crane), with their wait functions.

A sea service waits as in :mod:`titr.assign.congestion`. A station with ``c`` parallel
servers (as given, or as its capacity in trains implies — the same rule the simulation uses)
and a mean time per train ``T`` has, beyond the time to clear the data already give, the
Sakasegawa M/G/c queueing delay at its utilisation. The LP prices these delays as convex
segments (see lp.py); route choice adds the current delays to the paths' costs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse

from titr.assign.congestion import sakasegawa_wq, vessel_wait_hours, waits_of
from titr.assign.lp import Congestion
from titr.assign.resources import Resource, ResourceKey
from titr.model import cargo as cargo_units
from titr.model.capacity import fleet_capacity, station_servers
from titr.model.network import Network
from titr.routing.corridor_paths import Path

# Utilisation breakpoints of the LP's wait segments: finer towards capacity, where waits grow.
SEGMENTS = np.array([0.0, 0.3, 0.5, 0.62, 0.72, 0.8, 0.86, 0.9, 0.93, 0.95, 0.97, 0.985, 1.0])
STATION_CV2 = 0.25  # squared CV of the time per train at a station (the simulation's default)


@dataclass(frozen=True)
class Queues:
    index: list[int]  # indices of the queueing resources
    keys: list[ResourceKey]  # the queueing resources' keys (service arcs, borders, gauges)
    wait: list[Callable[[float], float]]  # hours waited at utilisation ρ
    base: np.ndarray  # hours of it already in the paths' costs (the zero-flow wait)
    weight: sparse.csr_matrix  # (P, Q): value of time (USD/t/h) where path p queues at q

    def waits_at(self, util: np.ndarray, fixed: dict[str, float] | None = None) -> np.ndarray:
        """Hours waited at each queue at these utilisations, or the fixed (e.g. simulated)
        waits where given: by sea service id, or its arc ("p-q>") for one direction."""
        out = np.array(waits_of(self.wait, util[self.index].tolist()) if self.index else [])
        if fixed is not None:
            out = np.array([fixed.get(str(k.arc), fixed.get(k.element, b))
                            if k.kind == "service" else o
                            for k, b, o in zip(self.keys, self.base, out, strict=True)])
        return out


def _station_wait(net: Network, r: Resource) -> Callable[[float], float] | None:
    node = net.nodes[r.element]
    stage = node.border if r.kind == "border" else node.gauge_change
    if stage is None:
        return None
    mean_h = stage.time.to("h")
    servers = station_servers(getattr(stage, "servers", None), stage.capacity, mean_h)
    if servers is None or mean_h <= 0:
        return None
    return partial(sakasegawa_wq, servers=float(servers), service_h=mean_h, ca2=1.0,
                   cs2=STATION_CV2)


def _service_wait(net: Network, r: Resource) -> Callable[[float], float]:
    caps = [fleet_capacity(net, f) for f in net.fleets_of(r.element)]
    return partial(vessel_wait_hours, vessels=sum(c.vessels for c in caps),
                   sailings_per_year=sum(c.sailings_per_year for c in caps))


def build_queues(net: Network, resources: list[Resource], paths: list[Path],
                 usage: sparse.csr_matrix) -> Queues:
    index, keys, waits = [], [], []
    for i, r in enumerate(resources):
        if r.kind == "service":
            fn: Callable[[float], float] | None = _service_wait(net, r)
        elif r.kind in ("border", "gauge"):
            fn = _station_wait(net, r)
        else:
            continue
        if fn is not None:
            index.append(i)
            keys.append(r.key)
            waits.append(fn)
    base = np.array([w(0.0) for w in waits])
    per_class = {c: cargo_units.per_tonne(net.cargo[c].value_of_time, net.cargo[c])
                 * net.parameters.vot_scale.to("1") for c in {p.cargo for p in paths}}
    vot = np.array([per_class[p.cargo] for p in paths])
    used = (usage[index] != 0).astype(float) if index else sparse.csr_matrix((0, len(paths)))
    weight = sparse.csr_matrix(used.T.multiply(vot[:, None])) if index else \
        sparse.csr_matrix((len(paths), 0))
    return Queues(index, keys, waits, base, weight)


def congestion(q: Queues, net: Network, resources: list[Resource],
               paths: list[Path]) -> Congestion:
    """Piecewise-linear queueing costs (see lp.py): the delay beyond the zero-flow wait at the
    middle of each utilisation segment × the class's value of time × capacity in tonnes."""
    classes = sorted({p.cargo for p in paths})
    vot = [cargo_units.per_tonne(net.cargo[c].value_of_time, net.cargo[c])
           * net.parameters.vot_scale.to("1") for c in classes]
    mids = (SEGMENTS[:-1] + SEGMENTS[1:]) / 2
    order = np.argsort(q.index)  # the LP wants congested resources in ascending order
    costs = np.zeros((len(q.index), len(classes), len(mids)))
    kept = net.shared.setdefault("segment waits", {})
    for a, j in enumerate(order):
        r = resources[q.index[j]]
        delay = np.array([w - q.base[j] for w in _segment_waits(q.wait[j], mids, kept)])
        for c, cid in enumerate(classes):
            costs[a, c] = vot[c] * delay * r.tonnes.get(cid, 0.0)
    return Congestion(np.array(q.index, dtype=int)[order], np.diff(SEGMENTS), costs,
                      np.array([classes.index(p.cargo) for p in paths], dtype=int))


def _segment_waits(wait: Callable[[float], float], mids: np.ndarray,
                   kept: dict[tuple[object, ...], list[float]]) -> list[float]:
    """Hours waited at the segments' midpoints; kept by the wait function's figures in the
    scenario's cache, since a fleet or station that stays the same from one network version
    to the next asks for the same."""
    if not isinstance(wait, partial):
        return [wait(m) for m in mids]
    key = (wait.func, wait.args, tuple(sorted(wait.keywords.items())))
    if key not in kept:
        kept[key] = [wait(m) for m in mids]
    return kept[key]
