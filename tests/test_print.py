"""The workbook on paper, as LibreOffice (German profile) prints it: every page readable –
no text under 8 pt, none beyond the page, no two words drawn over each other, no title cut
off on a continued page – in the first year and after a Jahreswechsel."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from bookutil import SOFFICE, convert, copy_bundled

from xlsozial.adapters.session import open_master
from xlsozial.app.cli import main
from xlsozial.book.outputs import all_outputs
from xlsozial.book.reader import read_inputs
from xlsozial.evaluation.compute import compute

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) ist nicht installiert; .ci/run installiert es"
)


def render(book: Path, outdir: Path) -> Path:
    """The whole workbook as PDF, printed by LibreOffice with a German profile."""
    outdir.mkdir(parents=True, exist_ok=True)
    return convert(book, "pdf", outdir)


def _level(obj: dict[str, Any]) -> bool:
    """Level text (slanted axis labels of a chart are measured by their chart's spec)."""
    if obj.get("object_type") != "char":
        return True
    _, b, c, *_ = obj["matrix"]
    return abs(b) < 1e-6 and abs(c) < 1e-6


def problems(pdf_path: Path, titles: list[str]) -> list[str]:
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            level = page.filter(_level)
            sizes = [c["size"] for c in level.chars if c["text"].strip()]
            if sizes and min(sizes) < 8.0:
                found.append(f"Seite {number}: Schrift {min(sizes):.1f} pt")
            words = level.extract_words()
            for w in words:
                if w["x0"] < 0 or w["x1"] > page.width or w["bottom"] > page.height:
                    found.append(f"Seite {number}: „{w['text']}“ ragt über den Rand")
            for a, b in itertools.combinations(words, 2):
                across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if across >= 0.5 and down >= 0.5:
                    found.append(f"Seite {number}: „{a['text']}“ über „{b['text']}“")
            first = (page.extract_text() or "").split("\n")[0].strip()
            cut = [t for t in titles if t.startswith(first) and t != first and len(first) > 8]
            if cut:
                found.append(f"Seite {number}: Titel abgeschnitten „{first}“")
    return found


def titles_of(book: Path) -> list[str]:
    inputs = read_inputs(open_master(book))
    return [out.title for out in all_outputs(inputs, compute(inputs))]


def test_the_workbook_prints_readably(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0
    pdf = render(book, tmp_path / "druck")
    assert problems(pdf, titles_of(book)) == []
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    for developer in ("Ergebnis-Hash", "xlwings-Version", "Python findet", "SRB_-Formeln"):
        assert developer not in text, developer
    assert "2.198" in text  # counts with their thousands point


def test_the_second_year_prints_readably(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0
    assert main(["jahreswechsel", str(book)]) == 0
    new = tmp_path / "Sozialraumbudget_2028.xlsm"
    pdf = render(new, tmp_path / "druck")
    assert problems(pdf, titles_of(new)) == []
