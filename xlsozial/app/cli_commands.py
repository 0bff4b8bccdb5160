"""What each command of the command line does: a thin shell around the service layer
(:mod:`xlsozial.app.headless`), printing the result and choosing the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from xlsozial.domain.errors import UsageError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FILE, EXIT_INTERNAL, EXIT_RED = 0, 1, 2, 3, 4, 5


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_rechnen_json(args: argparse.Namespace) -> int:
    from xlsozial.adapters.io_json import read_inputs, results_to_json
    from xlsozial.app.report_text import summary
    from xlsozial.evaluation.compute import compute

    inputs = read_inputs(Path(args.eingabe))
    results = compute(inputs)
    text = results_to_json(results)
    if args.ausgabe:
        from xlsozial.adapters.fileio import atomic_write_bytes

        atomic_write_bytes(Path(args.ausgabe), text.encode("utf-8"))
        print(summary(results))
        print(f"Ergebnis geschrieben: {args.ausgabe}")
    else:
        sys.stdout.write(text)
    return EXIT_OK if results.ok else EXIT_RED  # as berechnen: computed and written, but red


def cmd_beispiel_json(args: argparse.Namespace) -> int:
    from xlsozial.adapters.fileio import atomic_write_bytes
    from xlsozial.adapters.io_json import inputs_to_json
    from xlsozial.domain.example import example_inputs

    atomic_write_bytes(Path(args.ziel), inputs_to_json(example_inputs()).encode("utf-8"))
    print(f"Beispiel-Eingabe geschrieben: {args.ziel} (Werte fiktiv)")
    return EXIT_OK


def cmd_berechnen(args: argparse.Namespace) -> int:
    from xlsozial.app import headless
    from xlsozial.app.report_text import summary
    from xlsozial.commands import Console

    target = Path(args.ausgabe) if args.ausgabe else None
    results = headless.calculate(Path(args.mappe), target, Console())
    print(summary(results))
    print(f"Mappe geschrieben: {target or args.mappe}")
    return EXIT_OK if results.ok else EXIT_RED


def cmd_pruefen(args: argparse.Namespace) -> int:
    from xlsozial.app import headless
    from xlsozial.app.report_text import checks_text
    from xlsozial.commands import Console

    _, results = headless.check(Path(args.mappe), Console())
    print(checks_text(results))
    return EXIT_OK if results.ok else EXIT_INPUT


def cmd_mappe_bauen(args: argparse.Namespace) -> int:
    from xlsozial.commands.build_workbook import build_workbook, compare_with

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
    from xlsozial.app import headless
    from xlsozial.commands import Console

    target = Path(args.ausgabe) if args.ausgabe else None
    headless.freeze(Path(args.mappe), target, Console())
    print(f"Geschrieben: {target or args.mappe}")
    return EXIT_OK


def cmd_verteilen(args: argparse.Namespace) -> int:
    from xlsozial.app import headless
    from xlsozial.commands import Console

    deadline = _german_date(args.frist) if args.frist else None
    written = headless.distribute(
        Path(args.mappe), Path(args.ziel), deadline, args.srt, feedback=Console()
    )
    for path in written:
        print(f"geschrieben: {path}")
    return EXIT_OK


def _german_date(text: str) -> Any:
    from datetime import datetime

    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise UsageError(f"„{text}“ ist kein Datum; bitte als TT.MM.JJJJ angeben, z. B. 15.12.2026")


def cmd_ruecklauf(args: argparse.Namespace) -> int:
    from xlsozial.app import headless

    print(headless.overview(Path(args.mappe)))
    return EXIT_OK


def cmd_einsammeln(args: argparse.Namespace) -> int:
    from xlsozial.app import headless
    from xlsozial.commands import Console

    files = [Path(f) for f in args.dateien]
    target = Path(args.ausgabe) if args.ausgabe else None
    report = headless.collect(
        Path(args.mappe),
        files,
        target,
        partial=args.nur_gueltige,
        feedback=Console(),
        allow_older=args.aeltere_zulassen,
    )
    if report.rejected or not report.written or report.results is None:
        return EXIT_INPUT
    return EXIT_OK if report.results.ok else EXIT_RED


def cmd_bericht(args: argparse.Namespace) -> int:
    from xlsozial.app import headless
    from xlsozial.commands import Console

    pdf = Path(args.pdf)
    if pdf.suffix.lower() != ".pdf":
        pdf = pdf.with_name(pdf.name + ".pdf")
    from xlsozial.evaluation.checks import red_for_the_paper

    results = headless.report(Path(args.mappe), pdf, Console())
    return EXIT_RED if red_for_the_paper(results) else EXIT_OK  # red: the paper is a draft


def cmd_einrichten(args: argparse.Namespace) -> int:
    from xlsozial.app.setup import server_setup, setup

    copy_to = Path(args.kopie) if args.kopie else None
    if args.server is not None or args.ohne_server:
        if args.server is not None and args.ohne_server:
            raise UsageError("--server und --ohne-server schließen sich aus")
        if args.system or args.python:
            raise UsageError("--system/--python gelten für Python am Arbeitsplatz, nicht --server")
        print(server_setup(Path(args.mappe), args.server or "", copy_to).render())
        return EXIT_OK
    report = setup(Path(args.mappe), copy_to, args.system, args.python)
    print(report.render())
    return EXIT_OK


def cmd_quote_festschreiben(args: argparse.Namespace) -> int:
    import getpass

    from xlsozial.app import headless
    from xlsozial.commands import Console

    results = headless.fix_quota(
        Path(args.mappe),
        args.beschluss,
        args.von or getpass.getuser(),
        args.ab,
        args.bis,
        feedback=Console(),
    )
    return EXIT_OK if results.ok else EXIT_RED


def cmd_jahreswechsel(args: argparse.Namespace) -> int:
    from xlsozial.commands.rollover import rollover

    done = rollover(
        Path(args.mappe),
        Path(args.ziel) if args.ziel else None,
        Path(args.archiv) if args.archiv else None,
        args.steigerung,
    )
    print(done.render())
    return EXIT_OK if done.results.ok else EXIT_RED
