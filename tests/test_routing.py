"""Routing on the tiny network against answers computed by hand (see tiny.toml), and the fast
search against networkx on the built-in network."""

from typing import Any

import networkx as nx
import pytest

import titr
from tiny_support import fig
from titr.model.scenario import Scenario
from titr.routing import best_by_corridor, build_graph, k_shortest, route_table
from titr.routing.corridor_paths import candidate_paths
from titr.routing.graph import shared_graph
from titr.routing.search import ViaSearch

# Middle: rail a→b 1000 km and b→p 500 km at 50 km/h (20 h + 10 h), dwell at b 10 h and at
# p 20 h; ferry p→q 360 km at 18 km/h = 20 h, port time 2 × 10 h, expected wait half the
# interval between sailings: 2 vessels, round trip 2·20 + 2·10 = 60 h → 292 sailings a year →
# 8760/292/2 = 15 h; rail q→z 2000 km = 40 h. Total 20+10+10+20+55+40 = 155 h.
# Money: 3500 rail km × 0.05 + 20 = 195 USD/t; value of time 1 USD/t/h → 350 USD/t.
MIDDLE_H, MIDDLE_USD, MIDDLE_GC = 155.0, 195.0, 350.0
# Northern: a→b 20 h, b dwell 10 h, b→z 5000 km = 100 h → 130 h; 6000 km × 0.05 = 300 USD/t.
NORTH_H, NORTH_USD, NORTH_GC = 130.0, 300.0, 430.0


def test_best_path_per_corridor(tiny: Scenario) -> None:
    cg = build_graph(tiny.network(2020), "container")
    best = best_by_corridor(cg, "a", "z")
    assert list(best) == ["middle", "northern"]
    m, n = best["middle"], best["northern"]
    assert m.edges == ("a-b", "b-p", "p-q", "q-z")
    assert m.hours == pytest.approx(MIDDLE_H)
    assert m.usd == pytest.approx(MIDDLE_USD)
    assert m.cost == pytest.approx(MIDDLE_GC)
    assert n.hours == pytest.approx(NORTH_H)
    assert n.cost == pytest.approx(NORTH_GC)


def test_more_ferries_shorten_the_wait(tiny: Scenario) -> None:
    # from 2023 a third vessel: 438 sailings a year → wait 10 h instead of 15 h
    cg = build_graph(tiny.network(2023), "container")
    assert best_by_corridor(cg, "a", "z")["middle"].hours == pytest.approx(MIDDLE_H - 5)


def test_route_table_per_feu_and_order(tiny: Scenario) -> None:
    df = route_table(tiny.network(2020), "a", "z")
    assert list(df.corridor) == ["middle", "northern"]
    # 10 t per TEU → 20 t per FEU
    assert df.cost_usd_per_feu.iloc[0] == pytest.approx(MIDDLE_USD * 20)
    assert df.days.iloc[1] == pytest.approx(NORTH_H / 24)


def test_k_shortest_lists_both_paths_cheapest_first(tiny: Scenario) -> None:
    paths = k_shortest(build_graph(tiny.network(2020), "container"), "a", "z", k=5)
    assert [p.cost for p in paths] == sorted(p.cost for p in paths)
    assert len(paths) == 2


def test_carbon_price_enters_generalized_cost(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict) -> None:  # type: ignore[type-arg]
        raw["parameters"]["co2_price"] = {"value": 100, "unit": "USD/tCO2", "source": "HAND"}
        for link in raw["links"]:
            link["co2"] = {"value": 20, "unit": "gCO2/t/km", "source": "HAND"}
    sc = vary(change)
    best = best_by_corridor(build_graph(sc.network(2020), "container"), "a", "z")
    # middle: 3500 km × 20 g = 0.07 tCO2/t → +7 USD/t; northern 6000 km → +12 USD/t
    assert best["middle"].cost == pytest.approx(MIDDLE_GC + 7)
    assert best["northern"].cost == pytest.approx(NORTH_GC + 12)


def test_a_corridor_whose_cheapest_way_in_doubles_back_still_has_a_path(vary) -> None:  # type: ignore[no-untyped-def]
    """Node s (corridor "sea") is reached more cheaply by rail to z and back (a→b→z→s, 437
    USD/t) than directly (a→s, 20,000 km × 0.07 = 1,400 USD/t); that walk repeats z, so the
    corridor's path is the direct one: 1,400 + 7 (s→z, 100 km) = 1,407 USD/t."""
    def change(raw: dict[str, Any]) -> None:
        raw["nodes"].append({"id": "s", "country": "EG", "lat": 30, "lon": 32, "kind": "junction"})
        for lid, a, b, km in (("a-s", "a", "s", 20_000), ("s-z", "s", "z", 100)):
            raw["links"].append({"id": lid, "from": a, "to": b, "mode": "rail",
                                 "distance": fig(km, "km"), "speed": fig(50, "km/h"),
                                 "tariff": fig(0.05, "USD/t/km")})
        raw["corridors"].append({"id": "sea", "via": ["s"], "group": "sea"})
    sc = vary(change)
    paths = candidate_paths(build_graph(sc.network(2020), "container"), "a", "z")
    sea = [p for p in paths if p.corridor == "sea"]
    assert sea and sea[0].edges == ("a-s", "s-z")
    assert sea[0].cost == pytest.approx(1_407)


def test_walks_through_vias_that_double_back_agree_with_one_search_each() -> None:
    # the batched search (every via's graph copy in one compiled call) against networkx's
    # Dijkstra on the graph without the vertices of the via's cheapest way on, one via at a time
    cg = shared_graph(titr.load("middle-corridor").network(2030), "container")
    search = ViaSearch(cg)
    o, d = search.index["xian"], search.index["duisburg"]
    tails = search._tree(d, False)
    found = search._simple_through(o, d, search.corridor_vias)
    checked = 0
    for v in search.corridor_vias:
        tail = tails.walk(v)
        g = cg.graph.copy()
        g.remove_nodes_from([search.names[i] for i in (tail or ())[1:]])
        try:
            cost, head = nx.single_source_dijkstra(g, "xian", search.names[v])
        except nx.NetworkXNoPath:
            assert found[v] is None
            continue
        assert tail is not None
        walk = (*(search.index[x] for x in head), *tail[1:])
        if len(set(walk)) != len(walk):
            assert found[v] is None
            continue
        assert found[v] is not None
        assert found[v][0] == walk
        assert found[v][1] == pytest.approx(cost + tails.dist[v], rel=1e-9)
        checked += 1
    assert checked >= 5


def _every_via_walks(search: ViaSearch, o: int, d: int) -> list[tuple[int, ...]]:
    """The cheapest simple walk through each via, the plain way: every via in order of cost
    that no earlier walk covers at its cost gets its tree walk (no shortcut for the walks that
    turn straight back), distinct simple walks kept, cheapest first."""
    heads, tails = search._tree(o, True), search._tree(d, False)
    through = heads.dist + tails.dist
    order = sorted(search.vias.tolist(), key=lambda v: through[v])
    seen: dict[tuple[int, ...], float] = {}
    covered: set[int] = set()
    for pos, v in enumerate(order):
        cost = float(through[v])
        if cost == float("inf"):
            break
        if v in covered:
            continue
        head, tail = heads.walk(v), tails.walk(v)
        assert head is not None and tail is not None
        walk = head + tail[1:]
        eps = 1e-9 * max(1.0, cost)
        covered.update(u for u in order[pos + 1:] if u in walk and abs(through[u] - cost) <= eps)
        if len(set(walk)) == len(walk) and walk not in seen:
            seen[walk] = cost
    return sorted(seen, key=seen.__getitem__)


def test_the_search_skips_only_walks_that_turn_back() -> None:
    # every pair of the built-in 2030 network: the search (which skips the vias whose tree walk
    # turns straight back) keeps the walks every via gives, and adds walks only through
    # corridor vias on none of them
    net = titr.load("middle-corridor").network(2030)
    pairs = 0
    for cargo in ("container", "dry-bulk"):
        search = ViaSearch(shared_graph(net, cargo))
        ends = [search.index[n] for n in ("xian", "duisburg", "almaty", "poti", "istanbul")
                if n in search.index]
        for o in ends:
            for d in ends:
                if o == d:
                    continue
                plain = _every_via_walks(search, o, d)
                found = search._search(o, d)
                assert [w for w in found if w in plain] == plain
                extra = [w for w in found if w not in plain]
                on_plain = {u for w in plain for u in w}
                assert all(set(w) & (set(search.corridor_vias) - on_plain) for w in extra)
                pairs += 1
    assert pairs >= 20
