"""The .xlsm is built from sources; the checked-in file is exactly what the build makes."""

from __future__ import annotations

import re
import tomllib
import zipfile

import pytest
import xlwings
from bookutil import BUNDLED, ROOT
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from xlsozial.app.cli import main
from xlsozial.book import layout, layout_years
from xlsozial.commands.build_workbook import build_bytes, compare_with, read_bas


def test_checked_in_workbook_equals_the_build() -> None:
    assert compare_with(BUNDLED) == [], "run: xlsozial mappe-bauen"


def test_build_is_reproducible() -> None:
    assert build_bytes() == build_bytes()


def test_vergleichen_reports_a_stale_workbook(tmp_path: pytest.TempPathFactory) -> None:
    stale = tmp_path / "alt.xlsm"  # type: ignore[operator]
    wb = load_workbook(BUNDLED, keep_vba=True)
    wb[layout.GEBIETE]["D5"] = 1
    wb.save(stale)
    assert main(["mappe-bauen", "--ziel", str(stale), "--vergleichen"]) == 1


def vba_sources() -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(BUNDLED))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_embedded_xlwings_vba_is_the_pinned_version() -> None:
    code = vba_sources()["xlwings"]
    embedded = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', code)
    assert embedded is not None
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    excel = pyproject["project"]["optional-dependencies"]["excel"]
    pin = next(d for d in excel if d.startswith("xlwings"))
    assert pin == f"xlwings=={embedded.group(1)}"
    assert xlwings.__version__ == embedded.group(1)


def test_our_vba_modules_are_embedded_verbatim() -> None:
    modules = vba_sources()
    for bas in sorted((ROOT / "workbook" / "vba").glob("*.bas")):
        name, body = read_bas(bas)
        embedded = re.sub(
            r"^Attribute VB_\w+ = .*\n", "", modules[name].replace("\r\n", "\n"), flags=re.MULTILINE
        )
        assert embedded.strip() == body.replace("\r\n", "\n").strip()


def test_ribbon_part_and_relationship_are_present() -> None:
    with zipfile.ZipFile(BUNDLED) as z:
        rels = z.read("_rels/.rels").decode()
        ui = z.read("customUI/customUI.xml").decode()
        types = z.read("[Content_Types].xml").decode()
    assert "ui/extensibility" in rels and 'Target="customUI/customUI.xml"' in rels
    assert 'label="Sozialraumbudget"' in ui
    assert "macroEnabled" in types and "vbaProject" in types


def test_sheets_are_in_fast_order_with_tables_and_names() -> None:
    wb = load_workbook(BUNDLED, keep_vba=True)
    names = wb.sheetnames
    assert names[:2] == [layout.START, layout.PARAMETER]
    assert names.index(layout.ZUORDNUNG) < names.index(layout.BELASTUNG)
    assert names.index(layout.BELASTUNG) < names.index(layout.MODELLVERGLEICH)
    assert names[-7:] == [
        layout.PRUEFUNGEN,
        layout.PROTOKOLL,
        layout.HISTORIE,
        layout_years.PREVIOUS_COSTS.sheet,
        layout.RUECKLAUF,
        layout.CONTROL_STORE,
        layout.XLWINGS_CONF,
    ]
    assert wb[layout.CONTROL_STORE].sheet_state == "veryHidden"  # tokens never visible
    tables = {t for ws in wb.worksheets for t in ws.tables}
    assert {s.name for s in layout.INPUT_TABLES} <= tables
    assert {f"tblKosten_{k}" for k in ("NORD", "ELBE", "OSTHEIDE", "HEIDE")} <= tables
    assert {p.name for p in layout.PARAMETERS} <= set(wb.defined_names)
    assert wb[layout.GEBIETE]["A5"].fill.fgColor.rgb.endswith("FFF2CC")  # input cell marked
    assert wb[layout.GEBIETE].freeze_panes == "A5"


def test_example_is_labelled_fictitious_with_public_names_and_populations() -> None:
    wb = load_workbook(BUNDLED, keep_vba=True)
    assert "FIKTIV" in wb[layout.START]["A2"].value
    ws = wb[layout.GEBIETE]
    rows = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(5, 15)}
    assert rows["SG Bardowick"] == 17884 and rows["Amt Neuhaus"] == 4965
    assert len(rows) == 10


def test_xlwings_conf_sheet_points_to_the_documented_python_and_udfs() -> None:
    ws = load_workbook(BUNDLED, keep_vba=True)[layout.XLWINGS_CONF]
    conf = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert conf["UDF Modules"] == "udfs.sozialraum"
    assert conf["Interpreter_Win"].endswith(r"\.venv\Scripts\pythonw.exe")
    # xlwings reads keys from A1 downwards without gaps.
    assert all(ws.cell(r, 1).value for r in range(1, ws.max_row + 1))


def test_udf_wrapper_module_is_embedded_so_nobody_clicks_import_functions() -> None:
    from xlsozial.book.udf_vba import generate_udf_module

    code = vba_sources()["xlwings_udfs"].replace("\r\n", "\n")
    generated = generate_udf_module().replace("\r\n", "\n")
    body = generated.split("\n", 1)[1]  # without the Attribute line
    assert body.strip() in code
    for name in ("SRB_BELASTUNGSFAKTOR", "SRB_QUOTE", "SRB_VERTEILUNG", "SRB_RUNDEN"):
        assert f'XLPy.CallUDF("udfs.sozialraum", "{name}"' in code


def test_comparison_tolerates_last_digit_float_noise_but_nothing_else() -> None:
    from xlsozial.commands.build_workbook import same_part

    a = b'<c r="B5"><v>0.097591804123</v></c><c r="C5" t="inlineStr"><is><t>Adendorf</t></is></c>'
    noisy = a.replace(b"0.097591804123", b"0.0975918041230001")
    other = a.replace(b"0.097591804123", b"0.0976")
    renamed = a.replace(b"Adendorf", b"Bardowick")
    assert same_part("xl/worksheets/sheet3.xml", a, noisy)
    assert not same_part("xl/worksheets/sheet3.xml", a, other)
    assert not same_part("xl/worksheets/sheet3.xml", a, renamed)
    assert not same_part("xl/styles.xml", a, noisy)


def test_every_sheet_prints_readably_and_results_cannot_be_typed_over() -> None:
    from xlsozial.book.sheet_style import DEFAULT_WIDTH, PORTRAIT_CHARS, PRINT_CHARS

    wb = load_workbook(BUNDLED, keep_vba=True)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        setup = ws.page_setup
        assert "Seite &P von &N" in ws.oddFooter.center.text, ws.title
        width = sum(
            ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH
            for c in range(1, ws.max_column + 1)
        )
        # A4; a narrow input sheet fills portrait pages, everything else prints landscape.
        narrow = width <= PORTRAIT_CHARS and ws.title not in layout.OUTPUT_SHEETS
        assert setup.paperSize == 9, ws.title
        assert setup.orientation == ("portrait" if narrow else "landscape"), ws.title
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert width <= PRINT_CHARS, ws.title  # fitting to the page keeps ≥ 80 %
        else:
            assert setup.scale >= 80 and ws.print_title_cols == "$A:$A", ws.title
    for sheet in [*layout.OUTPUT_SHEETS, layout.RUECKLAUF]:
        assert wb[sheet].protection.sheet, sheet
    assert wb[layout.XLWINGS_CONF].sheet_state == "hidden"
    assert all(ws.sheet_properties.codeName for ws in wb.worksheets)


def test_text_parameters_take_text_in_excel() -> None:
    """„Landkreis Lüneburg – Jugendamt“ must be typeable: text parameters carry a text rule,
    never the number rule (whole number 0–1.000.000) that refused it in Excel."""
    wb = load_workbook(BUNDLED, keep_vba=True)
    ws = wb[layout.PARAMETER]
    rules = {str(cell): dv for dv in ws.data_validations.dataValidation for cell in dv.sqref}
    for spec in layout.PARAMETERS:
        _, ref = next(iter(wb.defined_names[spec.name].destinations))
        rule = rules[ref.replace("$", "")]
        if spec.kind == "text":
            assert rule.type == "textLength", spec.name
        elif spec.kind in {"int", "money", "number", "percent"}:
            assert rule.type in {"whole", "decimal"}, spec.name
