"""Indikatoren-Diagnose on three Sozialräume, every figure computed by hand.

Nord, Mitte, Süd; indicators given as plain values (so the rates are the values):
X = 1, 2, 3 · Y = 2, 4, 6 (X doubled: the same thing twice) · Z = 3, 1, 2 · W = 2, 1, 10
(r ≈ 0,81 with X: related, not the same).
"""

from __future__ import annotations

import numpy as np
import pytest
from factories import replace, simple_inputs, with_params

from xlsozial.core.diagnostics import correlation, influence, outliers
from xlsozial.domain.models import Indicator, IndicatorValue
from xlsozial.evaluation.compute import compute

AREAS = ["Nord", "Mitte", "Süd"]
VALUES = {"X": (1, 2, 3), "Y": (2, 4, 6), "Z": (3, 1, 2), "W": (2, 1, 10)}


def three_areas(weights: dict[str, float], missing: tuple[str, str, int] | None = None):  # type: ignore[no-untyped-def]
    base = simple_inputs()
    values = [
        IndicatorValue(area=a, indicator=k, year=year, value=float(v))
        for k, row in VALUES.items()
        for a, v in zip(AREAS, row)
        for year in (2023, 2024)
        if (a, k, year) != missing
    ]
    indicators = [Indicator(key=k, label=f"Indikator {k}", weight=w) for k, w in weights.items()]
    inputs = replace(base, indicators=indicators, indicator_values=values)
    return with_params(inputs, years_average=1)


def test_correlation_by_hand() -> None:
    # X centred −1, 0, 1; Z centred 1, −1, 0: Σxz = −1, Σx² = Σz² = 2 → r = −1/2.
    rates = np.array([VALUES["X"], VALUES["Y"], VALUES["Z"]], dtype=float).T
    r = correlation(rates)
    assert r[0][1] == pytest.approx(1.0) and r[0][2] == pytest.approx(-0.5)
    assert r[1][2] == pytest.approx(-0.5) and r[2][2] == 1.0
    # W centred −7/3, −10/3, 17/3: Σxw = 8, Σw² = 146/3 → r = 8 / √(2 · 146/3) ≈ 0,81
    w = correlation(np.array([VALUES["X"], VALUES["W"]], dtype=float).T)
    assert w[0][1] == pytest.approx(8 / np.sqrt(292 / 3))
    flat = correlation(np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]))
    assert flat[0][1] is None and flat[1][1] is None  # equal everywhere: no correlation


def test_an_outlier_is_named_with_its_distance_in_mads() -> None:
    # W = 2, 1, 10: median 2, distances 0, 1, 8 → MAD 1; Süd lies 8 MADs above.
    # X = 1, 2, 3: MAD 1, nobody beyond 3. Z' = 5, 5, 9: MAD 0 → the rule says nothing.
    rates = np.array([VALUES["W"], VALUES["X"], (5, 5, 9)], dtype=float).T
    found, flat = outliers(rates)
    assert [(o.indicator, o.area, o.median, o.mads) for o in found] == [(0, 2, 2.0, 8.0)]
    assert flat == [2]


def test_influence_shares_by_hand() -> None:
    # X' = 1, 2, 3 and Z' = 3, 1, 2: variances 2/3, covariance −1/3. Weights 2 : 1 →
    # w = (2/3, 1/3), Σw = (1/3, 0), wᵀΣw = 2/9: X carries it all, Z (running against X at
    # half the weight) adds nothing to the spread. Weights 1 : 2 the other way round.
    relative = np.array([VALUES["X"], VALUES["Z"]], dtype=float).T
    assert influence(relative, np.array([2.0, 1.0]), False) == pytest.approx([1.0, 0.0])
    assert influence(relative, np.array([1.0, 2.0]), False) == pytest.approx([0.0, 1.0])
    assert influence(relative, np.array([1.0, 1.0]), False) == pytest.approx([0.5, 0.5])
    same = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    assert influence(same, np.array([1.0, 1.0]), False) is None  # no spread to share


def test_the_diagnosis_of_a_run_names_pairs_outliers_and_gaps() -> None:
    """Through the whole computation: Y is X doubled (r = 1) and is named as counted
    twice; Z is a weight of zero and is not paired; Süd's W is an outlier; Mitte has no
    Z for 2023, so the coverage shows 2 of 3."""
    inputs = three_areas({"X": 1.0, "Y": 1.0, "Z": 0.0, "W": 1.0}, missing=("Mitte", "Z", 2023))
    d = compute(inputs, for_sheets=True).diagnosis
    assert d is not None and d.areas == 3 and d.indicators == ["X", "Y", "Z", "W"]
    assert [(a, b) for a, b, _ in d.pairs] == [("X", "Y")]
    assert d.pairs[0][2] == pytest.approx(1.0)
    assert [(o.indicator, o.area, o.mads) for o in d.outliers] == [("W", "Süd", 8.0)]
    assert d.coverage["Z"] == {2023: 2, 2024: 3} and d.coverage["X"] == {2023: 3, 2024: 3}
    assert d.influence is not None and d.influence["Z"] == 0.0
    assert sum(d.influence.values()) == pytest.approx(1.0)


def test_the_sheet_says_it_in_words() -> None:
    from xlsozial.book.outputs_diagnosis import diagnosis_sheet

    inputs = three_areas({"X": 1.0, "Y": 1.0, "Z": 0.0, "W": 1.0}, missing=("Mitte", "Z", 2023))
    sheet = diagnosis_sheet(compute(inputs, for_sheets=True))
    text = " ".join(str(v) for b in sheet.blocks for row in b.values for v in row if v)
    assert "1 Paar(e) gewichteter Indikatoren" in text and "X–Y (1,00)" in text
    assert "Süd" in text
    coverage = sheet.blocks[-1]
    z_row = next(r for r in coverage.values if r[0] == "Z")
    assert z_row == ["Z", "2024", 2, 3]
    assert coverage.fills == {(3, 2): "FFEB9C"}
