"""Six budget years, 2026 → 2031, through five Jahreswechsel: the sums that must reconcile in
every year, whatever the model, the funding of the Besitzstand or the course of the budget.

Every year: paid out = Gesamtbudget + extra money paid = gebunden + Besitzstand + regionales
Budget 1; the Besitzstand is its step of the loss against the fixed baseline; next year's
Vorjahr is what each Sozialraum was paid, and the Historie keeps every closed year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bookutil import copy_bundled
from openpyxl import load_workbook
from test_years import half_up, previous, set_param, state

from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.domain.models import Inputs
from xlsozial.domain.results import Results

SCENARIOS: dict[str, tuple[dict[str, Any], float]] = {
    # Besitzstand out of regionales Budget 1 over three years, the budget rising 3 % a year.
    "regional-3-jahre-plus-3": ({"Uebergangsjahre": 3}, 3),
    # M4 moves from the Vorjahr within its corridor: the model amount itself changes yearly.
    "m4-korridor-5-jahre-einwohner": (
        {
            "Uebergangsjahre": 5,
            "Modell": "M4 Bestand mit Korridor",
            "Verteilschluessel": "nach Einwohnern",
        },
        0,
    ),
    # Extra money; what the Besitzstand does not need is not paid out.
    "zusatzmittel-rest-nicht-ausgezahlt": (
        {
            "Uebergangsjahre": 4,
            "Besitzstand_Finanzierung": "aus zusätzlichen Mitteln",
            "Zusatzmittel": 150_000,
            "Zusatzmittel_Rest": "wird nicht ausgezahlt",
        },
        0,
    ),
    # The Kreistag cuts 4 % a year, in hundreds of euros.
    "kuerzung-4-prozent-hunderter": ({"Uebergangsjahre": 3, "Rundungseinheit": 100}, -4),
    # A transition begun in 2024, before the workbook: 2026 is its third step.
    "begonnen-2024": ({"Uebergangsjahre": 4, "Uebergang_ab": 2024}, 2),
}


def check_year(year: int, inputs: Inputs, res: Results, years: int, start: int) -> None:
    """The sums of one budget year, from its own results."""
    paid = sum(a.paid for a in res.areas)
    assert paid == res.paid_total == res.budget + res.extra_used, year
    step = year - start  # 0 in the year the transition began
    if step > years:  # ended: nothing is paid for it, nothing is shown for it
        assert res.transition == [] or res.transition[0].year != year
        assert all(a.compensation == 0 for a in res.areas)
        return
    row = res.transition[0]
    assert row.year == year
    assert row.bound_total + row.compensation_total + row.regional_total == paid
    model = res.chosen_model
    loss = sum(max(0, a.reference - a.allocation[model]) for a in res.areas) // res.unit
    numerator, denominator = (years - step, years) if years else (0, 1)
    assert row.compensation_total == half_up(loss * numerator, denominator) * res.unit, year
    assert {a.name: a.compensation for a in res.areas} == row.compensation


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_six_years_add_up(scenario: str, tmp_path: Path) -> None:
    params, increase = SCENARIOS[scenario]
    book = copy_bundled(tmp_path)
    for name, value in {"Erstes_Jahr": 2026, **params}.items():
        set_param(book, name, value)
    assert main(["berechnen", str(book)]) == 0
    years = int(params["Uebergangsjahre"])
    start = int(params.get("Uebergang_ab", 2026))
    inputs, res = state(book)
    paid_by_year: dict[int, dict[str, int]] = {}
    baseline: dict[str, float | None] | None = None
    for year in range(2026, 2032):
        check_year(year, inputs, res, years, start)
        paid_by_year[year] = {a.name: a.paid for a in res.areas}
        if year == 2031:
            break
        rollover = ["jahreswechsel", str(book)]
        assert main([*rollover, "--steigerung", str(increase)] if increase else rollover) == 0
        book = tmp_path / f"Sozialraumbudget_{year + 1}.xlsm"
        budget_before = res.budget
        inputs, res = state(book)
        # Vorjahr is what was actually paid, area by area, and so in sum.
        assert previous(inputs) == paid_by_year[year]
        assert sum(previous(inputs).values()) == sum(paid_by_year[year].values())
        expected = budget_before * (100 + increase) / 100
        assert abs(res.budget - expected) <= res.unit / 2  # the increase, once, to the unit
        # The Besitzstand baseline is fixed at the first Jahreswechsel and kept until the
        # year after the transition's last step (which says it ended); then it is cleared.
        holding = {a.name: a.holding for a in inputs.areas}
        baseline = baseline or holding
        if year + 1 <= start + years + 1:
            assert holding == baseline and None not in holding.values()
        else:
            assert set(holding.values()) == {None}
        history = {(h.year, h.area): h.paid for h in inputs.history}
        assert {y for y, _ in history} == set(range(2026, year + 1))
        for (closed, area), amount in history.items():
            assert round((amount or 0) * 100) == paid_by_year[closed][area]
    if start + years + 1 < 2031:  # ended before 2031: the sheets say so, not how it is funded
        workbook = load_workbook(book, read_only=True)
        assert workbook[layout.VERLAUF]["A2"].value.endswith("2031: Betrag des Modells.")
        words = " ".join(str(r[0]) for r in workbook[layout.UEBERGANG].iter_rows(values_only=True))
        assert f"ist mit {start + years} abgeschlossen" in words and "Ausgleich wird" not in words
