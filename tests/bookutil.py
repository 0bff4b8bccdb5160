"""Helpers for workbook tests: copies of the bundled workbook and cell-level snapshots."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from xlsozial.book import layout

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "workbook" / "Sozialraumbudget.xlsm"


def copy_bundled(tmp: Path, name: str = "Sozialraumbudget.xlsm") -> Path:
    target = tmp / name
    shutil.copyfile(BUNDLED, target)
    return target


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def input_sheet_names(wb: Any) -> list[str]:
    fixed = {
        layout.PARAMETER,
        layout.GEBIETE,
        layout.SRT,
        layout.INDIKATOREN,
        layout.INDIKATORWERTE,
        layout.ZUORDNUNG,
    }
    return [n for n in wb.sheetnames if n in fixed or n.startswith(layout.COST_SHEET_PREFIX)]


def snapshot(path: Path) -> dict[str, Any]:
    """Everything a user may have typed or set on input sheets, plus names and tables."""
    wb = load_workbook(io.BytesIO(path.read_bytes()), keep_vba=True)
    snap: dict[str, Any] = {"names": {}, "sheets": {}, "tables": {}}
    for name, dn in wb.defined_names.items():
        snap["names"][name] = dn.attr_text
    for sheet in input_sheet_names(wb):
        ws = wb[sheet]
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                cells[c.coordinate] = (
                    c.value,
                    c.number_format,
                    repr(c.font),
                    repr(c.fill),
                    repr(c.border),
                    repr(c.alignment),
                    repr(c.protection),
                    c.comment.text if c.comment else None,
                )
        validations = sorted(
            (str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.operator, dv.error)
            for dv in ws.data_validations.dataValidation
        )
        snap["sheets"][sheet] = {
            "cells": cells,
            "validations": validations,
            "freeze": ws.freeze_panes,
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "tab": ws.sheet_properties.tabColor.rgb if ws.sheet_properties.tabColor else None,
        }
        for tbl in ws.tables.values():
            snap["tables"][tbl.name] = (sheet, tbl.ref, [c.name for c in tbl.tableColumns])
    return snap


def set_cells(path: Path, changes: dict[tuple[str, str], Any]) -> None:
    """Edit cells like a user would (via openpyxl, keeping VBA)."""
    wb = load_workbook(path, keep_vba=True)
    for (sheet, coord), value in changes.items():
        wb[sheet][coord].value = value
    wb.save(path)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


GERMAN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">
<value>de-DE</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>de-DE</value></prop></item>
</oor:items>
"""


def soffice(source: Path, fmt: str, outdir: Path) -> subprocess.CompletedProcess[str]:
    """LibreOffice headless converts ``source`` into ``outdir``, with its own profile there
    set to German (de-DE), as a German office prints."""
    assert SOFFICE is not None
    profile = outdir / "profil"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(GERMAN_PROFILE, "utf-8")
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def convert(source: Path, fmt: str, outdir: Path) -> Path:
    """The converted file, or a failure with what LibreOffice said."""
    result = soffice(source, fmt, outdir)
    target = outdir / (source.stem + "." + fmt.split(":")[0])
    assert target.exists(), result.stdout + result.stderr
    return target
