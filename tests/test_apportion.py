"""Largest remainder: exact sums, no negatives, bounds after rounding, order-free."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsozial.core.apportion import InfeasibleError, apportion, split_two


def test_hand_example_three_equal_shares_of_ten_euros() -> None:
    # 1000 cents in three equal parts: 333.33… each; the extra cent goes to the key
    # that sorts first, because remainders and quotas tie.
    assert apportion(1000, [1, 1, 1], ["Süd", "Adendorf", "Nord"]) == [333, 334, 333]


def test_largest_remainder_wins_before_key() -> None:
    # quotas 4.6, 2.3, 3.1 → floors 4, 2, 3 (9); one unit left goes to the .6
    assert apportion(10, [46, 23, 31], ["a", "b", "c"]) == [5, 2, 3]


def test_floors_and_caps_hold() -> None:
    # Proportional would be 50/50, but the first may have at most 30 and the second at least 60.
    assert apportion(100, [1, 1], ["a", "b"], lower=[0, 60], upper=[30, 100]) == [30, 70]


def test_infeasible_bounds_are_reported() -> None:
    with pytest.raises(InfeasibleError):
        apportion(100, [1, 1], ["a", "b"], upper=[40, 40])


def test_split_two_keeps_total() -> None:
    assert split_two(101, 0.5) == (51, 50)
    assert sum(split_two(12345, 0.333)) == 12345


weights = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=25)


@settings(max_examples=300, deadline=None)
@given(total=st.integers(min_value=0, max_value=10**9), w=weights)
def test_sums_exactly_and_never_negative(total: int, w: list[float]) -> None:
    if sum(w) == 0:
        w = [1.0] * len(w)
    keys = [f"k{i}" for i in range(len(w))]
    result = apportion(total, w, keys)
    assert sum(result) == total
    assert all(x >= 0 for x in result)
    # Each result is within one unit of its exact quota.
    exact = [total * x / sum(w) for x in w]
    assert all(abs(r - e) < 1 + 1e-6 * total for r, e in zip(result, exact))


@settings(max_examples=200, deadline=None)
@given(w=weights, data=st.data())
def test_invariant_to_row_order(w: list[float], data: st.DataObject) -> None:
    if sum(w) == 0:
        w = [1.0] * len(w)
    total = data.draw(st.integers(min_value=0, max_value=10**7))
    keys = [f"Sozialraum {i:02d}" for i in range(len(w))]
    perm = data.draw(st.permutations(range(len(w))))
    base = dict(zip(keys, apportion(total, w, keys)))
    shuffled = apportion(total, [w[i] for i in perm], [keys[i] for i in perm])
    assert dict(zip([keys[i] for i in perm], shuffled)) == base


@settings(max_examples=200, deadline=None)
@given(w=weights, data=st.data())
def test_bounds_hold_after_rounding(w: list[float], data: st.DataObject) -> None:
    n = len(w)
    lower = data.draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n))
    extra = data.draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n))
    upper = [lo + e for lo, e in zip(lower, extra)]
    total = data.draw(st.integers(sum(lower), sum(upper)))
    keys = [str(i) for i in range(n)]
    result = apportion(total, w, keys, lower=lower, upper=upper)
    assert sum(result) == total
    assert all(lo <= r <= hi for lo, r, hi in zip(lower, result, upper))
