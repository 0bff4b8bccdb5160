"""The multi-year rules in the core, by hand on three Sozialräume (no workbook).

simple_inputs: quota Nord 40 %, Mitte 40 %, Süd 20 % of 400.000 €; Vorjahr 100.000 /
200.000 / 100.000 €; 70 % of every allocation is gebunden (uniform split), 30 % regionales
Budget 1: Region A (Nord, Mitte) 96.000 €, Region B (Süd) 24.000 €. Mitte loses 40.000 €,
Süd 20.000 €: a Besitzstand of 60.000 € in the first year, phased out over 4 years.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import replace, simple_inputs

from xlsozial.evaluation import compute
from xlsozial.models import Application, ApplicationStatus, Inputs, ModelKey, QuotaDecision

EUR = 100  # cents


def decided(shares: dict[str, float], start: int, end: int | None = None) -> list[QuotaDecision]:
    return [
        QuotaDecision(area=a, quota=q, decision="JHA 1/2027", valid_from=start, valid_to=end)
        for a, q in shares.items()
    ]


def with_params(inputs: Inputs, **params: object) -> Inputs:
    return replace(inputs, parameters=inputs.parameters.model_copy(update=params))


def m2(inputs: Inputs) -> dict[str, int]:
    return {a.name: a.allocation[ModelKey.M2] for a in compute(inputs).areas}


def test_first_year_holds_harmless_and_region_b_pays_its_share() -> None:
    res = compute(simple_inputs())
    assert m2(simple_inputs()) == {
        "Nord": 160_000 * EUR,
        "Mitte": 160_000 * EUR,
        "Süd": 80_000 * EUR,
    }
    year = res.transition[0]
    assert (year.year, year.factor) == (2027, 1.0)
    assert year.compensation == {"Nord": 0, "Mitte": 40_000 * EUR, "Süd": 20_000 * EUR}
    plans = {p.name: p for p in res.region_plans}
    # 60.000 € Besitzstand, funded pro rata to regionales Budget 1 (96.000 : 24.000).
    assert (plans["Region A"].from_split, plans["Region B"].from_split) == (
        96_000 * EUR,
        24_000 * EUR,
    )
    assert (plans["Region A"].compensation, plans["Region B"].compensation) == (
        48_000 * EUR,
        12_000 * EUR,
    )
    assert (plans["Region A"].available, plans["Region B"].available) == (
        48_000 * EUR,
        12_000 * EUR,
    )
    assert plans["Region A"].freed == plans["Region B"].freed == 0  # nothing before year 1


def test_a_later_year_is_the_next_step_and_frees_money_per_region() -> None:
    # After one Jahreswechsel: budget year 2028 in a transition that began in 2027.
    inputs = with_params(simple_inputs(), first_year=2028, transition_start=2027)
    res = compute(inputs)
    year = res.transition[0]
    assert (year.year, year.factor) == (2028, 0.75)
    assert year.compensation == {"Nord": 0, "Mitte": 30_000 * EUR, "Süd": 15_000 * EUR}
    assert year.freed == 15_000 * EUR
    plans = {p.name: p for p in res.region_plans}
    assert (plans["Region A"].available, plans["Region B"].available) == (
        60_000 * EUR,
        15_000 * EUR,
    )
    assert (plans["Region A"].freed, plans["Region B"].freed) == (12_000 * EUR, 3_000 * EUR)
    assert [t.year for t in res.transition] == [2028, 2029, 2030, 2031]


def test_the_besitzstand_baseline_not_the_raised_vorjahr_sets_the_loss() -> None:
    # Year 2028's Vorjahr is what each area got in 2027 (model + Besitzstand): 160/200/100.
    base = simple_inputs()
    areas = [
        a.model_copy(update={"previous_budget": v, "holding": h})
        for a, v, h in zip(
            base.areas, [160_000.0, 200_000.0, 100_000.0], [100_000.0, 200_000.0, 100_000.0]
        )
    ]
    inputs = with_params(replace(base, areas=areas), first_year=2028, transition_start=2027)
    year = compute(inputs).transition[0]
    assert year.compensation == {"Nord": 0, "Mitte": 30_000 * EUR, "Süd": 15_000 * EUR}
    # Without the baseline, the raised Vorjahr would start a new, wrong transition.
    without = [a.model_copy(update={"holding": None}) for a in areas]
    other = compute(replace(inputs, areas=without)).transition[0]
    assert other.compensation != year.compensation


def test_a_decided_quota_rules_m2_to_m4_while_it_holds() -> None:
    shares = {"Nord": 0.5, "Mitte": 0.25, "Süd": 0.25}
    inputs = replace(
        simple_inputs(corridor_down=1.0, corridor_up=10.0),
        quota_decisions=decided(shares, 2027, 2031),
    )
    res = compute(inputs)
    assert res.quota_decided_used
    assert m2(inputs) == {"Nord": 200_000 * EUR, "Mitte": 100_000 * EUR, "Süd": 100_000 * EUR}
    assert {a.name: a.allocation[ModelKey.M1] for a in res.areas} == {
        "Nord": 100_000 * EUR,
        "Mitte": 200_000 * EUR,
        "Süd": 100_000 * EUR,
    }  # M1 is by population and ignores any quota
    assert [a.quota for a in res.areas] == pytest.approx([0.4, 0.4, 0.2])  # today's, shown
    assert res.decided_quota == shares
    not_yet = replace(inputs, quota_decisions=decided(shares, 2028))
    assert m2(not_yet) == m2(simple_inputs()) and not compute(not_yet).quota_decided_used
    expired = with_params(inputs, first_year=2032)
    assert m2(expired) == m2(simple_inputs())


def test_approved_and_open_applications_count_against_their_region() -> None:
    apps = [
        Application(
            region="Region A",
            project="Treff",
            requested=30_000.0,
            approved=25_000.0,
            status=ApplicationStatus.APPROVED,
        ),
        Application(region="Region A", project="Café", requested=10_000.0),
        Application(
            region="Region B",
            project="Kurs",
            requested=5_000.0,
            approved=5_000.0,
            status=ApplicationStatus.REJECTED,
        ),
    ]
    res = compute(replace(simple_inputs(), applications=apps))
    plans = {p.name: p for p in res.region_plans}
    assert (plans["Region A"].approved, plans["Region A"].open) == (25_000 * EUR, 10_000 * EUR)
    assert plans["Region A"].remaining == 23_000 * EUR
    assert (plans["Region B"].approved, plans["Region B"].open) == (0, 0)  # rejected: nothing
    check = next(c for c in res.checks if c.name.startswith("Regionalbudget"))
    assert check.ok and not check.warning
    more = [*apps, Application(region="Region A", project="Fest", requested=14_000.0)]
    check = next(
        c
        for c in compute(replace(simple_inputs(), applications=more)).checks
        if c.name.startswith("Regionalbudget")
    )
    assert check.ok and check.warning  # open applications exceed what is left
    over = [
        *apps,
        Application(
            region="Region A",
            project="Bus",
            requested=23_000.01,
            approved=23_000.01,
            status=ApplicationStatus.APPROVED,
        ),
    ]
    check = next(
        c
        for c in compute(replace(simple_inputs(), applications=over)).checks
        if c.name.startswith("Regionalbudget")
    )
    assert not check.ok and "Region A" in check.detail  # one cent too much


def test_the_sockel_is_reported_in_cents_whatever_the_rounding_unit() -> None:
    base = simple_inputs(rounding_unit=100.0)
    areas = [a.model_copy(update={"base_amount": 50_000.0}) for a in base.areas]
    res = compute(replace(base, areas=areas))
    assert [a.base for a in res.areas] == [50_000 * EUR] * 3
    assert all(a.allocation[ModelKey.M3] >= a.base for a in res.areas)


def test_a_sockel_per_srt_is_spread_by_population_and_none_means_nothing() -> None:
    base = simple_inputs(base_level="SRT", rounding_unit=1.0)
    providers = [
        base.providers[0].model_copy(update={"base_amount": 30_000.0}),  # Nord 1000, Mitte 2000
        base.providers[1],  # Süd's SRT has no Sockel
    ]
    res = compute(replace(base, providers=providers))
    assert [a.base for a in res.areas] == [10_000 * EUR, 20_000 * EUR, 0]


def test_a_srt_with_its_own_bound_share_overrides_the_matrix() -> None:
    base = simple_inputs(split_method="je SRT")
    providers = [base.providers[0].model_copy(update={"bound_share": 0.25}), base.providers[1]]
    res = compute(replace(base, providers=providers))
    assert res.bound_ratio == {"SRT1": 0.25, "SRT2": 0.0}  # SRT2: its matrix has nothing bound
    nord = res.areas[0]
    assert (nord.bound, nord.regional) == (40_000 * EUR, 120_000 * EUR)


def test_one_sensitivity_draw_is_still_drawn() -> None:
    res = compute(simple_inputs(sensitivity_draws=1))
    assert len(res.sensitivity) == 3 and res.sensitivity_draws_done == 1


def test_an_age_group_without_inhabitants_is_an_input_error() -> None:
    from xlsozial.errors import InputError

    base = simple_inputs(age_group="0 bis unter 18", corridor_down=1.0, corridor_up=10.0)
    areas = [a.model_copy(update={"population_u18": 0}) for a in base.areas]
    with pytest.raises(InputError) as err:
        compute(replace(base, areas=areas))
    assert "Einwohnerzahl der Altersgruppe ist 0" in str(err.value)
    one = [a.model_copy(update={"population_u18": 1 if i == 0 else 0}) for i, a in enumerate(areas)]
    res = compute(replace(base, areas=one))  # a single inhabitant is a population
    assert res.areas[0].allocation[ModelKey.M1] == 400_000 * EUR


def test_a_transition_cannot_begin_after_the_budget_year(tmp_path: Path) -> None:
    from bookutil import copy_bundled
    from openpyxl import load_workbook

    from xlsozial.cli import main

    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    sheet, coord = next(iter(wb.defined_names["Uebergang_ab"].destinations))
    wb[sheet][coord.replace("$", "")] = 2030  # the budget year is 2027
    wb.save(book)
    assert main(["pruefen", str(book)]) == 1  # named at its cell, nothing computed
