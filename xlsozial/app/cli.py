"""Command line: the commands mirror the ribbon buttons of the workbook.

Exit codes: 0 success; 1 invalid input (every problem printed, nothing written); 2 wrong
call; 3 a file cannot be used (missing, locked, read-only, damaged, changed meanwhile);
4 the program itself failed (short German message, traceback in a log file); 5 computed and
written, but a Prüfung is red (every output sheet says the numbers are not valid).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from xlsozial import __version__
from xlsozial.app.cli_commands import (
    EXIT_FILE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_RED,
    EXIT_USAGE,
    _err,
    cmd_beispiel_json,
    cmd_berechnen,
    cmd_bericht,
    cmd_einrichten,
    cmd_einsammeln,
    cmd_jahreswechsel,
    cmd_mappe_bauen,
    cmd_pruefen,
    cmd_quote_festschreiben,
    cmd_rechnen_json,
    cmd_ruecklauf,
    cmd_verteilen,
    cmd_werte_einfrieren,
)
from xlsozial.app.cli_parser import GermanParser
from xlsozial.domain.errors import BookError, InputError, UsageError

__all__ = ["EXIT_OK", "EXIT_RED", "build_parser", "main"]

EXAMPLES = {
    "berechnen": "xlsozial berechnen Sozialraumbudget.xlsm",
    "pruefen": "xlsozial pruefen Sozialraumbudget.xlsm",
    "verteilen": "xlsozial verteilen Sozialraumbudget.xlsm --ziel Versand --frist 15.12.2026",
    "einsammeln": "xlsozial einsammeln Sozialraumbudget.xlsm Rücklauf/*.xlsx",
    "ruecklauf": "xlsozial ruecklauf Sozialraumbudget.xlsm",
    "bericht": "xlsozial bericht Sozialraumbudget.xlsm --pdf Vorlage_JHA.pdf",
    "werte-einfrieren": "xlsozial werte-einfrieren Sozialraumbudget.xlsm --ausgabe Weitergabe.xlsx",
    "rechnen-json": "xlsozial rechnen-json eingabe.json --ausgabe ergebnis.json",
    "beispiel-json": "xlsozial beispiel-json eingabe.json",
    "mappe-bauen": "xlsozial mappe-bauen --vergleichen",
    "quote-festschreiben": "xlsozial quote-festschreiben Sozialraumbudget.xlsm --beschluss "
    '"JHA 2026/123" --ab 2026 --bis 2030',
    "jahreswechsel": "xlsozial jahreswechsel Sozialraumbudget_2027.xlsm",
    "einrichten": "xlsozial einrichten Sozialraumbudget.xlsm --kopie C:/Jugendamt/Budget.xlsm\n"
    "  xlsozial einrichten Sozialraumbudget.xlsm --server https://xlsozial.landkreis.intern",
}
# Packages of the extras (pyproject.toml): a core-only install names what to add.
EXTRAS = {
    **dict.fromkeys(
        ("xlwings", "pandas", "openpyxl", "lxml", "pyopenvba", "defusedxml", "rich"), "excel"
    ),
    **dict.fromkeys(("weasyprint", "pikepdf", "docx", "matplotlib"), "report"),
}
ALIASES = {"pruefen": ["prüfen"], "ruecklauf": ["rücklauf"]}


def build_parser() -> argparse.ArgumentParser:
    parser = GermanParser(
        prog="xlsozial",
        description=(
            "Sozialraumbudget: Belastungsquote, vier Finanzierungsmodelle, Budgetmatrix und "
            "Übergang – dieselben Befehle wie im Menüband „Sozialraumbudget“."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"xlsozial {__version__}",
        help="Programmversion anzeigen und beenden",
    )
    sub = parser.add_subparsers(
        dest="befehl", metavar="BEFEHL", title="Befehle", parser_class=GermanParser
    )
    sub.required = True
    _ribbon_commands(sub)
    _tool_commands(sub)
    return parser


def _ribbon_commands(sub: Any) -> None:
    """The commands that mirror the ribbon buttons, on a workbook (MAPPE)."""
    _book_command(
        sub,
        "berechnen",
        "Mappe einlesen, prüfen, rechnen, Ergebnisse schreiben",
        cmd_berechnen,
        output="Ergebnis in diese Datei statt in die Mappe selbst",
    )
    _book_command(sub, "pruefen", "Eingaben der Mappe prüfen, ohne etwas zu schreiben", cmd_pruefen)
    _book_command(
        sub,
        "werte-einfrieren",
        "SRB_-Formeln durch ihre gespeicherten Werte ersetzen",
        cmd_werte_einfrieren,
        output=IN_FILE,
    )
    _exchange_commands(sub)
    p = _book_command(
        sub, "bericht", "PDF-Bericht für den Jugendhilfeausschuss erstellen", cmd_bericht
    )
    p.add_argument("--pdf", metavar="DATEI", required=True, help="Zieldatei des Berichts")
    _year_commands(sub)


def _year_commands(sub: Any) -> None:
    """Quote festschreiben and Jahreswechsel: what carries a workbook through the years."""
    p = _book_command(
        sub,
        "quote-festschreiben",
        "die heutige Quote als beschlossene Quote festschreiben (mit Beschluss)",
        cmd_quote_festschreiben,
    )
    p.add_argument("--beschluss", required=True, metavar="TEXT", help="z. B. „JHA 2026/123“")
    p.add_argument(
        "--ab", type=year_option, metavar="JAHR", help="gültig ab (Standard: Haushaltsjahr)"
    )
    p.add_argument(
        "--bis",
        type=year_option,
        metavar="JAHR",
        help="gültig bis (Standard: ab + Überprüfungsfrist − 1)",
    )
    p.add_argument("--von", metavar="NAME", help="wer festschreibt (Standard: Anmeldename)")
    p = _book_command(
        sub,
        "jahreswechsel",
        "aus der Mappe des Jahres N die Mappe für N+1 erstellen (N wird archiviert)",
        cmd_jahreswechsel,
    )
    p.add_argument("--ziel", metavar="DATEI", help="neue Mappe (Standard: NAME_<N+1>.xlsm)")
    p.add_argument(
        "--archiv", metavar="DATEI", help="Archiv des Jahres N (Standard: NAME_<N>.xlsx)"
    )
    p.add_argument(
        "--steigerung",
        metavar="PROZENT",
        type=percent_option,
        help="Preis-/Tarifsteigerung für das Gesamtbudget N+1, z. B. 2,5 (statt des Werts im "
        "Blatt Parameter)",
    )


def year_option(text: str) -> int:
    """A budget year 2000–2100, checked as an option (in German), not later at the cells."""
    try:
        year = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine Jahreszahl (z. B. 2027)") from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"{year}: bitte ein Haushaltsjahr von 2000 bis 2100")
    return year


def percent_option(text: str) -> float:
    """„2,5“, „2.5“ or „2,5 %“ → 0.025; a German message for anything else."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = float(cleaned) / 100
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"„{text}“ ist kein Prozentsatz (z. B. 2,5 für 2,5 %)"
        ) from None
    if not -0.5 <= value <= 1:
        raise argparse.ArgumentTypeError(f"„{text}“: bitte einen Satz zwischen −50 und 100 %")
    return value


def _exchange_commands(sub: Any) -> None:
    """Verteilen, einsammeln, Rücklauf: the round trip of the SRT cost sheets."""
    p = _book_command(
        sub, "verteilen", "je SRT eine Kostenblatt-Datei (.xlsx) erstellen", cmd_verteilen
    )
    p.add_argument("--ziel", metavar="ORDNER", required=True, help="Ordner für die Dateien")
    p.add_argument("--frist", metavar="TT.MM.JJJJ", help="Rückgabefrist (Standard: 14 Tage)")
    p.add_argument(
        "--srt",
        metavar="KÜRZEL",
        help="nur die Datei dieses SRT neu ausstellen (neue Kennung; die anderen gelten weiter)",
    )
    p = _book_command(
        sub,
        "einsammeln",
        "zurückgesandte Kostenblätter prüfen und übernehmen",
        cmd_einsammeln,
        output=IN_FILE,
    )
    p.add_argument("dateien", metavar="RÜCKLÄUFER", nargs="+", help="zurückgesandte .xlsx")
    p.add_argument(
        "--nur-gueltige",
        action="store_true",
        help="gültige Rückläufer übernehmen, abgelehnte im Blatt Rücklauf vermerken "
        "(Standard: alles oder nichts)",
    )
    p.add_argument(
        "--aeltere-zulassen",
        action="store_true",
        help="auch eine Datei übernehmen, die älter ist als die schon übernommene dieses SRT",
    )
    _book_command(
        sub, "ruecklauf", "Rücklauf der Kostenblätter der offenen Runde anzeigen", cmd_ruecklauf
    )


def _tool_commands(sub: Any) -> None:
    """Setting up, building and the JSON interface: not on the ribbon."""
    p = _book_command(
        sub, "einrichten", "die Mappe mit diesem Python verbinden (für Excel)", cmd_einrichten
    )
    p.add_argument("--kopie", metavar="DATEI", help="eingerichtete Kopie hierhin schreiben")
    p.add_argument(
        "--system", choices=["windows", "mac"], help="für Excel unter (Standard: dieser Rechner)"
    )
    p.add_argument("--python", metavar="PFAD", help="Python für Excel (Standard: dieses)")
    p.add_argument(
        "--server",
        metavar="URL",
        help="die Knöpfe auf einem xlwings Server rechnen lassen (ohne Python am Arbeitsplatz)",
    )
    p.add_argument(
        "--ohne-server",
        action="store_true",
        help="die Knöpfe wieder mit dem Python des Arbeitsplatzes rechnen lassen",
    )
    p = _parser(sub, "rechnen-json", "aus einer JSON-Eingabe rechnen (ohne Mappe)")
    p.add_argument("eingabe", metavar="EINGABE.json")
    p.add_argument("--ausgabe", metavar="ERGEBNIS.json", help="Ergebnis in Datei statt Ausgabe")
    p.set_defaults(func=cmd_rechnen_json)
    p = _parser(sub, "beispiel-json", "fiktive Beispiel-Eingabe als JSON schreiben")
    p.add_argument("ziel", metavar="ZIEL.json")
    p.set_defaults(func=cmd_beispiel_json)
    p = _parser(sub, "mappe-bauen", "die .xlsm reproduzierbar aus den Quellen bauen")
    p.add_argument(
        "--ziel",
        metavar="DATEI",
        default="workbook/Sozialraumbudget.xlsm",
        help="Zieldatei (Standard: workbook/Sozialraumbudget.xlsm)",
    )
    p.add_argument(
        "--vergleichen",
        action="store_true",
        help="nicht bauen, sondern prüfen, ob die Datei dem Build entspricht",
    )
    p.set_defaults(func=cmd_mappe_bauen)


IN_FILE = "in diese Datei statt in die Mappe selbst"


def _parser(sub: Any, name: str, text: str) -> argparse.ArgumentParser:
    """A subcommand with its description and an example in the help."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=text,
        description=text[0].upper() + text[1:] + ".",
        epilog=f"Beispiel:\n  {EXAMPLES[name]}",
        aliases=ALIASES.get(name, []),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _book_command(
    sub: Any,
    name: str,
    text: str,
    func: Callable[[argparse.Namespace], int],
    output: str | None = None,
) -> argparse.ArgumentParser:
    """A command on a workbook (MAPPE), optionally with --ausgabe instead of in place."""
    p = _parser(sub, name, text)
    p.add_argument("mappe", metavar="MAPPE", help="die Arbeitsmappe (.xlsm)")
    if output is not None:
        p.add_argument("--ausgabe", metavar="DATEI", help=output)
    p.set_defaults(func=func)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        code = func(args)
    except BaseException as exc:
        console_flush(keep=False)  # what the command said before it failed is not true
        return _failure(exc)
    console_flush(keep=True)
    return code


def console_flush(keep: bool) -> None:
    """The Console's held-back lines, if a command used it: the service layer is imported
    only by a command that needs it, so that ``--help`` or a wrong call starts fast."""
    feedback = sys.modules.get("xlsozial.commands.feedback")
    if feedback is not None:
        feedback.flush(keep=keep)


def _failure(exc: BaseException) -> int:
    """The exit code and German message for a command that failed; never a traceback."""
    try:
        raise exc
    except InputError as exc:
        _err(exc.render())
        _err("Es wurde nichts geschrieben.")
        return EXIT_INPUT
    except UsageError as exc:
        _err(f"Falscher Aufruf: {exc}")
        return EXIT_USAGE
    except BookError as exc:
        _err(str(exc))
        if "nichts geschrieben" not in str(exc):
            _err("Es wurde nichts geschrieben.")
        return EXIT_FILE
    except OSError as exc:
        from xlsozial.adapters.fileio import os_error_text

        _err(os_error_text(exc))
        _err("Es wurde nichts geschrieben.")
        return EXIT_FILE
    except KeyboardInterrupt:
        _err("Abgebrochen. Die Mappe ist unverändert (geschrieben wird nur am Ende, atomar).")
        return EXIT_INTERNAL
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in EXTRAS:
            return _internal()
        _err(
            f"Für diesen Befehl fehlt das Paket „{top}“ (Teil „{EXTRAS[top]}“ von xlsozial); "
            "installiert ist nur der Kern. Bitte: pip install 'xlsozial[alle]' (im Repository: "
            "pip install -e '.[alle]'). Es wurde nichts geschrieben."
        )
        return EXIT_INTERNAL
    except Exception:
        return _internal()


def _internal() -> int:
    """The program's own failure: a log for the support, a sentence for the user."""
    from xlsozial.adapters.fileio import log_traceback

    log = log_traceback()
    _err(
        "Interner Fehler in xlsozial – das liegt nicht an Ihren Eingaben. Die Mappe ist "
        f"unverändert. Details für den Support: {log}"
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
