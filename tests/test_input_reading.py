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


@pytest.mark.parametrize(
    "markup",
    [
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>',
        b"<worksheet><sheetData/></worksheet>",
        b'<worksheet><sheetData foo="1"/></worksheet>',
        b"<worksheet><sheetData></sheetData></worksheet>",
        b"<worksheet><sheetDataX/><sheetData><row/></sheetData></worksheet>",
        b"<worksheet><dimension/></worksheet>",
        b"<worksheet><sheetData><row/></worksheet>",
    ],
)
def test_the_cells_of_a_sheet_are_found_as_the_pattern_finds_them(markup: bytes) -> None:
    """The fast reader looks for <sheetData> by its tags; it must find what the regular
    expression of the XML-parser path finds, or nothing where that finds nothing."""
    from xlsozial.adapters.package.ooxml.cellvalues import SHEET_DATA, _sheet_data

    found = SHEET_DATA.search(markup)
    assert (_sheet_data(markup) or None) == (found.group(1) or None if found else None)


def test_a_table_is_validated_at_once_and_an_invalid_row_still_names_its_cell(
    tmp_path: Path,
) -> None:
    """The whole-table validation gives the rows the row-by-row one gives; a table with a
    bad row falls back to it, so the message names the cell as before."""
    from xlsozial.adapters.session import open_master
    from xlsozial.domain.errors import Problem
    from xlsozial.domain.models import IndicatorValue
    from xlsozial.domain.validation import RawRow, build_row, build_rows

    inputs = read_inputs(open_master(copy_bundled(tmp_path)))
    raw = [
        RawRow(v.model_dump(exclude={"origin"}, exclude_none=True), v.origin)
        for v in inputs.indicator_values
    ]
    problems: list[Problem] = []
    kept: list[IndicatorValue] = []
    assert build_rows(IndicatorValue, raw, problems, kept) == inputs.indicator_values == kept
    one_by_one = [build_row(IndicatorValue, r, problems) for r in raw]
    assert one_by_one == inputs.indicator_values and problems == []

    bad = RawRow({**raw[3].values, "year": "2O24"}, raw[3].origin)
    rows = build_rows(IndicatorValue, [*raw[:3], bad, *raw[4:]], problems)
    assert len(rows) == len(raw) - 1
    assert [p.where for p in problems] == [raw[3].origin.at("year")]


def test_the_input_hash_cuts_rows_right_even_where_a_note_looks_like_a_row_boundary() -> None:
    """The hash encodes a table's rows in one go and cuts them apart; a note ending in
    „},{“ must not shift a cut: each line is still the row's own JSON."""
    import json

    from xlsozial.domain.models import json_lines

    rows = [
        {"note": 'Miete},{"', "amount": 1.5},
        {"note": "Räume}", "amount": 2},
        {"note": "x},{", "amount": None},
    ]
    one_by_one = [
        json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for r in rows
    ]
    assert json_lines(rows) == one_by_one
    assert json_lines(rows[1:2]) == one_by_one[1:2]
    plain = [{"area": f"Sozialraum {i}", "value": i / 3} for i in range(50)]
    assert json_lines(plain) == [
        json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for r in plain
    ]
