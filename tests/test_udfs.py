"""Worksheet functions, called as Excel calls them: cell ranges through xlwings' own
decorators and conversion pipeline (``udf_harness``), and they agree with the core."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
import xlwings as xw
from bookutil import BUNDLED
from factories import simple_inputs
from udf_harness import call, decorated_udfs
from xlwings_engine import open_book

from xlsozial.domain.example import example_inputs
from xlsozial.domain.models import ModelKey
from xlsozial.evaluation.compute import compute


@pytest.fixture(scope="module")
def udf() -> ModuleType:
    return decorated_udfs()


def flat(column: list[list[Any]]) -> list[Any]:
    return [row[0] for row in column]


def scratch(rows: list[list[Any]]) -> xw.Sheet:
    """A sheet holding ``rows`` from A1, as a user would have typed them."""
    book = open_book(BUNDLED.read_bytes())
    sheet = book.sheets.add("UDF")
    sheet.range("A1").value = rows
    return sheet


def column(sheet: xw.Sheet, col: int, n: int) -> xw.Range:
    return sheet.range((1, col), (n, col))


def test_factor_quote_and_models_agree_with_the_core_on_the_example(udf: ModuleType) -> None:
    inputs = example_inputs()
    res = compute(inputs)
    n, k = len(res.areas), len(res.indicators)
    rows = [
        [a.name, a.population, a.previous / 100, a.base / 100]
        + [a.rates[i.key] for i in res.indicators]
        for a in res.areas
    ]
    sheet = scratch(rows)
    meta = sheet.range((n + 2, 1)).resize(3, k)
    meta.value = [
        [i.district for i in res.indicators],
        [i.weight for i in res.indicators],
        [i.direction for i in res.indicators],
    ]
    rates = sheet.range((1, 5), (n, 4 + k))
    factors = flat(
        call(
            udf.SRB_BELASTUNGSFAKTOR,
            rates,
            meta.rows[0],
            meta.rows[1],
            meta.rows[2],
        )
    )
    assert factors == pytest.approx([a.factor for a in res.areas])
    sheet.range((1, 10)).value = [[f] for f in factors]
    pops, facs = column(sheet, 2, n), column(sheet, 10, n)
    assert flat(call(udf.SRB_QUOTE, pops, facs)) == pytest.approx([a.quota for a in res.areas])
    par = inputs.parameters
    for model in ModelKey:
        got = call(
            udf.SRB_VERTEILUNG,
            f"{model.value} wie im Auswahlfeld",
            2_000_000.0,
            pops,
            facs,
            column(sheet, 3, n),
            column(sheet, 4, n),
            par.corridor_down,
            par.corridor_up,
            1.0,
            column(sheet, 1, n),
        )
        assert flat(got) == [a.allocation[model] / 100 for a in res.areas], model


def test_runden_sums_exactly_to_the_cent(udf: ModuleType) -> None:
    sheet = scratch([[1], [1], [1]])
    parts = flat(call(udf.SRB_RUNDEN, 100.0, column(sheet, 1, 3)))
    assert parts == [33.34, 33.33, 33.33]
    assert round(sum(parts), 2) == 100.0


def test_a_corridor_that_binds_through_the_udf(udf: ModuleType) -> None:
    res = compute(simple_inputs(corridor_down=0.05, corridor_up=0.05))
    sheet = scratch([[1000, 1.6, 100_000], [2000, 0.8, 200_000], [1000, 0.8, 100_000]])
    got = flat(
        call(
            udf.SRB_VERTEILUNG,
            "M4 Bestand mit Korridor",
            400_000.0,
            column(sheet, 1, 3),
            column(sheet, 2, 3),
            column(sheet, 3, 3),
        )
    )
    assert got == [105_000, 196_667, 98_333]
    assert got == [a.allocation[ModelKey.M4] / 100 for a in res.areas]


def test_errors_come_back_as_german_text_not_tracebacks(udf: ModuleType) -> None:
    sheet = scratch([[1000, 1.0], [None, 1.0]])
    empty = call(udf.SRB_QUOTE, column(sheet, 1, 2), column(sheet, 2, 2))
    assert empty == [["Fehler: „einwohner“ enthält leere Zellen"]]
    assert call(udf.SRB_VERTEILUNG, "M9", 1000.0, 1.0, 1.0)[0][0].startswith("Fehler: Modell")
    assert "Nachkommastellen" in call(udf.SRB_RUNDEN, 100.005, column(sheet, 2, 2))[0][0]
    assert "Vielfaches" in call(udf.SRB_RUNDEN, 100.5, column(sheet, 2, 2), 1.0)[0][0]
    holes = scratch([[0.02], [None]])  # an empty cell arrives as NaN through np.array
    out = call(udf.SRB_BELASTUNGSFAKTOR, column(holes, 1, 2), 0.01, 1.0, "belastend")
    assert out == [["Fehler: „raten“ enthält leere Zellen"]]
    rates = scratch([[0.02], [0.0]])
    out = call(udf.SRB_BELASTUNGSFAKTOR, column(rates, 1, 2), 0.01, 1.0, "entlastend")
    assert out[0][0].startswith("Fehler:") and "Kehrwert" in out[0][0]
