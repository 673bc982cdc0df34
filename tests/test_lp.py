"""The LP alone, on problems solved by hand."""

import numpy as np
import pytest
from scipy import sparse

from titr.assign.lp import LpProblem, solve


def test_two_paths_one_capacity_known_shadow_price() -> None:
    # One commodity of 100 t; path A costs 10 USD/t with room for 60 t, path B costs 15 USD/t
    # unlimited. Optimum: 60 on A, 40 on B, cost 1200. One more tonne of A's capacity saves
    # 15 − 10 = 5 USD: the dual of A's row (a whole capacity, 60 t) is 5 × 60 = 300.
    p = LpProblem(path_cost=np.array([10.0, 15.0]), path_commodity=np.array([0, 0]),
                  demand=np.array([100.0]), penalty=np.array([1000.0]),
                  usage=sparse.csr_matrix(np.array([[1 / 60, 0.0]])))
    s = solve(p)
    assert s.flow == pytest.approx([60, 40])
    assert s.objective == pytest.approx(1200)
    assert s.dual[0] / 60 == pytest.approx(5)
    assert s.utilisation[0] == pytest.approx(1)


def test_slack_is_used_only_when_capacity_forces_it() -> None:
    # Two commodities share one resource of 50 t; penalties 100 and 30 USD/t; path costs 1.
    # The cheaper-to-drop commodity (penalty 30) gives way: 40 t of it carried... hand solution:
    # demands 30 and 40 (70 > 50): carry all 30 of the first, 20 of the second, drop 20.
    p = LpProblem(path_cost=np.array([1.0, 1.0]), path_commodity=np.array([0, 1]),
                  demand=np.array([30.0, 40.0]), penalty=np.array([100.0, 30.0]),
                  usage=sparse.csr_matrix(np.array([[1 / 50, 1 / 50]])))
    s = solve(p)
    assert s.flow == pytest.approx([30, 20])
    assert s.slack == pytest.approx([0, 20])
    # the marginal tonne of capacity lets one more tonne of the second through: 30 − 1 = 29
    assert s.dual[0] / 50 == pytest.approx(29)


def test_no_capacity_rows() -> None:
    p = LpProblem(path_cost=np.array([3.0, 2.0]), path_commodity=np.array([0, 0]),
                  demand=np.array([10.0]), penalty=np.array([50.0]),
                  usage=sparse.csr_matrix((0, 2)))
    s = solve(p)
    assert s.flow == pytest.approx([0, 10])


def test_rows_columns_and_duals_are_named_by_resource() -> None:
    # the first problem above with its capacity named: path A (10 USD/t, 60 t of "rail-a")
    # and B (15 USD/t, unlimited); one more tonne of rail-a saves 5 USD
    from titr.assign.lp import CapacityLp

    lp = CapacityLp(np.array([0, 0]), 1, sparse.csr_matrix(np.array([[1 / 60, 0.0]])),
                    resources=["rail-a"])
    assert lp.rows == [("demand", 0), ("capacity", "rail-a")]
    assert lp.columns == [("path", 0), ("path", 1), ("slack", 0)]
    s = lp.solve(np.array([10.0, 15.0]), np.array([100.0]), np.array([1000.0]))
    assert s.duals["rail-a"] / 60 == pytest.approx(5)
