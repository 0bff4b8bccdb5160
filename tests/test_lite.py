"""xlwings Lite: ``lite/main.py`` offers the ribbon's commands as scripts and the SRB_
functions, and a script run on the book Lite hands over writes what the command line writes.

(Lite itself runs in Excel; here the same remote ``xw.Book`` stands in for it. That the
pure-Python half imports under Pyodide is ``test_pyodide.py``.)
"""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
import xlwings as xw
from bookutil import copy_bundled
from remote_client import apply, payload
from test_remote import differences, headless

from xlsozial.app.remote import SCRIPTS

LITE = Path(__file__).resolve().parent.parent / "lite"


def _main() -> ModuleType:
    spec = importlib.util.spec_from_file_location("xlsozial_lite_main", LITE / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_ribbon_command_is_a_lite_script_that_runs_itself() -> None:
    tree = ast.parse((LITE / "main.py").read_text(encoding="utf-8"))
    scripts = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            assert len(decorators) == 1, node.name
            assert re.fullmatch(r"xw\.script\(name='[^']+'\)", decorators[0]), decorators
            call = ast.unparse(node.body[-1])
            scripts[node.name] = call
    assert set(scripts) == set(SCRIPTS)
    for name, call in scripts.items():
        assert call == f"run_on_book('{name}', book)", name


def test_lite_offers_the_four_worksheet_functions() -> None:
    main = _main()
    assert {n for n in dir(main) if n.startswith("SRB_")} == {
        "SRB_BELASTUNGSFAKTOR",
        "SRB_QUOTE",
        "SRB_RUNDEN",
        "SRB_VERTEILUNG",
    }


def test_the_lite_requirements_ask_for_the_core_only() -> None:
    lines = [
        line.strip()
        for line in (LITE / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) == 1 and re.search(r"/xlsozial-[\d.]+-py3-none-any\.whl$", lines[0])


def test_berechnen_as_a_lite_script_writes_what_the_command_line_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    from xlsozial.app.remote import _remote_engine

    _remote_engine()
    book = copy_bundled(tmp_path)
    expected, code = headless(book, tmp_path)
    remote = xw.Book(json=payload(book))
    _main().berechnen(remote)
    actual = tmp_path / "lite.xlsm"
    assert apply(book, remote.json()["actions"], actual) == [] and code == 0
    assert differences(expected, actual) == []


def ribbon_labels() -> dict[str, str]:
    """Script name → the label of its button on the .xlsm's ribbon."""
    root = LITE.parent / "workbook"
    ui = ET.fromstring((root / "ribbon" / "customUI.xml").read_bytes())
    vba = (root / "vba" / "Ribbon.bas").read_text(encoding="utf-8")
    calls = dict(re.findall(r"Sub (\w+)\(control As IRibbonControl\).*?x\.(\w+)\(\)", vba, re.S))
    return {
        calls[b.attrib["onAction"]]: b.attrib["label"] for b in ui.iter() if "onAction" in b.attrib
    }


def test_lite_and_the_add_in_label_their_buttons_as_the_ribbon_does() -> None:
    labels = ribbon_labels()
    assert set(labels) == set(SCRIPTS)
    tree = ast.parse((LITE / "main.py").read_text(encoding="utf-8"))
    lite = {
        node.name: ast.literal_eval(node.decorator_list[0].keywords[0].value)  # type: ignore[attr-defined]
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }
    assert lite == labels
    pane = (LITE.parent / "server" / "templates" / "taskpane.html").read_text(encoding="utf-8")
    buttons = dict(re.findall(r'xw-click="(\w+)"[^>]*>([^<]+)</button>', pane))
    assert buttons == labels
