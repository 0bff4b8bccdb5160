"""Command line: the commands mirror the ribbon buttons of the workbook.

Exit codes: 0 success, 1 invalid input (the list of problems is printed), 2 wrong call,
3 the file cannot be used (missing, locked, not a workbook of ours).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from xlsozial import __version__
from xlsozial.errors import BookError, InputError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FILE = 0, 1, 2, 3

_GERMAN = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe anzeigen und beenden",
    "show program's version number and exit": "Programmversion anzeigen und beenden",
    "the following arguments are required: %s": "diese Argumente fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Argumente: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ungültige Auswahl: %(value)r (möglich: %(choices)s)"
    ),
    "expected one argument": "erwartet einen Wert",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Option: %(option)s passt zu %(matches)s"
    ),
}


def _german(text: str) -> str:
    return _GERMAN.get(text, text)


argparse._ = _german  # type: ignore[attr-defined]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_rechnen_json(args: argparse.Namespace) -> int:
    from xlsozial.core import compute
    from xlsozial.io_json import read_inputs, results_to_json
    from xlsozial.report_text import summary

    inputs = read_inputs(Path(args.eingabe))
    results = compute(inputs)
    text = results_to_json(results)
    if args.ausgabe:
        from xlsozial.fileio import atomic_write_bytes

        atomic_write_bytes(Path(args.ausgabe), text.encode("utf-8"))
        print(summary(results))
        print(f"Ergebnis geschrieben: {args.ausgabe}")
    else:
        sys.stdout.write(text)
    return EXIT_OK if results.ok else EXIT_INPUT


def cmd_beispiel_json(args: argparse.Namespace) -> int:
    from xlsozial.example import example_inputs
    from xlsozial.fileio import atomic_write_bytes
    from xlsozial.io_json import inputs_to_json

    atomic_write_bytes(Path(args.ziel), inputs_to_json(example_inputs()).encode("utf-8"))
    print(f"Beispiel-Eingabe geschrieben: {args.ziel} (Werte fiktiv)")
    return EXIT_OK


def cmd_berechnen(args: argparse.Namespace) -> int:
    from xlsozial.book.run import run_calculate
    from xlsozial.report_text import summary

    target = Path(args.ausgabe) if args.ausgabe else None
    results = run_calculate(Path(args.mappe), target=target, command="berechnen (CLI)")
    print(summary(results))
    print(f"Mappe geschrieben: {target or args.mappe}")
    return EXIT_OK if results.ok else EXIT_INPUT


def cmd_pruefen(args: argparse.Namespace) -> int:
    from xlsozial.book.run import run_check
    from xlsozial.report_text import checks_text

    results = run_check(Path(args.mappe))
    print(checks_text(results))
    return EXIT_OK if results.ok else EXIT_INPUT


def cmd_mappe_bauen(args: argparse.Namespace) -> int:
    from xlsozial.book.build import build_workbook, compare_with

    target = Path(args.ziel)
    if args.vergleichen:
        differences = compare_with(target)
        if differences:
            _err("Die Mappe weicht vom Build aus den Quellen ab:")
            for d in differences:
                _err(f"  - {d}")
            return EXIT_INPUT
        print(f"{target} entspricht dem Build aus den Quellen.")
        return EXIT_OK
    build_workbook(target)
    print(f"Mappe gebaut: {target}")
    return EXIT_OK


def cmd_werte_einfrieren(args: argparse.Namespace) -> int:
    from xlsozial.book.freeze import freeze_file

    target = Path(args.ausgabe) if args.ausgabe else None
    count = freeze_file(Path(args.mappe), target)
    print(f"{count} Formel(n) mit SRB_-Funktionen durch Werte ersetzt: {target or args.mappe}")
    return EXIT_OK


def cmd_verteilen(args: argparse.Namespace) -> int:
    from xlsozial.book.distribute import distribute

    written = distribute(Path(args.mappe), Path(args.ziel))
    for path in written:
        print(f"geschrieben: {path}")
    print(f"{len(written)} Kostenblatt-Dateien erstellt (ohne Makros).")
    return EXIT_OK


def cmd_einsammeln(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from xlsozial.book.collect import collect

    files = [Path(f) for f in args.dateien]
    target = Path(args.ausgabe) if args.ausgabe else None
    columns = (
        TextColumn("Rückläufer prüfen"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, transient=True, disable=len(files) < 2) as bar:
        task = bar.add_task("", total=len(files))

        def step(path: Path) -> None:
            bar.update(task, advance=1, description=path.name)

        report = collect(Path(args.mappe), files, target, progress=step)
    print(report.render())
    return EXIT_OK if report.written else EXIT_INPUT


def cmd_bericht(args: argparse.Namespace) -> int:
    from xlsozial.book.run import run_check
    from xlsozial.report import write_report

    inputs, results = run_check(Path(args.mappe), with_inputs=True)
    write_report(inputs, results, Path(args.pdf))
    print(f"Bericht geschrieben: {args.pdf}")
    return EXIT_OK if results.ok else EXIT_INPUT


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    sub = parser.add_subparsers(dest="befehl", metavar="BEFEHL", title="Befehle")
    sub.required = True

    _book_command(
        sub,
        "berechnen",
        "Mappe einlesen, prüfen, rechnen, Ergebnisse schreiben",
        cmd_berechnen,
        output="Ergebnis in diese Datei statt in die Mappe selbst",
    )
    _book_command(sub, "pruefen", "Eingaben der Mappe prüfen, ohne etwas zu schreiben", cmd_pruefen)

    p = sub.add_parser("rechnen-json", help="aus einer JSON-Eingabe rechnen (ohne Mappe)")
    p.add_argument("eingabe", metavar="EINGABE.json")
    p.add_argument("--ausgabe", metavar="ERGEBNIS.json", help="Ergebnis in Datei statt Ausgabe")
    p.set_defaults(func=cmd_rechnen_json)

    p = sub.add_parser("beispiel-json", help="fiktive Beispiel-Eingabe als JSON schreiben")
    p.add_argument("ziel", metavar="ZIEL.json")
    p.set_defaults(func=cmd_beispiel_json)

    p = sub.add_parser("mappe-bauen", help="die .xlsm reproduzierbar aus den Quellen bauen")
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

    _book_command(
        sub,
        "werte-einfrieren",
        "SRB_-Formeln durch ihre gespeicherten Werte ersetzen",
        cmd_werte_einfrieren,
        output=IN_FILE,
    )
    p = _book_command(
        sub, "verteilen", "je SRT eine Kostenblatt-Datei (.xlsx) erstellen", cmd_verteilen
    )
    p.add_argument("--ziel", metavar="ORDNER", required=True, help="Ordner für die Dateien")
    p = _book_command(
        sub,
        "einsammeln",
        "zurückgesandte Kostenblätter prüfen und übernehmen",
        cmd_einsammeln,
        output=IN_FILE,
    )
    p.add_argument("dateien", metavar="RÜCKLÄUFER", nargs="+", help="zurückgesandte .xlsx")
    p = _book_command(
        sub, "bericht", "PDF-Bericht für den Jugendhilfeausschuss erstellen", cmd_bericht
    )
    p.add_argument("--pdf", metavar="DATEI", required=True, help="Zieldatei des Berichts")
    return parser


IN_FILE = "in diese Datei statt in die Mappe selbst"


def _book_command(
    sub: Any,
    name: str,
    text: str,
    func: Callable[[argparse.Namespace], int],
    output: str | None = None,
) -> argparse.ArgumentParser:
    """A command on a workbook (MAPPE), optionally with --ausgabe instead of in place."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=text)
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
        return func(args)
    except InputError as exc:
        _err(exc.render())
        _err("Es wurde nichts geschrieben.")
        return EXIT_INPUT
    except BookError as exc:
        _err(str(exc))
        _err("Es wurde nichts geschrieben.")
        return EXIT_FILE
    except FileNotFoundError as exc:
        _err(f"Datei nicht gefunden: {exc.filename}")
        return EXIT_FILE


if __name__ == "__main__":
    sys.exit(main())
