"""No number is ever read wrongly: text, truth values and absurd values are refused at
their cell, with exit code 1 and the workbook byte for byte as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bookutil import copy_bundled, set_cells, sha

from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.evaluation.compute import compute

G, IND, IW, P = layout.GEBIETE, layout.INDIKATOREN, layout.INDIKATORWERTE, layout.PARAMETER


@pytest.mark.parametrize(
    ("cell", "value", "expected"),
    [
        # German thousands point as text: never 196 €.
        (
            (G, "H5"),
            "196.000",
            "Gebiete!H5: enthält den Text „196.000“ statt einer Zahl; "
            "gemeint ist vermutlich 196000 (ohne Tausenderpunkt)",
        ),
        ((G, "H6"), "1.234,56", "gemeint ist vermutlich 1234,56 (ohne Tausenderpunkt)"),
        ((G, "H7"), "1.007", "„1.007“ statt einer Zahl; gemeint ist vermutlich 1007 (ohne"),
        (
            (P, "B14"),
            "12,5 %",
            "Parameter!B14: Korridor M4 nach unten: enthält den Text „12,5 %“ statt einer Zahl; "
            "gemeint ist vermutlich 12,5 %",
        ),
        ((IW, "D5"), "12.5", "das Dezimalzeichen ist das Komma"),
        ((IND, "C5"), True, "Indikatoren!C5: ist ein Wahrheitswert (WAHR/FALSCH), keine Zahl"),
        ((G, "D5"), False, "Gebiete!D5: ist ein Wahrheitswert"),
        ((P, "B15"), 1e308, "Parameter!B15: Korridor M4 nach oben: darf nicht größer als 1.000 %"),
        ((P, "B5"), 1e308, "Parameter!B5: Gesamtbudget: darf nicht größer als 1.000.000.000 sein"),
        ((IW, "D5"), "inf", "Indikatorwerte!D5: „inf“ ist keine Zahl"),
        ((IW, "E5"), "NaN", "Indikatorwerte!E5: „NaN“ ist keine Zahl"),
        ((IW, "D5"), "Infinity", "„Infinity“ ist keine Zahl"),
        ((G, "E5"), 1e12, "Gebiete!E5: darf nicht größer als 20.000.000 sein"),
        ((IND, "C6"), 1e9, "Indikatoren!C6: darf nicht größer als 1.000 sein"),
        ((G, "A6"), "adendorf", "Sozialraum „adendorf“ doppelt (wie „Adendorf“)"),
        (
            (P, "B16"),
            "#DIV/0!",
            "Parameter!B16: Rundungseinheit (€): enthält den Fehlerwert #DIV/0!",
        ),
        (
            (P, "B17"),
            "M5 Phantasie",
            "Parameter!B17: Gewähltes Modell: „M5 Phantasie“ ist nicht in der Auswahl; "
            "möglich: „M1 Einwohner“",
        ),
    ],
)
def test_a_wrong_value_is_refused_at_its_cell(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cell: tuple[str, str],
    value: Any,
    expected: str,
) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {cell: value})
    digest = sha(book)
    assert main(["berechnen", str(book)]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err and "Warning" not in err
    assert sha(book) == digest


def test_a_decomposed_umlaut_is_the_same_region(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    # Looks identical: "Süd" with a combining diaeresis and with the precomposed letter.
    set_cells(book, {(G, "B5"): "Region Su\u0308d-West", (G, "B6"): "Region  Süd-West "})
    res = compute(read_inputs(OpenpyxlBook.open(book)))
    names = [r.name for r in res.regions]
    assert names.count("Region Süd-West") == 1
    assert len(names) == len(set(names))


def test_regions_that_differ_only_in_case_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {(G, "B5"): "Region Süd", (G, "B6"): "region süd"})
    assert main(["pruefen", str(book)]) == 1
    assert "Gebiete!B6: Region „region süd“ ist anders geschrieben als „Region Süd“" in (
        capsys.readouterr().err
    )
