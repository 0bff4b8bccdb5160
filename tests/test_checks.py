"""Every Prüfung can turn red: a check that cannot fail would be a green lie.

Each case takes a correct result of a small district, breaks exactly one thing the check
is about (as a defect in the core would), and expects that check, and only it, to be red.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import replace, simple_inputs

from xlsozial.domain.models import Indicator, Inputs, ModelKey
from xlsozial.domain.results import AreaResult, Results
from xlsozial.evaluation.checks import run_checks
from xlsozial.evaluation.compute import compute

Tamper = Callable[[Inputs, Results], tuple[Inputs, Results]]


def _area(res: Results, i: int, **changes: object) -> Results:
    areas = list(res.areas)
    areas[i] = areas[i].model_copy(update=changes)
    return res.model_copy(update={"areas": areas})


def _alloc(a: AreaResult, model: ModelKey, delta: int) -> dict[ModelKey, int]:
    return {**a.allocation, model: a.allocation[model] + delta}


def _move(res: Results, model: ModelKey, amount: int) -> Results:
    """Shift money between two areas: sums stay right, one area changes."""
    res = _area(res, 0, allocation=_alloc(res.areas[0], model, -amount))
    return _area(res, 1, allocation=_alloc(res.areas[1], model, amount))


def _first_year_off(res: Results) -> Results:
    first = res.transition[0]
    broken = first.model_copy(update={"bound_total": first.bound_total + 1})
    return res.model_copy(update={"transition": [broken, *res.transition[1:]]})


CASES: dict[str, Tamper] = {
    "M1 Einwohner: Summe = Gesamtbudget": lambda i, r: (
        i,
        _area(r, 0, allocation=_alloc(r.areas[0], ModelKey.M1, 1)),
    ),
    "M4 Bestand mit Korridor: Summe = Gesamtbudget": lambda i, r: (
        i,
        _area(r, 2, allocation=_alloc(r.areas[2], ModelKey.M4, -100)),
    ),
    # A Sozialraum that loses more than it has: the sum still matches, the amount is < 0.
    "Keine negativen Beträge": lambda i, r: (
        i,
        _move(r, ModelKey.M1, r.areas[0].allocation[ModelKey.M1] + 100),
    ),
    "M4: Korridor eingehalten (nach Rundung)": lambda i, r: (
        i,
        _area(r, 0, corridor_high=r.areas[0].allocation[ModelKey.M4] - 1),
    ),
    "M3: Sockel eingehalten": lambda i, r: (
        i,
        _area(r, 0, base=r.areas[0].allocation[ModelKey.M3] + 1),
    ),
    # A weight of zero everywhere: nothing carries the factor.
    "Gewichte nicht negativ, Summe > 0": lambda i, r: (
        replace(i, indicators=[Indicator(key="HZE", label="x", weight=0.0)]),
        r,
    ),
    "Indikatorwerte vollständig": lambda i, r: (
        replace(i, indicator_values=i.indicator_values[1:]),
        r,
    ),
    "Quoten ergeben 100 %": lambda i, r: (i, _area(r, 0, quota=r.areas[0].quota + 0.01)),
    "Matrix = Summe der Kostenblätter": lambda i, r: (
        replace(i, cost_positions=i.cost_positions[1:]),
        r,
    ),
    "Aufteilung gebunden + regional = Gesamtbudget": lambda i, r: (
        i,
        _area(r, 0, bound=r.areas[0].bound + 1),
    ),
    "Übergang: jedes Jahr = Gesamtbudget (+ zusätzliche Mittel)": lambda i, r: (
        i,
        _first_year_off(r),
    ),
}


@pytest.fixture
def computed() -> tuple[Inputs, Results]:
    inputs = simple_inputs(
        corridor_down=0.1, corridor_up=0.1, paper_number="JHA 7/2026", meeting_date="10.12.2026"
    )
    res = compute(inputs)
    assert res.ok, [c for c in res.checks if not c.ok]
    assert res.transition, "the example must have a transition to break"
    return inputs, res


# What the red check's detail must say: the offender, so the reader knows where to look.
DETAILS = {
    "M1 Einwohner: Summe = Gesamtbudget": "400.000,01 € von 400.000 €",
    "M4 Bestand mit Korridor: Summe = Gesamtbudget": "399.999 € von 400.000 €",
    "Keine negativen Beträge": "Nord",
    "M4: Korridor eingehalten (nach Rundung)": "Nord",
    "M3: Sockel eingehalten": "Nord",
    "Gewichte nicht negativ, Summe > 0": "Summe der Gewichte 0",
    "Indikatorwerte vollständig": "HZE: fehlt für Nord 2024",
    "Quoten ergeben 100 %": "101 %",
    "Matrix = Summe der Kostenblätter": "100.000 €",
    "Aufteilung gebunden + regional = Gesamtbudget": "400.000,01 €",
    "Übergang: jedes Jahr = Gesamtbudget (+ zusätzliche Mittel)": "2027",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_check_turns_red_on_its_own_defect(
    name: str, computed: tuple[Inputs, Results]
) -> None:
    inputs, res = CASES[name](*computed)
    red = [c for c in run_checks(inputs, res) if not c.ok]
    assert [c.name for c in red] == [name]
    assert DETAILS[name] in red[0].detail


def test_green_checks_say_what_was_checked(computed: tuple[Inputs, Results]) -> None:
    details = {c.name: c.detail for c in computed[1].checks}
    assert details == {
        "M1 Einwohner: Summe = Gesamtbudget": "400.000 € von 400.000 €",
        "M2 Belastungsquote: Summe = Gesamtbudget": "400.000 € von 400.000 €",
        "M3 Sockel + Quote: Summe = Gesamtbudget": "400.000 € von 400.000 €",
        "M4 Bestand mit Korridor: Summe = Gesamtbudget": "400.000 € von 400.000 €",
        "Keine negativen Beträge": "kein Betrag unter 0 €",
        "M4: Korridor eingehalten (nach Rundung)": "alle Sozialräume im Korridor",
        "M3: Sockel eingehalten": "jeder Sozialraum erhält mindestens seinen Sockel",
        "Gewichte nicht negativ, Summe > 0": "Summe der Gewichte 1",
        "Indikatorwerte vollständig": "alle Indikatoren vollständig",
        "Quoten ergeben 100 %": "100 %",
        "Matrix = Summe der Kostenblätter": "100.000 €",
        "Aufteilung gebunden + regional = Gesamtbudget": "400.000 €",
        "Übergang: jedes Jahr = Gesamtbudget (+ zusätzliche Mittel)": "5 Jahre geprüft",
        "Übergang finanzierbar": "Ausgleich 2027 (60.000 €) aus dem regionalen Budget 1 gedeckt",
        "Festgeschriebene Quote gilt": "keine beschlossen; Quote aus den aktuellen Daten",
        "Regionalbudget: keine Region überzeichnet": "2 Regionen geprüft",
        "Angaben zur Beschlussvorlage": "Vorlage JHA 7/2026, 10.12.2026",
    }


def test_every_check_has_a_case_here(computed: tuple[Inputs, Results]) -> None:
    names = {c.name for c in computed[1].checks}
    # "Übergang finanzierbar" comes from the transition itself; see the next test. The
    # quota and regional budget checks turn red in tests/test_years.py.
    assert names - set(CASES) == {
        "M2 Belastungsquote: Summe = Gesamtbudget",
        "M3 Sockel + Quote: Summe = Gesamtbudget",
        "Übergang finanzierbar",
        "Festgeschriebene Quote gilt",
        "Regionalbudget: keine Region überzeichnet",
        "Angaben zur Beschlussvorlage",  # yellow, never red: see the next test
    }


@pytest.mark.parametrize(
    ("paper", "meeting", "says"),
    [
        ("", "", "Vorlage-Nr. und Sitzungstermin fehlen"),
        ("JHA 7/2026", "", "Sitzungstermin fehlt"),
        ("JHA 7/2024", "12.12.2024", "Sitzungstermin 12.12.2024 liegt vor 2026"),
    ],
)
def test_last_years_paper_details_turn_the_paper_check_yellow(
    paper: str, meeting: str, says: str
) -> None:
    res = compute(simple_inputs(paper_number=paper, meeting_date=meeting))
    check = next(c for c in res.checks if c.name == "Angaben zur Beschlussvorlage")
    assert check.ok and check.warning and says in check.detail


def test_an_unaffordable_transition_is_red() -> None:
    # All previous money sat in one Sozialraum; the others had nothing. Its loss under the
    # new quota exceeds the regionales Budget 1 (no cost position is regional here).
    inputs = simple_inputs(corridor_down=1.0, corridor_up=10.0)
    areas = [
        a.model_copy(update={"previous_budget": v})
        for a, v in zip(inputs.areas, [399_998.0, 1.0, 1.0])
    ]
    shares = [c.model_copy(update={"bound_share": 1.0}) for c in inputs.category_shares]
    res = compute(replace(inputs, areas=areas, category_shares=shares))
    check = next(c for c in res.checks if c.name == "Übergang finanzierbar")
    assert not check.ok and "übersteigt" in check.detail
    # Nord had 399.998 € and gets 160.000 € under M2: 239.998 € to hold harmless, from 0 €.
    assert "übersteigt das regionale Budget 1: Ausgleich 239.998 € gegenüber 0 €" in check.detail


def test_the_payout_adds_up_also_in_a_year_without_a_transition() -> None:
    """2032, the transition begun 2027 has ended: no plan to check, but what the Sozialräume
    are paid is next year's Vorjahr and must still be the Gesamtbudget; one cent more turns
    the check red."""
    inputs = simple_inputs(first_year=2032, transition_start=2027)
    res = compute(inputs)
    assert res.transition == []
    name = "Übergang: jedes Jahr = Gesamtbudget (+ zusätzliche Mittel)"
    year = inputs.parameters.first_year
    assert {c.name: c.detail for c in res.checks}[
        name
    ] == f"Auszahlung {year} geprüft (kein Übergang)"
    red = [c for c in run_checks(inputs, _area(res, 0, paid=res.areas[0].paid + 1)) if not c.ok]
    assert [c.name for c in red] == [name]
    assert f"Auszahlung {year}: 400.000,01 € statt 400.000 €" in red[0].detail
