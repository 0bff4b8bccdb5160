"""Budget-usage matrix, the split gebunden / regional 1, and the transition schedule."""

from __future__ import annotations

import pytest
from factories import simple_inputs, with_params

from xlsozial.domain.models import ModelKey, SplitMethod
from xlsozial.evaluation.compute import compute


def test_matrix_assigns_netzwerk_half_and_half() -> None:
    res = compute(simple_inputs())
    netz = next(r for r in res.matrix if r.category == "Netzwerktätigkeit")
    assert netz.amount["SRT1"] == 2_000_000  # cents
    assert netz.bound["SRT1"] == netz.regional["SRT1"] == 1_000_000


def test_uniform_split_uses_the_historic_ratio_of_all_srt() -> None:
    res = compute(simple_inputs())
    # Past use: 100.000 €, of which 70.000 € gebunden → 70 %.
    assert res.bound_ratio == {"SRT1": pytest.approx(0.7), "SRT2": pytest.approx(0.7)}
    assert sum(a.bound for a in res.areas) == 28_000_000
    regions = {r.name: r.regional / 100 for r in res.regions}
    assert regions == {"Region A": 96_000, "Region B": 24_000}


def test_split_per_srt_uses_each_srt_history() -> None:
    res = compute(with_params(simple_inputs(), split_method=SplitMethod.PER_PROVIDER))
    assert res.bound_ratio["SRT1"] == pytest.approx(70 / 80)
    assert res.bound_ratio["SRT2"] == 0.0
    sued = next(a for a in res.areas if a.name == "Süd")
    assert sued.bound == 0 and sued.regional == sued.allocation[ModelKey.M2]


def test_fixed_share_split() -> None:
    res = compute(
        with_params(simple_inputs(), split_method=SplitMethod.FIXED, fixed_bound_share=0.6)
    )
    assert sum(p.bound for p in res.providers) == 24_000_000


def test_a_sozialraum_that_loses_money_is_held_harmless_then_phased_out() -> None:
    # M2 gives Mitte 160.000 € after 200.000 € last year, Süd 80.000 € after 100.000 €.
    res = compute(simple_inputs(transition_years=4, first_year=2027))
    years = [
        (t.year, t.compensation["Mitte"] / 100, t.compensation["Süd"] / 100) for t in res.transition
    ]
    assert years == [
        (2027, 40_000, 20_000),
        (2028, 30_000, 15_000),
        (2029, 20_000, 10_000),
        (2030, 10_000, 5_000),
        (2031, 0, 0),
    ]
    assert [t.freed / 100 for t in res.transition] == [0, 15_000, 15_000, 15_000, 15_000]
    # Year 1: regional 1 (120.000 €) pays the 60.000 € compensation, pro rata 4:1.
    first, last = res.transition[0], res.transition[-1]
    assert {k: v / 100 for k, v in first.regional.items()} == {
        "Region A": 48_000,
        "Region B": 12_000,
    }
    assert {k: v / 100 for k, v in last.regional.items()} == {
        "Region A": 96_000,
        "Region B": 24_000,
    }
    assert all(t.compensation["Nord"] == 0 for t in res.transition)


def test_compensation_larger_than_regional_budget_fails_its_check_only() -> None:
    # 95 % gebunden leaves 20.000 € regional 1 for 60.000 € compensation: the models are
    # still computed, but the transition is reported red instead of being invented.
    inp = with_params(simple_inputs(), split_method=SplitMethod.FIXED, fixed_bound_share=0.95)
    res = compute(inp)
    assert res.transition == []
    failed = [c for c in res.checks if not c.ok]
    assert [c.name for c in failed] == ["Übergang finanzierbar"]
    assert "60.000 €" in failed[0].detail


def test_two_positions_of_one_category_add_up_in_the_matrix() -> None:
    from factories import replace, simple_inputs

    from xlsozial.domain.models import CostPosition

    base = simple_inputs()
    extra = CostPosition(
        provider="SRT1", category="Betriebskosten", position="Miete", amount=15_000.5
    )
    res = compute(replace(base, cost_positions=[*base.cost_positions, extra]))
    row = next(r for r in res.matrix if r.category == "Betriebskosten")
    assert row.amount["SRT1"] == 7_500_050  # 60.000 € + 15.000,50 € in cents
    assert row.bound["SRT1"] + row.regional["SRT1"] == row.amount["SRT1"]
