"""Every package xlsozial writes passes an Open XML checker (openxml-audit, a port of the
Open XML SDK's validation): the workbook as built and as computed, a provider file, the
workbook of the next year and the archive of the last one.

Two findings are known and accepted, because they come from openpyxl and Excel opens such
files without complaint: text is stored as inline strings (Excel turns them into shared
strings when it saves), and font elements list their children in openpyxl's order (the SDK
schema expects a fixed sequence; ECMA-376 allows any order). Anything else fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bookutil import BUNDLED, copy_bundled

from xlsozial.app.cli import main

audit = pytest.importorskip(
    "openxml_audit", reason="openxml-audit fehlt (pip install -e '.[test]')"
)

ACCEPTED = (
    "inline-string cell(s)",  # openpyxl writes inline strings; Excel moves them on save
    "/fonts[",  # font child order (openpyxl), accepted by Excel
)


def problems(path: Path) -> list[str]:
    result = audit.OpenXmlValidator(max_errors=500).validate(str(path))
    return [str(e) for e in result.errors if not any(a in str(e) for a in ACCEPTED)]


def test_every_written_package_passes_the_open_xml_checks(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0
    assert main(["verteilen", str(book), "--ziel", str(tmp_path / "Versand")]) == 0
    assert main(["jahreswechsel", str(book)]) == 0
    written = [
        BUNDLED,
        book,
        tmp_path / "Versand" / "Kosten_NORD.xlsx",
        tmp_path / "Sozialraumbudget_2028.xlsm",
        tmp_path / "Sozialraumbudget_2027.xlsx",
    ]
    found = {path.name: problems(path) for path in written}
    assert found == {path.name: [] for path in written}


def test_the_checker_would_see_a_broken_package(tmp_path: Path) -> None:
    import zipfile

    broken = tmp_path / "kaputt.xlsm"
    with zipfile.ZipFile(BUNDLED) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<sheets>", b"<sheets><bogus/>", 1)
            dst.writestr(item, data)
    assert problems(broken)  # a check that cannot fail would be worthless
