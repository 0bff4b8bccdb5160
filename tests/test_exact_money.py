"""Exact money: ties by the documented rule, corridors that cannot hold, an exact reference.

Every euro must be recomputable by hand; these cases are the ones where floating point or
a silently widened corridor used to change money.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import reference
from factories import area, rate_values, replace, simple_inputs, with_params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlsozial.core.apportion import apportion, german_key, split_two
from xlsozial.domain.errors import InputError, Origin
from xlsozial.domain.models import Indicator, Inputs, ModelKey, Parameters, Provider
from xlsozial.evaluation.compute import compute


def three_areas(
    pops: tuple[int, int, int], previous: tuple[float, float, float], **params: object
) -> Inputs:
    names = ("A", "B", "C")
    areas = [
        area(n, p, v, provider="SRT1" if n != "C" else "SRT2", base_amount=0.0)
        for n, p, v in zip(names, pops, previous)
    ]
    # One indicator with the same rate everywhere: every factor is exactly 1.
    values = rate_values("HZE", 2024, {n: (1.0, 10.0) for n in names})
    return replace(with_params(simple_inputs(), **params), areas=areas, indicator_values=values)


def cents(inp: Inputs) -> dict[ModelKey, list[int]]:
    res = compute(inp)
    return {m: [a.allocation[m] for a in res.areas] for m in ModelKey}


def test_half_euro_ties_go_to_the_larger_exact_amount_in_every_model() -> None:
    # 30 € for 7, 12 and 41 inhabitants: exactly 3,50 / 6,00 / 20,50 €. Both halves tie on
    # the remainder; the larger exact amount (C, 20,50 €) gets the euro: 3 / 6 / 21.
    inp = three_areas(
        (7, 12, 41), (7.0, 12.0, 41.0), total_budget=30.0, corridor_down=0.5, corridor_up=0.5
    )
    for model, amounts in cents(inp).items():
        assert amounts == [300, 600, 2100], model


def test_equal_remainder_and_amount_go_to_the_first_name_in_german_order() -> None:
    # Ä sorts with A (DIN 5007), not after Z as in code-point order.
    assert apportion(2, [1, 1, 1], ["Zeven", "Ährenfeld", "Bardowick"]) == [0, 1, 1]
    assert sorted(["Zeven", "Ährenfeld", "Adendorf", "ädorf"], key=german_key) == [
        "Adendorf",
        "ädorf",
        "Ährenfeld",
        "Zeven",
    ]


def test_mathematically_equal_weights_tie_whatever_floats_say() -> None:
    # A typed 0,3 is three tenths, not the binary float nearest to it: it ties with 3/10.
    assert apportion(1, [0.3, Fraction(3, 10)], ["b", "a"]) == [0, 1]
    # 7/60 of 30 is exactly 3,5: the tie is decided by the larger amount, not by noise.
    assert apportion(30, [7, 12, 41], ["A", "B", "C"]) == [3, 6, 21]
    assert apportion(3, [Fraction(1, 3)] * 2 + [Fraction(1, 3)], ["c", "b", "a"]) == [1, 1, 1]


def test_an_exact_half_split_gives_the_cent_to_gebunden() -> None:
    assert split_two(101, 0.5) == (51, 50)
    assert split_two(101, Fraction(1, 2)) == (51, 50)


def test_a_corridor_of_zero_that_cannot_hold_in_euros_is_an_input_error() -> None:
    # 1.000 € over three equal previous budgets, corridor 0 % / 0 %: 333,33 € each cannot be
    # paid in whole euros. Never widened silently: an error at the three Parameter cells.
    inp = three_areas((10, 10, 10), (100.0, 100.0, 100.0), total_budget=1000.0)
    origin = Origin(
        "Parameter",
        {
            "corridor_down": "Parameter!C12",
            "corridor_up": "Parameter!C13",
            "rounding_unit": "Parameter!C14",
        },
    )
    par = inp.parameters.model_copy(update={"corridor_down": 0.0, "corridor_up": 0.0})
    inp = replace(inp, parameters=Parameters.model_validate({**par.model_dump(), "origin": origin}))
    with pytest.raises(InputError) as err:
        compute(inp)
    places = [p.where for p in err.value.problems]
    assert places == ["Parameter!C12", "Parameter!C13", "Parameter!C14"]
    text = err.value.problems[0].message
    # by hand: 333,33… · 0,999 = 333,00 → 3 · 333 ≤ 1.000; 333,33… · 1,002 = 334,0 → 3 · 334
    assert "Korridor unten mindestens 0,1 %" in text
    assert "Korridor oben mindestens 0,2 %" in text
    assert "Rundungseinheit 0,01 €" not in text  # 1.000 € / 3 is no whole cent either


def test_a_coarse_unit_never_pushes_an_area_below_its_scaled_previous_year() -> None:
    # Korridor unten 0 %, unit 100 €: each area must get at least its rescaled previous year.
    inp = three_areas(
        (50, 30, 20),
        (450.0, 350.0, 200.0),
        total_budget=2000.0,
        rounding_unit=100.0,
        corridor_down=0.0,
        corridor_up=1.0,
    )
    try:
        res = compute(inp)
    except InputError as exc:
        assert "Korridor" in exc.problems[0].message
        return
    for a in res.areas:
        assert a.allocation[ModelKey.M4] >= a.previous * 2  # budget doubled: scaled = 2·V


# -- against the independent exact reference -------------------------------------------

NAMES = ["Adendorf", "Amt Neuhaus", "Ährenfeld", "Bleckede", "Öhringen", "Ostheide", "Zeven"]


@st.composite
def districts(draw: st.DrawFn) -> Inputs:
    n = draw(st.integers(2, 7))
    names = draw(st.permutations(NAMES))[:n]
    # Few distinct values make ties likely (equal populations, equal rates).
    pops = draw(st.lists(st.sampled_from([7, 12, 41, 100, 250, 1000]), min_size=n, max_size=n))
    prev = draw(st.lists(st.sampled_from([1.0, 2.5, 100.0, 333.33]), min_size=n, max_size=n))
    bases = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=n, max_size=n))
    unit = draw(st.sampled_from([0.01, 1.0, 5.0]))
    budget = unit * draw(st.integers(n, 400))
    areas = [
        area(
            nm,
            p,
            max(0.01, round(v * budget / 10, 2)),
            provider="SRT1" if i % 2 else "SRT2",
            region=f"R{i % 2}",
            base_amount=round(b * unit, 2),
        )
        for i, (nm, p, v, b) in enumerate(zip(names, pops, prev, bases))
    ]
    k = draw(st.integers(1, 2))
    indicators, values = [], []
    for j in range(k):
        key = f"I{j}"
        indicators.append(
            Indicator(
                key=key,
                label=key,
                weight=draw(st.sampled_from([0.5, 1.0, 2.0])),
                direction=draw(st.sampled_from(["belastend", "entlastend"])),
            )
        )
        rates = {
            nm: (float(draw(st.sampled_from([1, 2, 3]))), float(p)) for nm, p in zip(names, pops)
        }
        values += rate_values(key, 2024, rates)
    params = Parameters(
        sensitivity_draws=0,  # the Monte Carlo has tests of its own
        total_budget=round(budget, 2),
        rounding_unit=unit,
        damping=draw(st.sampled_from([1.0, 0.5])),
        corridor_down=draw(st.sampled_from([0.0, 0.05, 0.25])),
        corridor_up=draw(st.sampled_from([0.0, 0.1, 0.5])),
        transition_years=draw(st.sampled_from([0, 1, 4])),
    )
    return replace(
        simple_inputs(),
        parameters=params,
        areas=areas,
        indicators=indicators,
        indicator_values=values,
        providers=[Provider(key="SRT1", name="Eins"), Provider(key="SRT2", name="Zwei")],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_every_model_equals_the_exact_reference(inp: Inputs) -> None:
    expected = reference.models(inp)
    try:
        res = compute(inp)
    except InputError as exc:
        assert expected is None, exc.render()
        return
    assert expected is not None
    for m in ModelKey:
        assert {a.name: a.allocation[m] for a in res.areas} == expected[m.value], m


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_transition_and_split_equal_the_exact_reference(inp: Inputs) -> None:
    try:
        res = compute(inp)
    except InputError:
        return
    names = [a.name for a in res.areas]
    unit = res.unit
    # Split: the gebunden total is rounded once, then shared by each area's exact part.
    ratio = {p: Fraction(repr(r)) for p, r in res.bound_ratio.items()}
    chosen = [a.allocation[res.chosen_model] // unit for a in res.areas]
    parts = [c * ratio[a.provider] for c, a in zip(chosen, res.areas)]
    gebunden, _ = reference.largest_remainder(
        sum(chosen), [sum(parts), sum(chosen) - sum(parts)], ["gebunden", "regional"]
    ) or (0, 0)
    bound = reference.largest_remainder(gebunden, parts, names, upper=chosen)
    assert [a.bound // unit for a in res.areas] == bound
    # Transition against the previous year scaled to the new budget.
    prev = [a.previous for a in res.areas]
    ref = reference.largest_remainder(res.budget // unit, [Fraction(v) for v in prev], names)
    assert ref is not None
    regions = sorted({a.region for a in res.areas})
    regional = [sum(a.regional for a in res.areas if a.region == r) // unit for r in regions]
    rows = reference.transition(
        chosen, ref, names, regional, regions, inp.parameters.transition_years
    )
    if rows is None:
        assert not res.transition
        return
    assert len(rows) == len(res.transition)
    n = inp.parameters.transition_years
    assert [y.factor for y in res.transition] == [
        max(0, n - t) / n if n else 0.0 for t in range(len(rows))
    ]
    assert [y.year for y in res.transition] == [
        inp.parameters.first_year + t for t in range(len(rows))
    ]
    for (comp, reg, freed), year in zip(rows, res.transition):
        assert [year.compensation[n] // unit for n in names] == comp
        assert [year.regional[r] // unit for r in regions] == reg
        assert year.freed // unit == freed


@pytest.mark.parametrize(
    ("down", "up", "hints", "not_said"),
    [
        # 10 € for previous budgets 1 : 1 : 2, i.e. 2,50 / 2,50 / 5,00 € in whole euros.
        # by hand: ⌈2,5 · (1 − d)⌉ ≤ 2 needs d ≥ 20 %; ⌊2,5 · (1 + u)⌋ ≥ 3 needs u ≥ 20 %.
        (0.0, 0.0, ["Korridor unten mindestens 20 %", "Korridor oben mindestens 20 %"], []),
        (0.5, 0.0, ["Korridor oben mindestens 20 %"], ["Korridor unten mindestens"]),
        (0.0, 0.5, ["Korridor unten mindestens 20 %"], ["Korridor oben mindestens"]),
    ],
)
def test_the_corridor_error_names_what_would_work(
    down: float, up: float, hints: list[str], not_said: list[str]
) -> None:
    inp = three_areas(
        (10, 10, 20), (1.0, 1.0, 2.0), total_budget=10.0, corridor_down=down, corridor_up=up
    )
    with pytest.raises(InputError) as err:
        compute(inp)
    text = err.value.problems[0].message
    for hint in [*hints, "oder Rundungseinheit 0,01 €"]:  # in cents it would hold
        assert hint in text
    for wrong in not_said:
        assert wrong not in text


def test_the_whole_corridor_message_reads_right() -> None:
    inp = three_areas(
        (10, 10, 20), (1.0, 1.0, 2.0), total_budget=10.0, corridor_down=0.0, corridor_up=0.0
    )
    origin = Origin(
        "Parameter", {"corridor_down": "P!B14", "corridor_up": "P!B15", "rounding_unit": "P!B16"}
    )
    par = Parameters.model_validate({**inp.parameters.model_dump(), "origin": origin})
    with pytest.raises(InputError) as err:
        compute(replace(inp, parameters=par))
    assert [(p.where, p.message) for p in err.value.problems] == [
        (
            "P!B14",
            "M4: Der Korridor (unten 0 %, oben 0 %) lässt sich mit der Rundungseinheit "
            "1 € nicht einhalten; möglich wäre: Korridor unten mindestens 20 %, Korridor oben "
            "mindestens 20 %, oder Rundungseinheit 0,01 € (Zellen P!B14, P!B15, P!B16)",
        ),
        ("P!B15", "Korridor oben: siehe die Meldung zum Korridor"),
        ("P!B16", "Rundungseinheit: siehe die Meldung zum Korridor"),
    ]


def test_a_small_sockel_is_kept_even_when_rounding_would_take_it_away() -> None:
    # 500 € in 100-€ units; A has a Sockel of 10 € and almost no inhabitants. Without the
    # floor, largest remainder would give A nothing (0,10 + 4,9/2001 units, remainder 0,10).
    inp = three_areas(
        (1, 1000, 1000),
        (1.0, 1.0, 1.0),
        total_budget=500.0,
        rounding_unit=100.0,
        corridor_down=1.0,
        corridor_up=10.0,
    )
    areas = [a.model_copy(update={"base_amount": b}) for a, b in zip(inp.areas, [10.0, 0, 0])]
    res = compute(replace(inp, areas=areas))
    assert [a.allocation[ModelKey.M3] for a in res.areas] == [10_000, 20_000, 20_000]


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_cents_fast_path_equals_the_exact_decimal(value: float) -> None:
    from fractions import Fraction

    from xlsozial.domain.money import cents

    assert cents(value) == round(Fraction(repr(value)) * 100)
    whole = round(value, 2)  # a typed amount with cents
    assert cents(whole) == round(Fraction(repr(whole)) * 100)
