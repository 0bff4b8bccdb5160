"""Indicators → relative values → Belastungsfaktor → Quote."""

from __future__ import annotations

import numpy as np
import pytest
from factories import area, rate_values, replace, simple_inputs, with_params
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsozial.domain.errors import InputError
from xlsozial.domain.models import Aggregation, Direction, Indicator, IndicatorValue, Normalisation
from xlsozial.evaluation.compute import compute


def factors(inputs: object) -> dict[str, float]:
    res = compute(inputs)  # type: ignore[arg-type]
    return {a.name: a.factor for a in res.areas}


def test_district_rate_is_pooled_not_mean_of_rates() -> None:
    res = compute(simple_inputs())
    # ΣZähler/ΣNenner = 100/4000 = 0.025; the mean of rates would be 0.0267.
    assert res.indicators[0].district == pytest.approx(0.025)
    assert factors(simple_inputs()) == pytest.approx({"Nord": 1.6, "Mitte": 0.8, "Süd": 0.8})


def test_quota_from_factor_and_population() -> None:
    res = compute(simple_inputs())
    # P·BF = 1600, 1600, 800 → 40 %, 40 %, 20 %
    assert [a.quota for a in res.areas] == pytest.approx([0.4, 0.4, 0.2])


def test_relief_indicator_uses_the_inverse() -> None:
    inp = simple_inputs()
    ind = inp.indicators[0].model_copy(update={"direction": Direction.RELIEF})
    f = factors(replace(inp, indicators=[ind]))
    assert f == pytest.approx({"Nord": 0.625, "Mitte": 1.25, "Süd": 1.25})


def test_weight_of_zero_changes_nothing() -> None:
    inp = simple_inputs()
    noise = Indicator(key="LÄRM", label="Verkehrslärm", weight=0.0)
    values = [
        *inp.indicator_values,
        *rate_values("LÄRM", 2024, {"Nord": (1, 1000), "Mitte": (90, 2000), "Süd": (5, 1000)}),
    ]
    with_zero = replace(inp, indicators=[*inp.indicators, noise], indicator_values=values)
    assert factors(with_zero) == pytest.approx(factors(inp))


def test_zero_weight_indicator_may_be_incomplete() -> None:
    inp = simple_inputs()
    noise = Indicator(key="LÄRM", label="Verkehrslärm", weight=0.0)
    res = compute(replace(inp, indicators=[*inp.indicators, noise]))
    assert res.skipped_indicators == ["LÄRM"]


def test_weights_are_relative() -> None:
    inp = simple_inputs()
    second = Indicator(key="SGB2", label="SGB II", weight=1.0)
    values = [
        *inp.indicator_values,
        *rate_values("SGB2", 2024, {"Nord": (10, 1000), "Mitte": (40, 2000), "Süd": (30, 1000)}),
    ]
    one = replace(inp, indicators=[inp.indicators[0], second], indicator_values=values)
    doubled = replace(
        one, indicators=[i.model_copy(update={"weight": i.weight * 2}) for i in one.indicators]
    )
    # SGB2 district 80/4000 = 0.02 → r = 0.5, 1.0, 1.5; BF = mean with HZE (1.6, 0.8, 0.8)
    assert factors(one) == pytest.approx({"Nord": 1.05, "Mitte": 0.9, "Süd": 1.15})
    assert factors(doubled) == pytest.approx(factors(one))


def test_geometric_mean() -> None:
    inp = simple_inputs()
    second = Indicator(key="SGB2", label="SGB II", weight=1.0)
    values = [
        *inp.indicator_values,
        *rate_values("SGB2", 2024, {"Nord": (10, 1000), "Mitte": (40, 2000), "Süd": (30, 1000)}),
    ]
    geo = with_params(
        replace(inp, indicators=[inp.indicators[0], second], indicator_values=values),
        aggregation=Aggregation.GEOMETRIC,
    )
    f = factors(geo)
    assert f["Nord"] == pytest.approx(np.sqrt(1.6 * 0.5))
    assert f["Süd"] == pytest.approx(np.sqrt(0.8 * 1.5))


def test_damping_and_bounds() -> None:
    damped = factors(with_params(simple_inputs(), damping=0.5))
    assert damped == pytest.approx({"Nord": 1.3, "Mitte": 0.9, "Süd": 0.9})
    bounded = factors(with_params(simple_inputs(), factor_min=0.9, factor_max=1.5))
    assert bounded == pytest.approx({"Nord": 1.5, "Mitte": 0.9, "Süd": 0.9})


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (Normalisation.MINMAX, {"Nord": 1.5, "Mitte": 0.5, "Süd": 0.5}),
        (Normalisation.RANK, {"Nord": 1.5, "Mitte": 0.75, "Süd": 0.75}),
    ],
)
def test_minmax_and_rank(method: Normalisation, expected: dict[str, float]) -> None:
    assert factors(with_params(simple_inputs(), normalisation=method)) == pytest.approx(expected)


def test_zscore_maps_to_positive_scale_around_one() -> None:
    f = factors(with_params(simple_inputs(), normalisation=Normalisation.ZSCORE))
    assert all(v > 0 for v in f.values())
    assert f["Nord"] > 1 > f["Mitte"] == pytest.approx(f["Süd"])


def test_multi_year_average_pools_years() -> None:
    inp = simple_inputs()
    older = rate_values("HZE", 2023, {"Nord": (20, 1000), "Mitte": (40, 2000), "Süd": (20, 1000)})
    two_years = with_params(
        replace(inp, indicator_values=[*inp.indicator_values, *older]), years_average=2
    )
    # Nord: 60/2000 = 0.03; district: 180/8000 = 0.0225 → 1.333…
    assert factors(two_years)["Nord"] == pytest.approx(0.03 / 0.0225)


def test_direct_values_use_population_weighted_district_value() -> None:
    inp = simple_inputs()
    kita = Indicator(key="KITA", label="Betreuungsquote", weight=1.0, direction=Direction.RELIEF)
    vals = [
        IndicatorValue(area=a, indicator="KITA", year=2024, value=v)
        for a, v in {"Nord": 30.0, "Mitte": 40.0, "Süd": 50.0}.items()
    ]
    res = compute(replace(inp, indicators=[kita], indicator_values=vals))
    assert res.indicators[0].district == pytest.approx((30 * 1000 + 40 * 2000 + 50 * 1000) / 4000)


def test_missing_values_are_all_listed() -> None:
    inp = simple_inputs()
    second = Indicator(key="SGB2", label="SGB II", weight=1.0)
    only_nord = rate_values("SGB2", 2024, {"Nord": (10, 1000)})
    with pytest.raises(InputError) as err:
        compute(
            replace(
                inp,
                indicators=[inp.indicators[0], second],
                indicator_values=[*inp.indicator_values, *only_nord],
            )
        )
    assert "Mitte 2024" in str(err.value) and "Süd 2024" in str(err.value)


def test_area_without_population_gets_nothing_under_m1_and_m2() -> None:
    inp = simple_inputs()
    empty = area("Forst", 0, 1000.0, provider="SRT2", region="Region B")
    vals = [*inp.indicator_values, *rate_values("HZE", 2024, {"Forst": (0, 1)})]
    res = compute(replace(inp, areas=[*inp.areas, empty], indicator_values=vals))
    forst = next(a for a in res.areas if a.name == "Forst")
    assert forst.allocation["M1"] == 0 and forst.allocation["M2"] == 0


@pytest.mark.parametrize("method", [Normalisation.RATIO, Normalisation.MINMAX, Normalisation.RANK])
@pytest.mark.parametrize("damping", [1.0, 0.5])
@pytest.mark.parametrize("direct", [False, True], ids=["Zähler/Nenner", "Werte"])
def test_exact_factors_are_the_float_factors_without_the_noise(
    method: Normalisation, damping: float, direct: bool
) -> None:
    """The rational factor that money is apportioned from is the displayed factor, exactly
    up to float rounding: for every normalisation, direction, damping and kind of value."""
    from xlsozial.core.burden import burden_factor, indicator_data, relative_values
    from xlsozial.core.burden_exact import exact_factors

    rng = np.random.default_rng(7)
    names = [f"Gebiet {i}" for i in range(9)]
    areas = [area(n, int(rng.integers(50, 900)), 1000.0) for n in names]
    indicators, values = [], []
    for k, direction in enumerate([Direction.BURDEN, Direction.RELIEF, Direction.BURDEN]):
        key = f"I{k}"
        indicators.append(
            Indicator(key=key, label=key, weight=[2.0, 0.5, 1.0][k], direction=direction)
        )
        # Ties on purpose (ranks share their average), and a rate that is the same twice.
        nums = [int(rng.integers(1, 6)) for _ in names]
        for n, a, x in zip(names, areas, nums):
            if direct:
                values.append(IndicatorValue(area=n, indicator=key, year=2024, value=x / 4))
            else:
                values.append(
                    IndicatorValue(
                        area=n, indicator=key, year=2024, numerator=x, denominator=a.population_u21
                    )
                )
    inp = with_params(
        replace(simple_inputs(), areas=areas, indicators=indicators, indicator_values=values),
        normalisation=method,
        damping=damping,
        factor_min=0.75,
        factor_max=1.3,
    )
    pop = np.array([a.population_u21 for a in areas], dtype=float)
    data = indicator_data(inp, names, pop)
    relative = relative_values(data, method)
    floats = burden_factor(relative, data.weights, Aggregation.ARITHMETIC, damping, 0.75, 1.3)
    exact = exact_factors(inp, data, names, [int(p) for p in pop])
    assert exact is not None
    assert [float(f) for f in exact] == pytest.approx(floats.tolist(), rel=1e-12)


def test_irrational_methods_have_no_exact_factor() -> None:
    from xlsozial.core.burden import indicator_data
    from xlsozial.core.burden_exact import exact_factors

    for params in ({"normalisation": Normalisation.ZSCORE}, {"aggregation": Aggregation.GEOMETRIC}):
        inp = with_params(simple_inputs(), **params)
        names = [a.name for a in inp.areas]
        pop = np.array([a.population_u21 for a in inp.areas], dtype=float)
        assert exact_factors(inp, indicator_data(inp, names, pop), names, [1, 1, 1]) is None


def test_zscore_is_twice_the_normal_distribution_function() -> None:
    # Rates 1, 2, 3: mean 2, population SD √(2/3); z = ±1,2247 → 2·Φ(z) = 1,7793 / 0,2207.
    names = ["A", "B", "C"]
    inp = replace(
        simple_inputs(normalisation=Normalisation.ZSCORE),
        areas=[area(n, 100, 1000.0, provider="SRT1" if n != "C" else "SRT2") for n in names],
        indicator_values=rate_values(
            "HZE", 2024, {n: (float(i + 1), 100.0) for i, n in enumerate(names)}
        ),
    )
    assert list(factors(inp).values()) == pytest.approx([0.22067136, 1.0, 1.77932864])


def test_values_typed_as_decimals_sum_exactly_over_the_years() -> None:
    """0,1 and 0,2 typed in two years are 0,3 – not 0.30000000000000004, the float sum – so
    two Sozialräume with the same typed numbers get the same factor and equal money."""
    from fractions import Fraction

    from xlsozial.core.burden import indicator_data
    from xlsozial.core.burden_exact import exact_sums

    inp = with_params(simple_inputs(), years_average=2)
    ind = inp.indicators[0]
    names = [a.name for a in inp.areas]
    values = [
        IndicatorValue(area=n, indicator=ind.key, year=y, numerator=x, denominator=d)
        for n in names
        for y, x, d in ((2023, 0.1, 0.7), (2024, 0.2, 1e-7))
    ]
    values += [v for v in inp.indicator_values if v.indicator != ind.key]
    inp = replace(inp, indicator_values=values)
    pop = np.array([a.population_u21 for a in inp.areas], dtype=float)
    data = indicator_data(inp, names, pop)
    sums = exact_sums(inp, data, names)
    k = [i.key for i in data.indicators].index(ind.key)
    assert sums.num[k] == [Fraction(3, 10)] * len(names)
    assert sums.den[k] == [Fraction(7, 10) + Fraction(1, 10**7)] * len(names)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=6,
    )
)
def test_exact_sums_are_the_sums_of_the_typed_numbers(numbers: list[float]) -> None:
    """Summed as decimals of unbounded precision: the same as adding the typed values as
    fractions (:func:`exact`), for tiny, huge and mixed magnitudes alike."""
    from xlsozial.core.apportion import exact
    from xlsozial.core.burden import indicator_data
    from xlsozial.core.burden_exact import exact_sums

    inp = simple_inputs()
    ind, name = inp.indicators[0], inp.areas[0].name
    years = list(range(2024 - len(numbers) + 1, 2025))
    values = [
        IndicatorValue(area=a.name, indicator=i.key, year=y, value=1.0)
        for a in inp.areas
        for i in inp.indicators
        for y in years
        if not (a.name == name and i.key == ind.key)
    ]
    values += [
        IndicatorValue(area=name, indicator=ind.key, year=y, value=x)
        for y, x in zip(years, numbers)
    ]
    inp = with_params(replace(inp, indicator_values=values), years_average=len(numbers))
    names = [a.name for a in inp.areas]
    pop = np.array([a.population_u21 for a in inp.areas], dtype=float)
    data = indicator_data(inp, names, pop)
    sums = exact_sums(inp, data, names)
    k = [i.key for i in data.indicators].index(ind.key)
    assert sums.num[k][names.index(name)] == sum((exact(x) for x in numbers), exact(0))
    assert sums.den[k][names.index(name)] == len(numbers)
