"""Hostile and broken files get their right answer: the exit code, a German message that
names the place, and every file exactly as it was."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bookutil import BUNDLED, copy_bundled, sha

from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book.reader import read_inputs
from xlsozial.domain.errors import InputError

GEBIETE_PART = "xl/worksheets/sheet3.xml"  # the Gebiete sheet of the built workbook


def graft_cell(book: Path, part: str, ref: str, xml: str) -> None:
    """Replace one cell of a sheet part, as Excel would have stored it."""
    with zipfile.ZipFile(book) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    out = []
    for info, data in members:
        if info.filename == part:
            text, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, data.decode(), count=1)
            assert n == 1
            data = text.encode()
        out.append((info, data))
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info.filename, data)


@pytest.mark.parametrize(
    ("stored", "german"),
    [("#N/A", "#NV"), ("#VALUE!", "#WERT!"), ("#REF!", "#BEZUG!"), ("#SPILL!", "#ÜBERLAUF!")],
)
def test_an_error_value_in_an_input_cell_is_refused_at_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stored: str, german: str
) -> None:
    """A failed VLOOKUP in „Region“ must not become a region called „#N/A“ with green
    checks: every reader refuses it at its cell, with the name a German Excel shows."""
    book = copy_bundled(tmp_path)
    graft_cell(book, GEBIETE_PART, "B8", f'<c r="B8" t="e"><v>{stored}</v></c>')
    digest = sha(book)
    assert main(["berechnen", str(book)]) == 1  # the package reader
    err = capsys.readouterr().err
    assert f"Gebiete!B8: enthält den Fehlerwert {german}" in err and "Spalte „Region“" in err
    assert sha(book) == digest
    with pytest.raises(InputError) as caught:  # the openpyxl reader
        read_inputs(OpenpyxlBook.open(book))
    assert f"Gebiete!B8: enthält den Fehlerwert {german}" in str(caught.value)


def test_an_error_value_in_a_parameter_names_the_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_bundled(tmp_path)
    from xlsozial.adapters.session import open_master

    named = open_master(book).named("Gesamtbudget")
    assert named is not None
    ref = named.where.split("!")[1]
    part = "xl/worksheets/sheet2.xml"  # Parameter
    graft_cell(book, part, ref, f'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    assert main(["pruefen", str(book)]) == 1
    assert f"Parameter!{ref}: Gesamtbudget: enthält den Fehlerwert #DIV/0!" in (
        capsys.readouterr().err
    )


def test_an_error_value_reaches_excel_as_an_error_too() -> None:
    """Through xlwings' own API (errors read as text with err_to_str)."""
    from xlwings_engine import memory, open_book

    from xlsozial.adapters.xlwings_book import XlwingsBook
    from xlsozial.app import excel

    xl = open_book(BUNDLED.read_bytes())
    xl.sheets["Gebiete"].range("B8").value = "#N/A"
    assert excel.run(excel.calculate, XlwingsBook(xl)) is None
    assert "Gebiete!B8: enthält den Fehlerwert #NV" in memory(xl).alerts[-1]


def _rewrite(book: Path, change: dict[str, bytes | None], extra: list[tuple[str, bytes]]) -> None:
    """The package with some members replaced (None: dropped) and more appended."""
    import warnings

    with zipfile.ZipFile(book) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: that is the test
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                new = change.get(name, data)
                if new is not None:
                    z.writestr(name, new)
            for name, data in extra:
                z.writestr(name, data)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("twice", "der Teil „xl/worksheets/sheet3.xml“ steht zweimal im Paket"),
        ("missing", "das Blatt „xl/worksheets/sheet3.xml“ ist angekündigt, fehlt aber"),
        ("entities", "enthält eine Dokumenttyp-Deklaration"),
    ],
)
def test_a_damaged_or_hostile_package_is_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, says: str
) -> None:
    book = copy_bundled(tmp_path)
    with zipfile.ZipFile(book) as z:
        gebiete = z.read(GEBIETE_PART)
        table = next(n for n in z.namelist() if n.startswith("xl/tables/"))
        table_xml = z.read(table)
    if damage == "twice":  # a second copy with other numbers: which one would count?
        _rewrite(book, {}, [(GEBIETE_PART, gebiete.replace(b"196000", b"197000"))])
    elif damage == "missing":
        _rewrite(book, {GEBIETE_PART: None}, [])
    else:
        padding = b"<!--" + b" " * 8000 + b"-->"  # past any fixed-size look at the start
        bomb = b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]>'
        _rewrite(book, {table: bomb + table_xml.split(b"?>", 1)[-1]}, [])
    digest = sha(book)
    for command in (["berechnen", str(book)], ["pruefen", str(book)]):
        assert main(command) == 3
        err = capsys.readouterr().err
        assert "beschädigt" in err and says in err
    assert sha(book) == digest


def test_a_zero_under_the_geometric_mean_is_named_at_every_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A zero cannot enter a geometric mean: each such value is named, in the workbook by its
    cell and in a JSON input by its line."""
    import json

    from xlsozial.adapters.io_json import inputs_to_json
    from xlsozial.domain.example import example_inputs

    data = json.loads(inputs_to_json(example_inputs()))
    data["parameters"]["aggregation"] = "geometrisch"
    area = data["areas"][1]["name"]  # every year of one indicator is 0 in one Sozialraum
    zeroed = [v for v in data["indicator_values"] if (v["indicator"], v["area"]) == ("HZE", area)]
    for v in zeroed:
        v["numerator"] = 0
    path = tmp_path / "eingabe.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert main(["rechnen-json", str(path)]) == 1
    err = capsys.readouterr().err
    for v in zeroed:
        assert f"{v['area']}, HZE {v['year']}: Wert 0" in err
    assert err.count("eingabe.json, Zeile") == len(zeroed) >= 2


def test_no_success_line_when_the_file_could_not_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """„Quote festgeschrieben …“ only once the file is in place; a full disk after the
    service said it is answered with exit 3 and nothing else."""
    import os

    from xlsozial.adapters import fileio

    book = copy_bundled(tmp_path)
    digest = sha(book)

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(fileio.os, "replace", disk_full)
    assert main(["quote-festschreiben", str(book), "--beschluss", "JHA 1/2027"]) == 3
    said = capsys.readouterr()
    assert "festgeschrieben" not in said.out + said.err
    assert "der Datenträger ist voll" in said.err and "No space" not in said.err
    monkeypatch.setattr(fileio.os, "replace", os.replace)
    assert sha(book) == digest


def test_a_workbook_name_as_long_as_the_file_system_allows_can_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = tmp_path / ("Sozialraumbudget_" + "x" * 228 + ".xlsm")  # 250 bytes: valid
    long.write_bytes(BUNDLED.read_bytes())
    assert main(["berechnen", str(long)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == [long.name]  # no lock or temp left


def test_an_unreadable_lock_says_so_and_how_to_remove_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import time

    from xlsozial.adapters.fileio import lock_path

    book = copy_bundled(tmp_path)
    lock = lock_path(book)
    lock.write_bytes(b"\x00\xffkaputt")
    old = time.time() - 60
    os.utime(lock, (old, old))
    digest = sha(book)
    assert main(["berechnen", str(book)]) == 3
    err = capsys.readouterr().err
    assert "ist unlesbar" in err and "Sperrdatei löschen" in err and "?" not in err
    assert sha(book) == digest


def test_a_libreoffice_lock_names_who_has_the_workbook_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_bundled(tmp_path)
    lock = book.with_name(f".~lock.{book.name}#")
    lock.write_text(",Erika Mustermann,PC-JA-17,05.12.2026 09:14,file:///home/em;", "utf-8")
    assert main(["berechnen", str(book)]) == 3
    err = capsys.readouterr().err
    assert "von Erika Mustermann auf PC-JA-17 seit 05.12.2026 09:14" in err
    assert "die Sperrdatei neben der Mappe löschen" in err
