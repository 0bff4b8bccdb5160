"""LibreOffice (headless) opens the built and the computed workbook and sees the results.

SRT managing directors sometimes use LibreOffice; outputs are plain values so they must show
there unchanged. Skipped with a reason where LibreOffice is not installed (.ci/run installs it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bookutil import SOFFICE, convert, copy_bundled
from openpyxl import load_workbook

from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.domain.models import MODEL_LABELS, ModelKey
from xlsozial.domain.results import euro
from xlsozial.evaluation.compute import compute

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) ist nicht installiert; .ci/run installiert es"
)


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lo")
    book = copy_bundled(folder)
    assert main(["berechnen", str(book)]) == 0
    return book


def test_built_and_computed_workbooks_convert_to_pdf(computed: Path, tmp_path: Path) -> None:
    built = copy_bundled(tmp_path, "Gebaut.xlsm")
    sheets = len(load_workbook(built, keep_vba=True).sheetnames)
    for source in (built, computed):
        pdf = convert(source, "pdf", tmp_path / source.stem)
        assert pdf_pages(pdf) >= sheets, f"{source.name}: fewer pages than sheets"


def test_libreoffice_reads_the_same_output_values(computed: Path, tmp_path: Path) -> None:
    xlsx = convert(computed, "xlsx", tmp_path)
    wb = load_workbook(xlsx, data_only=True)
    res = compute(read_inputs(OpenpyxlBook.open(computed)))
    ws = wb[layout.MODELLVERGLEICH]
    header = [c.value for c in ws[4]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5, max_row=4 + len(res.areas))}
    for a in res.areas:
        for m in ModelKey:
            col = header.index(f"{MODEL_LABELS[m]} (€)")
            assert rows[a.name][col].value == pytest.approx(euro(a.allocation[m]), abs=0.001)
    quotas = {
        r[0].value: r[6].value
        for r in wb[layout.QUOTEN].iter_rows(min_row=5)
        if r[0].value in {a.name for a in res.areas}
    }
    assert quotas == {a.name: pytest.approx(a.quota) for a in res.areas}
    # The one input formula (regional share = 1 − gebunden) is computed by LibreOffice.
    zu = wb[layout.ZUORDNUNG]
    assert [zu.cell(r, 3).value for r in range(5, 9)] == pytest.approx([0, 0, 0.5, 1])
    checks = [r[1].value for r in wb[layout.PRUEFUNGEN].iter_rows(min_row=5) if r[1].value]
    assert checks and set(checks) == {"OK"}


def test_master_saved_by_libreoffice_still_computes(tmp_path: Path) -> None:
    """Someone opens and saves the master in LibreOffice: tables and names survive."""
    (tmp_path / "in").mkdir()
    source = copy_bundled(tmp_path / "in")
    saved = convert(source, "xlsm:Calc MS Excel 2007 VBA XML", tmp_path / "lo")
    assert main(["berechnen", str(saved), "--ausgabe", str(tmp_path / "Ergebnis.xlsm")]) == 0
    before = compute(read_inputs(OpenpyxlBook.open(source)))
    after = compute(read_inputs(OpenpyxlBook.open(saved)))
    assert [a.allocation for a in after.areas] == [a.allocation for a in before.areas]
