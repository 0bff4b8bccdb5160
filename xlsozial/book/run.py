"""The headless commands behind the ribbon buttons: Berechnen and Prüfen on a file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, overload

from xlsozial.book.openpyxl_book import OpenpyxlBook
from xlsozial.book.reader import read_inputs
from xlsozial.book.writer import write_results
from xlsozial.core import compute
from xlsozial.errors import BookError
from xlsozial.fileio import ensure_not_open
from xlsozial.models import Inputs
from xlsozial.results import Results


def _check_path(path: Path) -> None:
    if not path.exists():
        raise FileNotFoundError(2, "nicht gefunden", str(path))
    if path.suffix.lower() not in {".xlsm", ".xlsx"}:
        raise BookError(f"„{path.name}“ ist keine Excel-Mappe (.xlsm oder .xlsx erwartet)")


def run_calculate(path: Path, target: Path | None = None, command: str = "berechnen") -> Results:
    """Read, validate, compute, write; the file is replaced atomically or not at all."""
    _check_path(path)
    out = target or path
    ensure_not_open(path)
    if out != path:
        ensure_not_open(out)
    book = OpenpyxlBook.open(path)
    inputs = read_inputs(book)
    results = compute(inputs)
    write_results(book, inputs, results, command)
    book.save_atomic(out)
    return results


@overload
def run_check(path: Path) -> Results: ...


@overload
def run_check(path: Path, with_inputs: Literal[True]) -> tuple[Inputs, Results]: ...


def run_check(path: Path, with_inputs: bool = False) -> Results | tuple[Inputs, Results]:
    """Validate and compute without writing anything."""
    _check_path(path)
    book = OpenpyxlBook.open(path)
    inputs = read_inputs(book)
    results = compute(inputs)
    return (inputs, results) if with_inputs else results
