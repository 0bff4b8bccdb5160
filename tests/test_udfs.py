"""Worksheet functions: thin wrappers that agree with the core (decorators are no-ops here)."""

from __future__ import annotations

import pytest
from factories import simple_inputs

from udfs.sozialraum import SRB_BELASTUNGSFAKTOR, SRB_QUOTE, SRB_RUNDEN, SRB_VERTEILUNG
from xlsozial.evaluation import compute
from xlsozial.example import example_inputs
from xlsozial.models import ModelKey


def flat(column: list[list[float]]) -> list[float]:
    return [row[0] for row in column]


def test_factor_quote_and_models_agree_with_the_core_on_the_example() -> None:
    inputs = example_inputs()
    res = compute(inputs)
    rates = [[a.rates[i.key] for i in res.indicators] for a in res.areas]
    factors = flat(
        SRB_BELASTUNGSFAKTOR(
            rates,
            [i.district for i in res.indicators],
            [i.weight for i in res.indicators],
            [i.direction for i in res.indicators],
        )
    )
    assert factors == pytest.approx([a.factor for a in res.areas])
    pops = [a.population for a in res.areas]
    assert flat(SRB_QUOTE(pops, factors)) == pytest.approx([a.quota for a in res.areas])
    names = [a.name for a in res.areas]
    for model in ModelKey:
        got = flat(
            SRB_VERTEILUNG(
                model.value,
                2_000_000,
                pops,
                factors,
                vorjahr=[a.previous / 100 for a in res.areas],
                sockel=[a.base / 100 for a in res.areas],
                korridor_unten=inputs.parameters.corridor_down,
                korridor_oben=inputs.parameters.corridor_up,
                namen=names,
            )
        )
        assert got == [a.allocation[model] / 100 for a in res.areas], model


def test_runden_sums_exactly_to_the_cent() -> None:
    parts = flat(SRB_RUNDEN(100.0, [1, 1, 1]))
    assert parts == [33.34, 33.33, 33.33]
    assert round(sum(parts), 2) == 100.0


def test_a_corridor_that_binds_through_the_udf() -> None:
    res = compute(simple_inputs(corridor_down=0.05, corridor_up=0.05))
    got = flat(
        SRB_VERTEILUNG(
            "M4 Bestand mit Korridor",
            400_000,
            [1000, 2000, 1000],
            [1.6, 0.8, 0.8],
            vorjahr=[100_000, 200_000, 100_000],
        )
    )
    assert got == [105_000, 196_667, 98_333]
    assert got == [a.allocation[ModelKey.M4] / 100 for a in res.areas]


def test_errors_come_back_as_german_text_not_tracebacks() -> None:
    assert SRB_QUOTE([1000, None], [1.0, 1.0]) == [["Fehler: „einwohner“ enthält leere Zellen"]]
    assert SRB_VERTEILUNG("M9", 1000, [1], [1])[0][0].startswith("Fehler: Modell muss")
    assert "Nachkommastellen" in SRB_RUNDEN(100.005, [1, 2])[0][0]
    assert "Vielfaches" in SRB_RUNDEN(100.5, [1, 2], einheit=1)[0][0]
    out = SRB_BELASTUNGSFAKTOR([[0.02], [0.0]], [0.01], [1], ["entlastend"])
    assert out[0][0].startswith("Fehler:") and "Kehrwert" in out[0][0]
