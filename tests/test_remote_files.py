"""The commands with files on the server: Verteilen, Einsammeln, Bericht, Werte einfrieren
and Jahreswechsel through xlwings' remote model, with the server's Ablage in place of the
folder next to the workbook – each compared with what the command line makes of the same
files, and the Ablage's page (download, upload, signed links) through FastAPI."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from bookutil import copy_bundled, set_cells
from openpyxl import load_workbook
from remote_client import apply, payload
from test_exchange import edit
from test_remote import differences

from xlsozial.adapters.remote_book import SAVE_MACRO
from xlsozial.app.cli import main
from xlsozial.app.remote import run_remote
from xlsozial.app.remote_files import page_link, valid
from xlsozial.book import layout

SERVER = "https://xlsozial.landkreis.example"


@pytest.fixture
def ablage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ablage"
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.setenv("XLSOZIAL_ABLAGE", str(root))
    monkeypatch.setenv("XLSOZIAL_SCHLUESSEL", "geheim-nur-fuer-den-test")
    monkeypatch.setenv("XLSOZIAL_SERVER_URL", SERVER)
    return root / "Sozialraumbudget"


def remote(book: Path, script: str, out: Path) -> tuple[Path, list[str], list[Any], list[str]]:
    """Run ``script`` as the server does and apply its answer to a copy of ``book``."""
    answer = run_remote(script, payload(book), user="sachbearbeitung")
    macros: list[str] = []
    alerts = apply(book, answer["actions"], out, macros)
    return out, alerts, answer["actions"], macros


def same(expected: Path, actual: Path) -> list[tuple[str, str, Any, Any]]:
    """Cells that differ, but for the link to the Ablage (the server's only extra)."""
    link = str(load_workbook(actual).defined_names[layout.NAME_FILING].attr_text)
    sheet, cell = link.replace("$", "").split("!")
    return [d for d in differences(expected, actual) if (d[0], d[1]) != (sheet.strip("'"), cell)]


def returns(versand: Path, inbox: Path) -> list[Path]:
    """ELBE raises its rent, NORD writes a word where money belongs (refused)."""
    inbox.mkdir(parents=True, exist_ok=True)
    good = edit(versand / "Kosten_ELBE.xlsx", "Kosten ELBE", {"C5": 22_000.0}, inbox / "E.xlsx")
    bad = edit(versand / "Kosten_NORD.xlsx", "Kosten NORD", {"C6": "viel"}, inbox / "N.xlsx")
    return [good, bad]


def test_einsammeln_nur_gueltige_on_the_server_is_the_command_line_s(
    tmp_path: Path, ablage: Path
) -> None:
    master = copy_bundled(tmp_path)
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "versand")]) == 0
    files = returns(tmp_path / "versand", ablage / "Rücklauf")
    expected = tmp_path / "headless.xlsm"
    shutil.copyfile(master, expected)
    assert main(["einsammeln", str(expected), *map(str, files), "--nur-gueltige"]) == 1
    actual, alerts, _, _ = remote(master, "einsammeln_gueltige", tmp_path / "remote.xlsm")
    assert same(expected, actual) == []
    assert len(alerts) == 1 and "ABGELEHNT N.xlsx" in alerts[0] and "„viel“" in alerts[0]
    assert str(ablage) not in alerts[0] and f"{SERVER}/xlsozial/ablage/" in alerts[0]
    rent = load_workbook(actual)[layout.cost_table("ELBE").sheet]["C5"].value
    assert rent == 22_000


def test_einsammeln_on_the_server_takes_nothing_when_one_return_is_refused(
    tmp_path: Path, ablage: Path
) -> None:
    master = copy_bundled(tmp_path)
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "versand")]) == 0
    returns(tmp_path / "versand", ablage / "Rücklauf")
    actual, alerts, actions, _ = remote(master, "einsammeln", tmp_path / "remote.xlsm")
    assert len(alerts) == 1 and "ABGELEHNT N.xlsx" in alerts[0]
    sheet = layout.cost_table("ELBE").sheet
    assert load_workbook(actual)[sheet]["C5"].value == load_workbook(master)[sheet]["C5"].value
    start = [a for a in actions if a["func"] == "addHyperlink"]
    assert len(start) == 1 and start[0]["args"][0].startswith(f"{SERVER}/xlsozial/ablage/")


def test_einsammeln_without_returns_says_where_to_upload_them(tmp_path: Path, ablage: Path) -> None:
    _, alerts, _, _ = remote(copy_bundled(tmp_path), "einsammeln", tmp_path / "r.xlsm")
    assert len(alerts) == 1 and alerts[0].startswith("Keine Rückläufer gefunden")
    assert "Serverablage „Sozialraumbudget“/Rücklauf" in alerts[0]
    assert "Blatt Start" in alerts[0]


def test_verteilen_on_the_server_saves_the_round_then_files_go_to_the_ablage(
    tmp_path: Path, ablage: Path
) -> None:
    master = copy_bundled(tmp_path)
    actual, alerts, actions, macros = remote(master, "verteilen", tmp_path / "remote.xlsm")
    saved = [
        i for i, a in enumerate(actions) if a["func"] == "runMacro" and a["args"] == [SAVE_MACRO]
    ]
    alert = [i for i, a in enumerate(actions) if a["func"] == "alert"]
    assert macros.count(SAVE_MACRO) == 1 and len(saved) == 1 and saved[0] < alert[0]
    names = sorted(p.name for p in (ablage / "Versand").iterdir())
    assert names == [f"Kosten_{k}.xlsx" for k in sorted(["NORD", "ELBE", "OSTHEIDE", "HEIDE"])]
    assert "Runde 1: 4 Kostenblatt-Dateien" in alerts[0] and str(ablage) not in alerts[0]
    link = load_workbook(actual)[layout.START]
    cell = next(c for row in link.iter_rows() for c in row if c.hyperlink is not None)
    assert str(cell.value).startswith("Dateien „Sozialraumbudget“ auf dem Server")
    # What the SRT see is what the command line sends them (the hidden token is random).
    here = tmp_path / "versand"
    (tmp_path / "b").mkdir()
    assert main(["verteilen", str(copy_bundled(tmp_path / "b")), "--ziel", str(here)]) == 0
    for name in names:
        a, b = load_workbook(here / name), load_workbook(ablage / "Versand" / name)
        visible = [ws.title for ws in a.worksheets if ws.sheet_state == "visible"]
        assert visible == [ws.title for ws in b.worksheets if ws.sheet_state == "visible"]
        for sheet in visible:
            assert [[c.value for c in r] for r in a[sheet].iter_rows()] == [
                [c.value for c in r] for r in b[sheet].iter_rows()
            ], (name, sheet)
    # The round the clerk's Excel saved knows the files' tokens: a return is taken.
    back = edit(ablage / "Versand" / "Kosten_HEIDE.xlsx", "Kosten HEIDE", {"C5": 9_999.0})
    assert main(["einsammeln", str(actual), str(back)]) == 0


def test_bericht_on_the_server_lands_in_the_ablage_marked_as_draft_on_red(
    tmp_path: Path, ablage: Path
) -> None:
    pytest.importorskip("weasyprint", reason="Bericht braucht das Extra [report]")
    master = copy_bundled(tmp_path)
    set_cells(master, {(layout.GEBIETE, f"H{r}"): 1 for r in range(6, 15)})
    set_cells(master, {(layout.GEBIETE, "H5"): 1_999_991})
    assert main(["berechnen", str(master)]) == 5
    _, alerts, _, _ = remote(master, "bericht", tmp_path / "remote.xlsm")
    pdfs = sorted(p.name for p in (ablage / "Berichte").glob("Bericht_*.pdf"))
    assert pdfs and (ablage / "Berichte" / pdfs[0]).read_bytes().startswith(b"%PDF")
    assert alerts[0].startswith("ENTWURF") and "Serverablage „Sozialraumbudget“" in alerts[0]
    assert "weitere Dateien (Anlagen als PDF" in alerts[0] and len(alerts[0]) <= 1024


def upload(book: Path, ablage: Path) -> None:
    (ablage / "Mappe").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(book, ablage / "Mappe" / "Sozialraumbudget.xlsm")


def computed_and_uploaded(tmp_path: Path, ablage: Path) -> Path:
    """The clerk's book after Berechnen and Speichern, uploaded through the page."""
    master = copy_bundled(tmp_path)
    assert main(["berechnen", str(master)]) == 0
    upload(master, ablage)
    return master


def test_jahreswechsel_on_the_server_needs_the_saved_workbook_uploaded(
    tmp_path: Path, ablage: Path
) -> None:
    master = copy_bundled(tmp_path)
    assert main(["berechnen", str(master)]) == 0
    _, alerts, _, _ = remote(master, "jahreswechsel", tmp_path / "r.xlsm")
    assert "Gespeicherte Mappe hochladen" in alerts[0] and not (ablage / "Mappe").exists()
    assert f"{SERVER}/xlsozial/ablage/Sozialraumbudget?bis=" in alerts[0]
    upload(master, ablage)
    set_cells(master, {(layout.GEBIETE, "H7"): 123_456})  # changed after the upload
    _, alerts, _, _ = remote(master, "jahreswechsel", tmp_path / "r.xlsm")
    assert "nicht der Stand der geöffneten" in alerts[0]
    assert sorted(p.name for p in (ablage / "Mappe").iterdir()) == ["Sozialraumbudget.xlsm"]


def test_jahreswechsel_on_the_server_makes_the_command_line_s_next_year(
    tmp_path: Path, ablage: Path
) -> None:
    master = computed_and_uploaded(tmp_path, ablage)
    here = tmp_path / "hier"
    here.mkdir()
    shutil.copyfile(master, here / "Sozialraumbudget.xlsm")
    assert main(["jahreswechsel", str(here / "Sozialraumbudget.xlsm")]) == 0
    _, alerts, _, _ = remote(master, "jahreswechsel", tmp_path / "r.xlsm")
    made = sorted(p.name for p in (ablage / "Mappe").iterdir())
    assert made == sorted(p.name for p in here.iterdir())
    assert "Jahreswechsel 2027 → 2028" in alerts[0] and "herunterladen" in alerts[0]
    new = next(p for p in made if p.endswith("_2028.xlsm"))
    assert differences(here / new, ablage / "Mappe" / new) == []


def test_werte_einfrieren_on_the_server_offers_a_macro_free_copy(
    tmp_path: Path, ablage: Path
) -> None:
    master = computed_and_uploaded(tmp_path, ablage)
    expected = tmp_path / "Weitergabe.xlsx"
    assert main(["werte-einfrieren", str(master), "--ausgabe", str(expected)]) == 0
    _, alerts, actions, _ = remote(master, "werte_einfrieren", tmp_path / "r.xlsm")
    frozen = ablage / "Mappe" / "Sozialraumbudget_Werte.xlsx"
    assert "Die geöffnete Mappe bleibt unverändert" in alerts[0]
    assert differences(expected, frozen) == []
    assert {a["func"] for a in actions} <= {"setValues", "addHyperlink", "alert"}


def test_without_an_ablage_the_file_commands_say_what_the_it_must_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.delenv("XLSOZIAL_ABLAGE", raising=False)
    book = copy_bundled(tmp_path)
    for script in ["werte_einfrieren", "verteilen", "einsammeln", "bericht", "jahreswechsel"]:
        _, alerts, actions, _ = remote(book, script, tmp_path / "r.xlsm")
        assert [a["func"] for a in actions] == ["alert"], script
        assert "XLSOZIAL_ABLAGE" in alerts[0] and "xlsozial " in alerts[0], script


def test_a_link_is_signed_for_its_folder_and_expires(ablage: Path) -> None:
    link = page_link(SERVER, "Sozialraumbudget", now=1_000_000)
    query = dict(part.split("=") for part in link.split("?")[1].split("&"))
    until, sig = int(query["bis"]), query["sig"]
    assert valid("Sozialraumbudget", until, sig, now=1_000_000)
    assert not valid("Sozialraumbudget", until, sig, now=until + 1)  # expired
    assert not valid("Andere_Mappe", until, sig, now=1_000_000)  # another folder
    assert not valid("Sozialraumbudget", until + 86_400, sig, now=1_000_000)  # longer


def _client() -> Any:
    fastapi = pytest.importorskip("fastapi", reason="die Seite braucht das Extra [server]")
    from fastapi.testclient import TestClient

    from xlsozial.app.remote_web import router

    app = fastapi.FastAPI()
    app.include_router(router)
    return TestClient(app)


def _page(now: float | None = None) -> str:
    return page_link("", "Sozialraumbudget", now=now)


def test_the_page_takes_returns_that_einsammeln_then_reads(tmp_path: Path, ablage: Path) -> None:
    client = _client()
    master = copy_bundled(tmp_path)
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "versand")]) == 0
    good = edit(tmp_path / "versand" / "Kosten_ELBE.xlsx", "Kosten ELBE", {"C5": 22_000.0})
    url = _page()
    sent = client.post(
        url.replace("?", "/hochladen?"),
        data={"art": "ruecklauf"},
        files=[("dateien", ("Kosten ELBE (final).xlsx", good.read_bytes()))],
        follow_redirects=True,
    )
    assert sent.status_code == 200 and "Hochgeladen: Kosten ELBE (final).xlsx" in sent.text
    assert "Kosten ELBE (final).xlsx</a>" in sent.text
    actual, alerts, _, _ = remote(master, "einsammeln", tmp_path / "remote.xlsm")
    assert "ABGELEHNT" not in alerts[0]
    assert load_workbook(actual)[layout.cost_table("ELBE").sheet]["C5"].value == 22_000


def test_the_page_refuses_what_is_not_an_excel_file_and_keeps_nothing(ablage: Path) -> None:
    client = _client()
    url = _page()
    sent = client.post(
        url.replace("?", "/hochladen?"),
        data={"art": "ruecklauf"},
        files=[("dateien", ("Kosten.xlsx", b"kein Excel"))],
        follow_redirects=True,
    )
    assert "Nicht übernommen: „Kosten.xlsx“ ist keine Excel-Datei" in sent.text
    assert not (ablage / "Rücklauf").exists() or not any((ablage / "Rücklauf").iterdir())


def test_a_wrong_or_expired_link_gets_nothing(ablage: Path) -> None:
    client = _client()
    (ablage / "Berichte").mkdir(parents=True)
    (ablage / "Berichte" / "Bericht.pdf").write_bytes(b"%PDF-1.7")
    good = _page()
    assert client.get(good.replace("?", "/Berichte/Bericht.pdf?")).content == b"%PDF-1.7"
    forged = good[:-4] + ("0000" if not good.endswith("0000") else "1111")
    assert client.get(forged).status_code == 403
    assert client.get(_page(now=0)).status_code == 403  # expired since 1970 + 14 days
    sneaky = good.replace("?", "/Berichte/..%2F..%2Fgeheim.txt?")
    assert client.get(sneaky).status_code in (403, 404)
    other = good.replace("/Sozialraumbudget?", "/Andere?")
    assert client.get(other).status_code == 403


def test_the_link_names_the_server_the_workbook_was_set_up_for(
    tmp_path: Path, ablage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XLSOZIAL_SERVER_URL")
    book = copy_bundled(tmp_path)
    _, alerts, _, _ = remote(book, "einsammeln", tmp_path / "r.xlsm")
    assert "Adresse des Servers ist unbekannt" in alerts[0] and "XLSOZIAL_SERVER_URL" in alerts[0]
    assert main(["einrichten", str(book), "--server", "https://sozial.kreis.intern"]) == 0
    _, alerts, _, _ = remote(book, "einsammeln", tmp_path / "r.xlsm")
    assert "https://sozial.kreis.intern/xlsozial/ablage/Sozialraumbudget?bis=" in alerts[0]


def test_a_long_message_fits_excel_s_message_box_and_keeps_the_link(
    tmp_path: Path, ablage: Path
) -> None:
    """Every SRT sends words where money belongs: the report is longer than MsgBox shows
    (about 1,024 characters); it is cut at a line end, says so, and the link stays whole."""
    master = copy_bundled(tmp_path)
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "versand")]) == 0
    inbox = ablage / "Rücklauf"
    inbox.mkdir(parents=True)
    for key in ["NORD", "ELBE", "OSTHEIDE", "HEIDE"]:
        words = {f"C{r}": "unbekannt" for r in range(5, 12)}
        edit(
            tmp_path / "versand" / f"Kosten_{key}.xlsx",
            f"Kosten {key}",
            words,
            inbox / f"{key}.xlsx",
        )
    _, alerts, _, _ = remote(master, "einsammeln", tmp_path / "r.xlsm")
    assert len(alerts) == 1 and len(alerts[0]) <= 1024
    assert "ABGELEHNT" in alerts[0] and "gekürzt" in alerts[0]
    link = alerts[0].rsplit("Dateien auf dem Server", 1)[1]
    assert "sig=" in link and link.endswith("Der Link steht auch auf Blatt Start.")


def test_a_signed_link_to_a_name_that_is_not_a_folder_name_gets_nothing(ablage: Path) -> None:
    client = _client()
    for name in ["..", "Sozialraumbudget.xlsm", "a b"]:
        signed = page_link("", name)  # genuinely signed, but no folder of the Ablage
        assert client.get(signed).status_code in (403, 404), name


def test_what_the_page_takes_and_where_it_puts_it(ablage: Path) -> None:
    from xlsozial.app import remote_web
    from xlsozial.app.remote_files import Filing

    filing = Filing(ablage.parent, ablage.name)
    office = b"PK\x05\x06" + b"\x00" * 18  # an empty ZIP package
    assert remote_web.upload_target(filing, "ruecklauf", "Kosten NORD.xlsx", office) == (
        ablage / "Rücklauf" / "Kosten NORD.xlsx"
    )
    assert remote_web.upload_target(filing, "ruecklauf", r"C:\SRT\..\Kosten.xlsm", office) == (
        ablage / "Rücklauf" / "Kosten.xlsm"
    )
    assert remote_web.upload_target(filing, "mappe", "Kopie von Budget.xlsm", office) == (
        ablage / "Mappe" / "Sozialraumbudget.xlsm"
    )
    shapes = b'{"type": "FeatureCollection", "features": []}'
    assert remote_web.upload_target(filing, "mappe", "karte.geojson", shapes) == (
        ablage / "Mappe" / "Sozialraeume.geojson"
    )
    refused = {
        ("mappe", "Budget.xlsx", office): "nur .xlsm",
        ("ruecklauf", "Kosten.pdf", office): "nur .xlsx oder .xlsm",
        ("mappe", "karte.geojson", b"{kaputt"): "kein GeoJSON",
        ("ruecklauf", "Kosten.xlsx", b"x" * 10): "keine Excel-Datei",
        ("ablage", "Kosten.xlsx", office): "Unbekannte Art",
    }
    for (art, name, data), said in refused.items():
        with pytest.raises(ValueError, match=said):
            remote_web.upload_target(filing, art, name, data)


def test_an_upload_larger_than_the_limit_is_refused(
    ablage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsozial.app import remote_web

    monkeypatch.setattr(remote_web, "MAX_BYTES", 100)
    sent = _client().post(
        _page().replace("?", "/hochladen?"),
        data={"art": "ruecklauf"},
        files=[("dateien", ("Kosten.xlsx", b"PK" + b"\x00" * 200))],
        follow_redirects=True,
    )
    assert "ist größer als" in sent.text and not (ablage / "Rücklauf").exists()
