"""The multi-year rules in the core, by hand on three Sozialräume (no workbook).

simple_inputs: quota Nord 40 %, Mitte 40 %, Süd 20 % of 400.000 €; Vorjahr 100.000 /
200.000 / 100.000 €; 70 % of every allocation is gebunden (uniform split), 30 % regionales
Budget 1: Region A (Nord, Mitte) 96.000 €, Region B (Süd) 24.000 €. Mitte loses 40.000 €,
Süd 20.000 €: a Besitzstand of 60.000 € in the first year, phased out over 4 years.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from factories import replace, simple_inputs
from factories import with_params as validated

from xlsozial.domain.models import (
    Application,
    ApplicationStatus,
    Inputs,
    ModelKey,
    QuotaDecision,
    RegionShare,
)
from xlsozial.evaluation.compute import compute

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
    from xlsozial.domain.errors import InputError

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

    from xlsozial.app.cli import main

    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    sheet, coord = next(iter(wb.defined_names["Uebergang_ab"].destinations))
    wb[sheet][coord.replace("$", "")] = 2030  # the budget year is 2027
    wb.save(book)
    assert main(["pruefen", str(book)]) == 1  # named at its cell, nothing computed


# -- What is actually paid, and who pays the Besitzstand -----------------------------------
# simple_inputs in 2027: M2 gives Nord/Mitte/Süd 160.000/160.000/80.000 €; Mitte loses
# 40.000 €, Süd 20.000 € against the Vorjahr (100/200/100): a Besitzstand of 60.000 €.
# Regionales Budget 1: Region A 96.000 € (Nord 48.000, Mitte 48.000), Region B 24.000 €.


def paid(inputs: Inputs) -> dict[str, int]:
    return {a.name: a.paid for a in compute(inputs).areas}


def test_paid_from_regional_budget_1_adds_up_to_the_gesamtbudget() -> None:
    # Region A pays 48.000 € (96 of 120), split 24.000/24.000 over Nord and Mitte by their
    # own regionales Budget 1; Region B (Süd alone) pays 12.000 €.
    assert paid(simple_inputs()) == {
        "Nord": (160_000 - 24_000) * EUR,
        "Mitte": (160_000 + 40_000 - 24_000) * EUR,
        "Süd": (80_000 + 20_000 - 12_000) * EUR,
    }
    assert sum(paid(simple_inputs()).values()) == 400_000 * EUR  # not 460.000 € (twice)


def test_the_verteilschluessel_by_population_decides_who_pays() -> None:
    # Region A has 3.000 inhabitants, Region B 1.000: 45.000 € and 15.000 €.
    inputs = validated(simple_inputs(), region_key="nach Einwohnern")
    assert paid(inputs) == {
        "Nord": (160_000 - 22_500) * EUR,
        "Mitte": (200_000 - 22_500) * EUR,
        "Süd": (100_000 - 15_000) * EUR,
    }


def lueneburg(**params: object) -> Inputs:
    """Extra money on top of the Gesamtbudget pays the Besitzstand; freed money goes into
    regionales Budget 1 by fixed shares, half and half."""
    shares = [RegionShare(region="Region A", share=0.5), RegionShare(region="Region B", share=0.5)]
    base = replace(simple_inputs(), region_shares=shares)
    values: dict[str, object] = {
        "holding_funding": "aus zusätzlichen Mitteln",
        "extra_funds": 60_000.0,
        "region_key": "feste Anteile",
    }
    return validated(base, **{**values, **params})


def test_extra_money_pays_the_besitzstand_in_full_in_year_one() -> None:
    res = compute(lueneburg())
    assert paid(lueneburg()) == {
        "Nord": 160_000 * EUR,
        "Mitte": 200_000 * EUR,
        "Süd": 100_000 * EUR,
    }
    assert res.paid_total == 460_000 * EUR == res.budget + res.extra_used  # G + extra money
    plans = {p.name: p for p in res.region_plans}
    assert [plans[r].compensation for r in plans] == [0, 0]  # regional budget 1 untouched
    assert [plans[r].available for r in plans] == [96_000 * EUR, 24_000 * EUR]


def test_freed_extra_money_goes_to_the_regions_by_fixed_shares() -> None:
    # 2028, step 2: 45.000 € Besitzstand, 15.000 € of the extra money freed: 7.500 € per
    # region; Region A's half goes 3.750/3.750 to Nord and Mitte.
    inputs = lueneburg(first_year=2028, transition_start=2027)
    res = compute(inputs)
    assert paid(inputs) == {
        "Nord": 163_750 * EUR,
        "Mitte": (160_000 + 30_000 + 3_750) * EUR,
        "Süd": (80_000 + 15_000 + 7_500) * EUR,
    }
    assert res.paid_total == 460_000 * EUR  # the extra money stays in the budget
    plans = {p.name: p for p in res.region_plans}
    assert [plans[r].extra for r in plans] == [7_500 * EUR, 7_500 * EUR]
    assert [plans[r].freed for r in plans] == [7_500 * EUR, 7_500 * EUR]
    assert res.extra_used == 60_000 * EUR and res.ok  # 45.000 € Besitzstand + 15.000 € freed
    kept = lueneburg(first_year=2028, transition_start=2027, extra_rest="wird nicht ausgezahlt")
    assert compute(kept).paid_total == (400_000 + 45_000) * EUR  # only the Besitzstand
    assert compute(kept).extra_used == 45_000 * EUR


def test_too_little_extra_money_is_red_with_both_amounts() -> None:
    res = compute(lueneburg(extra_funds=50_000.0))
    check = next(c for c in res.checks if c.name == "Übergang finanzierbar")
    assert not check.ok
    assert "übersteigt die zusätzlichen Mittel: Ausgleich 60.000 € gegenüber 50.000 €" in (
        check.detail
    )


def test_a_transition_begun_earlier_is_judged_by_this_years_step() -> None:
    # 90 % gebunden leaves 40.000 € regionales Budget 1: the full 60.000 € of year 1 would
    # not fit, step 3 of 2027 (50 %: 30.000 €) does.
    tight = simple_inputs(split_method="fester Anteil", fixed_bound_share=0.9)
    first = next(c for c in compute(tight).checks if c.name == "Übergang finanzierbar")
    assert not first.ok
    later = validated(tight, transition_start=2025)
    res = compute(later)
    check = next(c for c in res.checks if c.name == "Übergang finanzierbar")
    assert check.ok, check.detail
    assert [(t.year, t.factor, t.compensation_total) for t in res.transition] == [
        (2027, 0.5, 30_000 * EUR),
        (2028, 0.25, 15_000 * EUR),
        (2029, 0.0, 0),
    ]


def test_a_besitzstand_of_zero_everywhere_is_refused_at_its_cells() -> None:
    from xlsozial.domain.errors import InputError

    base = simple_inputs()
    areas = [a.model_copy(update={"holding": 0.0}) for a in base.areas]
    with pytest.raises(InputError) as err:
        compute(validated(replace(base, areas=areas), transition_start=2026))
    assert str(err.value).count("ist 0 €") == 3


def test_last_years_costs_hold_per_srt_until_its_new_sheet_has_positions() -> None:
    base = simple_inputs(split_method="je SRT")
    this_year = [c for c in base.cost_positions if c.provider == "SRT1"]
    res = compute(replace(base, cost_positions=this_year, previous_costs=base.cost_positions))
    assert res.bound_ratio == compute(base).bound_ratio  # SRT2 still on last year's costs
    hint = next(c for c in res.checks if c.name == "Kostenblätter des Haushaltsjahres")
    assert hint.warning and "noch nicht zurück: SRT2" in hint.detail


def test_an_expired_decision_is_kept_beside_the_one_in_force() -> None:
    old = decided({"Nord": 0.6, "Mitte": 0.2}, 2020, 2024)  # incomplete, and history
    now = decided({"Nord": 0.5, "Mitte": 0.25, "Süd": 0.25}, 2025, 2029)
    res = compute(replace(simple_inputs(), quota_decisions=[*old, *now]))
    assert res.quota_decided_used and res.decided_quota["Süd"] == 0.25
    from xlsozial.domain.errors import InputError

    with pytest.raises(InputError) as err:  # the rows valid in 2027 must be complete
        compute(replace(simple_inputs(), quota_decisions=[*old, *now[:2]]))
    assert "Quote fehlt für Süd" in str(err.value)


def test_after_the_transition_ended_nothing_is_paid_and_it_says_why() -> None:
    from xlsozial.domain.transition_text import status_words

    inputs = validated(simple_inputs(), first_year=2032, transition_start=2027)
    res = compute(inputs)
    assert res.transition == [] and res.transition_ended == 2031
    assert paid(inputs) == {a.name: a.allocation[ModelKey.M2] for a in res.areas}
    assert "mit 2031 abgeschlossen; 2032 wird kein Besitzstand mehr gezahlt" in status_words(
        inputs, res
    )


def test_the_compensation_never_grows_back_even_where_rounding_would_do_it() -> None:
    """Largest remainders of a smaller total can give an area one unit more than the year
    before (the Alabama paradox): losses 3/1/9/1 over six years, step 5 would hand B a
    unit after a year with none. The cap keeps every step at most the one before."""
    from xlsozial.core.transition import compensation_steps

    steps = compensation_steps([0, 0, 0, 0], [3, 1, 9, 1], ["A", "B", "C", "D"], 6)
    assert steps[3][1] == [2, 0, 5, 0] and steps[4][1] == [1, 0, 4, 0]  # not [1, 1, 3, 0]
    for (_, before), (_, after) in itertools.pairwise(steps):
        assert all(a <= b for a, b in zip(after, before))


def test_a_region_pays_at_most_its_regionales_budget_1_the_others_the_rest() -> None:
    # 90 % gebunden: Region A has 32.000 €, B 8.000 €; step 3 of a transition begun in 2025
    # is 30.000 €. Fixed shares 10/90 would take 27.000 € from B: capped at its 8.000 €.
    shares = [RegionShare(region="Region A", share=0.1), RegionShare(region="Region B", share=0.9)]
    inputs = validated(
        replace(simple_inputs(), region_shares=shares),
        split_method="fester Anteil",
        fixed_bound_share=0.9,
        transition_start=2025,
        region_key="feste Anteile",
    )
    res = compute(inputs)
    plans = {p.name: p for p in res.region_plans}
    assert (plans["Region A"].compensation, plans["Region B"].compensation) == (
        22_000 * EUR,
        8_000 * EUR,
    )
    assert plans["Region B"].available == 0 and res.ok


def test_extra_money_for_a_region_without_regional_budget_follows_the_model_amounts() -> None:
    # SRT1 keeps everything gebunden: Region A (Nord, Mitte) has no regionales Budget 1. The
    # decided quota gives Nord 200.000 €, Mitte 100.000 € (loss 100.000 €; step 2: 75.000 €);
    # of 120.000 € extra money 45.000 € are left, Region A's half split 2:1 like the model.
    decision = decided({"Nord": 0.5, "Mitte": 0.25, "Süd": 0.25}, 2027, 2031)
    base = lueneburg(
        first_year=2028, transition_start=2027, split_method="je SRT", extra_funds=120_000.0
    )
    providers = [base.providers[0].model_copy(update={"bound_share": 1.0}), base.providers[1]]
    inputs = replace(base, providers=providers, quota_decisions=decision)
    res = compute(inputs)
    extra = {p.name: p.extra for p in res.region_plans}
    assert extra["Region A"] == 22_500 * EUR and res.ok
    model = {a.name: a.allocation[ModelKey.M2] for a in res.areas}
    comp = {a.name: a.compensation for a in res.areas}
    shares = {a.name: a.paid - model[a.name] - comp[a.name] for a in res.areas}
    assert (shares["Nord"], shares["Mitte"]) == (15_000 * EUR, 7_500 * EUR)
    assert res.extra_used == 75_000 * EUR + 45_000 * EUR


def test_a_regions_funding_is_shared_by_its_areas_regionales_budget_1_not_their_budget() -> None:
    # Mitte moves to SRT2; „je SRT“ with 50 % / 90 % gebunden: Region A's regionales Budget 1
    # is Nord 80.000 €, Mitte 16.000 € (Süd 8.000 €). Region A pays 55.385 € of the 60.000 €
    # (96 : 8), shared 80 : 16 – not 1 : 1 like the model amounts of 160.000 € each.
    base = simple_inputs(split_method="je SRT")
    areas = [
        a.model_copy(update={"provider": "SRT2"}) if a.name == "Mitte" else a for a in base.areas
    ]
    providers = [
        base.providers[0].model_copy(update={"bound_share": 0.5}),
        base.providers[1].model_copy(update={"bound_share": 0.9}),
    ]
    res = compute(replace(base, areas=areas, providers=providers))
    plans = {p.name: p for p in res.region_plans}
    assert plans["Region A"].compensation == 55_385 * EUR
    model = {a.name: a.allocation[ModelKey.M2] for a in res.areas}
    share = {a.name: model[a.name] + a.compensation - a.paid for a in res.areas}
    assert (share["Nord"], share["Mitte"]) == (46_154 * EUR, 9_231 * EUR)


def paper_words(inputs: Inputs, annexes: bool = False) -> str:
    """Beschlussvorschlag, Sachverhalt and Finanzielle Auswirkungen of the Vorlage as text
    (``annexes``: the Anlagen and the Technischer Anhang instead)."""
    from datetime import date

    from xlsozial.documents.paper import Heading, Points, Text
    from xlsozial.documents.vorlage import build_paper

    paper = build_paper(inputs, compute(inputs), date(inputs.parameters.first_year - 1, 11, 1))
    chosen = paper.annexes if annexes else paper.sections[:3]
    words: list[str] = []
    for block in (b for part in chosen for b in part.blocks):
        if isinstance(block, (Text, Heading)):
            words.append(block.text)
        elif isinstance(block, Points):
            words.extend(block.items)
    return " ".join(words).replace("\u00a0", " ")


def test_a_paper_after_the_transition_decides_no_funding_of_a_besitzstand() -> None:
    """2032, a transition begun in 2027 over 4 years has ended: nobody gets a Besitzstand,
    so the paper must not describe who pays one – only what still happens to extra money."""
    ended = validated(simple_inputs(), first_year=2032, transition_start=2027)
    words = paper_words(ended)
    assert "2032 wird kein Besitzstand mehr gezahlt" in words
    assert "Der Ausgleich wird" not in words and "seiner Finanzierung" not in words
    assert "ein Besitzstand wird nicht gezahlt" in words
    # The Technischer Anhang still lists the decided rule, and says which transition it is.
    assert (
        "Besitzstand (Abschmelzen über 4 Jahre, begonnen 2027): Der Ausgleich wird aus dem "
        "regionalen Budget 1" in paper_words(ended, annexes=True)
    )
    assert "vor dem Besitzstand" not in paper_words(ended, annexes=True)  # Anlagen 2 and 3
    none = validated(simple_inputs(), transition_years=0)
    assert "Besitzstand: kein Übergang vorgesehen" in paper_words(none, annexes=True)
    # Extra money decided for good still flows into regionales Budget 1.
    extra = validated(
        simple_inputs(),
        first_year=2032,
        transition_start=2027,
        holding_funding="aus zusätzlichen Mitteln",
        extra_funds=10_000.0,
    )
    assert compute(extra).extra_used == 10_000 * EUR
    words = paper_words(extra)
    assert (
        "Die zusätzlichen Mittel von 10.000 € je Jahr über dem Gesamtbudget fließen anteilig "
        "nach ihrem regionalen Budget 1 in das regionale Budget 1 der Regionen." in words
    )
    assert "dazu 10.000 € zusätzliche Mittel für das regionale Budget 1" in words
    assert "zuzüglich 10.000 € zusätzlicher Mittel für das regionale Budget 1" in words
    assert "für den Besitzstand" not in words
    assert "Der Ausgleich wird" not in words and "tatsächlich = mit den zusätzlichen" in words
    # Extra money the year does not need and that is not paid out: the paper says that.
    unpaid = validated(extra, extra_rest="wird nicht ausgezahlt")
    words = paper_words(unpaid)
    assert "werden 2032 nicht gebraucht und nicht ausgezahlt" in words
    assert "zusätzliche Mittel für" not in words
    # While the transition runs, its funding is part of what the committee decides.
    running = paper_words(validated(simple_inputs(), first_year=2028, transition_start=2027))
    assert "Der Ausgleich wird aus dem regionalen Budget 1 desselben Gesamtbudgets" in running
    assert "Mit Besitzstand und seiner Finanzierung erhalten" in running
    during = paper_words(validated(simple_inputs(), first_year=2028, transition_start=2027), True)
    assert "Die Modelle zeigen den Betrag vor dem Besitzstand." in during


def test_the_last_step_says_the_transition_ends_not_that_nobody_loses() -> None:
    """Step 5 of 5 (0 %) of a transition begun in 2027: Mitte and Süd still lose under the
    model, so „nobody loses“ would be false. The paper says that the transition ends, with
    what was really paid the year before (Historie), and only where freed money goes."""
    from xlsozial.domain.models import HistoryRow

    history = [
        HistoryRow(year=2030, area=area, allocation=100_000.0, compensation=comp)
        for area, comp in (("Nord", 0.0), ("Mitte", 10_000.0), ("Süd", 5_000.0))
    ]
    inputs = validated(
        replace(simple_inputs(), history=history), first_year=2031, transition_start=2027
    )
    step = compute(inputs).transition[0]
    assert (step.year, step.factor, step.compensation_total) == (2031, 0.0, 0)
    words = paper_words(inputs)
    assert (
        "Der 2027 begonnene Übergang endet: 2031 (Schritt 5 von 5) wird kein Ausgleich mehr "
        "gezahlt (2030: 15.000 €)." in words
    )
    assert "ein Ausgleich ist nicht nötig" not in words and "Der Ausgleich wird" not in words
    assert (
        "Was beim Abbau frei wird, bleibt im regionalen Budget 1 der Regionen, die den "
        "Ausgleich anteilig nach ihrem regionalen Budget 1 trugen." in words
    )
    assert "tatsächlich = der Betrag des Modells" in words  # nothing taken, nothing added


def test_a_year_in_which_nobodys_amount_moves_says_so_plainly() -> None:
    """Vorjahr = this year's model amount everywhere, no transition: not „0 Sozialräume mehr
    und 0 weniger“, but that every Sozialraum gets what it got."""
    base = validated(simple_inputs(), transition_years=0)
    res = compute(base)
    same = [
        a.model_copy(update={"previous_budget": r.allocation[res.chosen_model] / 100})
        for a, r in zip(base.areas, res.areas)
    ]
    words = paper_words(replace(base, areas=same))
    year = base.parameters.first_year - 1
    assert f"erhält jeder Sozialraum genau so viel, wie er {year} tatsächlich erhielt" in words
    assert "0 Sozialräume mehr" not in words


def test_a_plan_that_cannot_be_paid_says_so_in_the_beschlussvorschlag() -> None:
    """Extra money of 50.000 € for a Besitzstand of 60.000 €: the paper (a draft) must not
    tell the committee that nobody loses, nor turn the extra money into regionales Budget 1."""
    inputs = lueneburg(extra_funds=50_000.0)
    words = paper_words(inputs)
    assert "Kein Übergangsplan möglich: Der Ausgleich 2027 (Schritt 1 von 5) übersteigt" in words
    assert "(M2 Belastungsquote). Der Ausgleich wird aus zusätzlichen Mitteln von 50.000 €" in words
    assert "zuzüglich 50.000 € zusätzlicher Mittel für den Besitzstand" in words
    assert "ein Ausgleich ist nicht nötig" not in words
    assert "für das regionale Budget 1" not in words
