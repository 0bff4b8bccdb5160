"""argparse in German: every message the command line's parser prints, and a „Meinten Sie …?“
for a command typed nearly right."""

from __future__ import annotations

import argparse
import difflib
from typing import Any

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
    "argument %(argument_name)s: %(message)s": "Option %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Option: %(option)s passt zu %(matches)s"
    ),
}


def _german(text: str) -> str:
    return _GERMAN.get(text, text)


argparse._ = _german  # type: ignore[attr-defined]


class GermanParser(argparse.ArgumentParser):
    """argparse with German messages: „…“ quotes, a "meinten Sie" for near misses."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(c) for c in choices]
        close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
        hint = f" Meinten Sie „{close[0]}“?" if close else ""
        shown = ", ".join(n for n in names if n.isascii())
        raise argparse.ArgumentError(
            None, f"„{value}“ ist kein Befehl von xlsozial.{hint} Befehle: {shown}"
        )
