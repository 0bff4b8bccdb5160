"""Reproducible build of workbook/Sozialraumbudget.xlsm from the sources in git.

Sources: the sheet layout (:mod:`xlsozial.book.layout`), the example data
(:mod:`xlsozial.domain.example`), VBA modules as text (``workbook/vba/*.bas``), the ribbon XML
(``workbook/ribbon/customUI.xml``) and the xlwings standalone VBA of the pinned xlwings
version (taken from the installed package's quickstart workbook). The same sources always
give the same bytes: zip timestamps and document properties are fixed.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import xlwings
from pyopenvba import ExcelFile
from pyopenvba.vba import VBAModuleKind

from xlsozial.adapters.fileio import atomic_write_bytes
from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.adapters.package.integrity import RIBBON_REL
from xlsozial.book.build_sheets import create_workbook
from xlsozial.book.udf_vba import VBA_MODULE, generate_udf_module
from xlsozial.book.writer import write_results
from xlsozial.circulation.rounds import overview_sheet
from xlsozial.domain.errors import BookError
from xlsozial.domain.example import example_inputs
from xlsozial.domain.models import Inputs
from xlsozial.evaluation.compute import compute

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "workbook"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


# -- VBA and ribbon -------------------------------------------------------------------
def xlwings_template() -> Path:
    return Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


def read_bas(path: Path) -> tuple[str, str]:
    """(module name, code) of a .bas file; the Attribute header is handled by the VBA tool."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.MULTILINE)
    name = match.group(1) if match else path.stem
    body = re.sub(r"^Attribute VB_\w+ = .*\n", "", text, flags=re.MULTILINE)
    return name, body.replace("\r\n", "\n").replace("\n", "\r\n")


def vba_modules(extra: dict[str, str] | None = None) -> dict[str, str]:
    modules = dict(read_bas(p) for p in sorted((SOURCES / "vba").glob("*.bas")))
    modules.update(extra or {})
    return modules


# xlwings' VBA client for xlwings Server, as ``xlwings quickstart`` imports it for "Support
# xlwings Server": RunRemotePython and the VBA-Web modules it sends the book with.
REMOTE_MODULES = ("Remote.bas", "WebHelpers.bas")
REMOTE_CLASSES = ("IWebAuthenticator.cls", "WebClient.cls", "WebRequest.cls", "WebResponse.cls")


def remote_client() -> tuple[dict[str, str], dict[str, str]]:
    """(standard modules, class modules) of the pinned xlwings' remote client."""
    folder = Path(xlwings.__file__).parent / "addin"
    modules = dict(read_bas(folder / name) for name in REMOTE_MODULES)
    classes = {
        Path(name).stem: (folder / name).read_text(encoding="utf-8") for name in REMOTE_CLASSES
    }
    return modules, classes


def build_vba_project(modules: dict[str, str], classes: dict[str, str] | None = None) -> bytes:
    """vbaProject.bin: xlwings' standalone project (pinned version) plus our modules and,
    where given, class modules (the remote client's)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "vba.xlsm"
        shutil.copyfile(xlwings_template(), work)
        with ExcelFile(str(work)) as book:
            project = book.vba_project()
            if "Module1" in book.module_names():
                project.delete_module("Module1")
            for name, code in modules.items():
                project.add_module(name, code)
            for name, code in (classes or {}).items():
                project.add_module(name, code, kind=VBAModuleKind.other)
            book.save()
        with zipfile.ZipFile(work) as z:
            return z.read("xl/vbaProject.bin")


def _vba_archive(vba: bytes, ribbon: bytes) -> zipfile.ZipFile:
    """The zip openpyxl reads VBA, ribbon and their relationships from on save."""
    with zipfile.ZipFile(xlwings_template()) as template:
        content_types = template.read("[Content_Types].xml")
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdRibbon" Type="{RIBBON_REL}" Target="customUI/customUI.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED)
    archive.writestr("[Content_Types].xml", content_types)
    archive.writestr("_rels/.rels", rels)
    archive.writestr("xl/vbaProject.bin", vba)
    archive.writestr("customUI/customUI.xml", ribbon)
    return archive


def normalise_zip(data: bytes) -> bytes:
    """Fixed timestamps and modification date, so identical sources give identical bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                    rb"<dcterms:modified\1>2026-01-01T00:00:00Z</dcterms:modified>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def build_bytes(inputs: Inputs | None = None) -> bytes:
    if not (SOURCES / "vba").is_dir() or not (SOURCES / "ribbon" / "customUI.xml").is_file():
        raise BookError(
            f"Die Quellen der Mappe fehlen ({SOURCES}/vba, {SOURCES}/ribbon). Gebaut wird im "
            "Repository nach „pip install -e .“."
        )
    inputs = inputs or example_inputs()
    wb = create_workbook(inputs)
    book = OpenpyxlBook(wb)
    results = compute(inputs, for_sheets=True)
    write_results(book, inputs, results, "mappe-bauen", log=False)
    book.write_sheet(overview_sheet(None, {}, [c.category for c in inputs.category_shares]))
    ribbon = (SOURCES / "ribbon" / "customUI.xml").read_bytes()
    remote, classes = remote_client()
    vba = build_vba_project(vba_modules({**extra_modules(), **remote}), classes)
    wb.vba_archive = _vba_archive(vba, ribbon)
    return normalise_zip(book.to_bytes())


def extra_modules() -> dict[str, str]:
    """Generated VBA modules: the UDF wrappers, so users need not click Import Functions."""
    code = generate_udf_module()
    body = re.sub(r"^Attribute VB_\w+ = .*\r\n", "", code, flags=re.MULTILINE)
    return {VBA_MODULE: body}


def build_workbook(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, build_bytes())


CELL_NUMBER = re.compile(rb"<v>(-?[0-9][0-9.Ee+-]*)</v>")


def same_part(name: str, a: bytes, b: bytes) -> bool:
    """Equal bytes; on sheets, computed numbers may differ in the last digits.

    Floating-point results (factors, quotas, sensitivity percentiles) can differ in their
    last bits between CPUs (BLAS and SIMD kernels), so cell numbers are compared to a
    relative 1e-6; everything else on the sheet must match exactly.
    """
    if a == b:
        return True
    if not name.startswith("xl/worksheets/"):
        return False
    if CELL_NUMBER.sub(b"<v>#</v>", a) != CELL_NUMBER.sub(b"<v>#</v>", b):
        return False
    numbers_a, numbers_b = CELL_NUMBER.findall(a), CELL_NUMBER.findall(b)
    return all(
        math.isclose(float(x), float(y), rel_tol=1e-6, abs_tol=1e-6)
        for x, y in zip(numbers_a, numbers_b)
    )


def compare_with(path: Path) -> list[str]:
    """Differences between a file and a fresh build, part by part (content, not timestamps)."""
    fresh = build_bytes()
    with zipfile.ZipFile(io.BytesIO(fresh)) as a, zipfile.ZipFile(path) as b:
        names_a, names_b = set(a.namelist()), set(b.namelist())
        diffs = [f"Teil fehlt in der Datei: {n}" for n in sorted(names_a - names_b)]
        diffs += [f"Teil zu viel in der Datei: {n}" for n in sorted(names_b - names_a)]
        diffs += [
            f"Teil unterscheidet sich: {n}"
            for n in sorted(names_a & names_b)
            if not same_part(n, a.read(n), b.read(n))
        ]
    return diffs
