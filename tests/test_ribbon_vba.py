"""Structure of the .xlsm as Excel will see it: every ribbon button reaches real Python."""

from __future__ import annotations

import importlib
import re
import zipfile
from xml.etree import ElementTree

from bookutil import BUNDLED
from oletools.olevba import VBA_Parser

CALL = re.compile(r'RunPython\s+"import\s+([\w.]+)\s+as\s+(\w+);\s*\2\.(\w+)\(\)"')


def vba_code() -> dict[str, str]:
    parser = VBA_Parser(str(BUNDLED))
    try:
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def ribbon_actions() -> list[str]:
    with zipfile.ZipFile(BUNDLED) as z:
        root = ElementTree.fromstring(z.read("customUI/customUI.xml"))
    return [el.attrib["onAction"] for el in root.iter() if "onAction" in el.attrib]


def subs(code: str) -> dict[str, tuple[str, str]]:
    """Sub name → (parameter list, body)."""
    found = {}
    for m in re.finditer(
        r"(?ims)^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(([^)]*)\)(.*?)^\s*End Sub", code
    ):
        found[m.group(1)] = (m.group(2).strip(), m.group(3))
    return found


def test_ribbon_has_the_tab_and_the_main_buttons() -> None:
    with zipfile.ZipFile(BUNDLED) as z:
        ui = z.read("customUI/customUI.xml").decode()
    assert 'label="Sozialraumbudget"' in ui
    assert {"Berechnen", "Pruefen"} <= set(ribbon_actions())


def test_every_ribbon_action_is_a_callback_that_runs_existing_python() -> None:
    all_subs: dict[str, tuple[str, str]] = {}
    for code in vba_code().values():
        all_subs.update(subs(code))
    for action in ribbon_actions():
        assert action in all_subs, f"keine VBA-Sub für onAction={action}"
        params, body = all_subs[action]
        assert re.fullmatch(r"(?i)control\s+As\s+IRibbonControl", params), action
        call = CALL.search(body)
        assert call, f"{action} ruft RunPython nicht auf"
        module = importlib.import_module(call.group(1))
        assert callable(getattr(module, call.group(3), None)), f"{call.group(1)}.{call.group(3)}"


def test_runpython_exists_in_the_embedded_xlwings_module() -> None:
    code = vba_code()["xlwings.bas"]
    assert re.search(r"(?im)^\s*(Public\s+)?Function\s+RunPython\s*\(", code)


REMOTE = re.compile(r'RunRemotePython\s+Server\(\)\s*&\s*"/xlwings/custom-scripts-call/(\w+)"')


def test_every_button_can_also_run_on_the_server_with_the_same_command() -> None:
    """Each button: RunPython on the PC, or – once einrichten --server set the address –
    RunRemotePython with the script of the same name; the client's modules are embedded."""
    from xlsozial.app.remote import SCRIPTS

    code = vba_code()
    assert {"Remote.bas", "WebHelpers.bas", "WebClient.cls", "WebRequest.cls"} <= set(code)
    assert re.search(r"(?im)^\s*Function\s+RunRemotePython\s*\(", code["Remote.bas"])
    all_subs: dict[str, tuple[str, str]] = {}
    for text in code.values():
        all_subs.update(subs(text))
    for action in ribbon_actions():
        _, body = all_subs[action]
        local, remote = CALL.search(body), REMOTE.search(body)
        assert local and remote, action
        assert remote.group(1) == local.group(3) and remote.group(1) in SCRIPTS, action
    assert 'GetConfig("XLSOZIAL SERVER"' in code["Ribbon.bas"]


def test_the_macro_the_server_runs_to_save_exists_and_saves_the_book_it_is_given() -> None:
    """Verteilen on the server saves the clerk's book before its files go out: Remote.bas
    carries out ``runMacro`` as ``Application.Run name, wb`` – a public Sub taking the
    workbook must exist in the built book, and save exactly that workbook."""
    from xlsozial.adapters.remote_book import SAVE_MACRO

    all_subs: dict[str, tuple[str, str]] = {}
    for code in vba_code().values():
        all_subs.update(subs(code))
    params, body = all_subs[SAVE_MACRO]
    name = re.fullmatch(r"(?i)(\w+)\s+As\s+Workbook", params)
    assert name, params
    assert re.fullmatch(rf"(?is)\s*{name.group(1)}\.Save\s*", body), body


def test_the_macros_that_lift_and_set_sheet_protection_do_what_the_desktop_does() -> None:
    """Excel takes no value into a protected output sheet: the server asks the client to
    lift the protection around each sheet it writes and to set it again with the options
    the desktop path uses (``PROTECTION``)."""
    from xlsozial.adapters.remote_book import PROTECT_MACRO, UNPROTECT_MACRO
    from xlsozial.adapters.xlwings_book import PROTECTION

    all_subs: dict[str, tuple[str, str]] = {}
    for code in vba_code().values():
        all_subs.update(subs(code))
    for macro, verb in ((UNPROTECT_MACRO, "Unprotect"), (PROTECT_MACRO, "Protect")):
        params, body = all_subs[macro]
        assert re.fullmatch(r"(?i)wb\s+As\s+Workbook,\s*blatt\s+As\s+String", params), params
        assert re.search(rf"(?i)wb\.Worksheets\(blatt\)\.{verb}\b", body), body
    _, body = all_subs[PROTECT_MACRO]
    options = dict(re.findall(r"(\w+):=(\w+)", body))
    assert options == {k: str(v) for k, v in PROTECTION.items()}
