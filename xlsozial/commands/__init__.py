"""The service layer: one function per ribbon command, shared by Excel and the command line.

Each takes a :class:`~xlsozial.book.adapter.BookAdapter` (a workbook file, written part by
part, or the live book in Excel) and a :class:`~xlsozial.commands.feedback.Feedback`; the
entry points (:mod:`xlsozial.app.cli`, :mod:`xlsozial.app.excel`) only choose the adapter
and the feedback and turn errors into messages.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlsozial.commands.calculation import calculate, check, report
    from xlsozial.commands.exchange import collect, distribute, overview
    from xlsozial.commands.feedback import Console, Feedback, Recorder
    from xlsozial.commands.freezing import freeze

# Each command's module loads with its first use: Rücklauf or Verteilen need neither numpy
# nor the output sheets, and a button press should not pay for what it does not run.
_HOME = {
    "calculate": "calculation",
    "check": "calculation",
    "report": "calculation",
    "collect": "exchange",
    "distribute": "exchange",
    "overview": "exchange",
    "Console": "feedback",
    "Feedback": "feedback",
    "Recorder": "feedback",
    "freeze": "freezing",
}

__all__ = [
    "Console",
    "Feedback",
    "Recorder",
    "calculate",
    "check",
    "collect",
    "distribute",
    "freeze",
    "overview",
    "report",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
