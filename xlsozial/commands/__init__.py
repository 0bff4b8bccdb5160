"""The service layer: one function per ribbon command, shared by Excel and the command line.

Each takes a :class:`~xlsozial.book.adapter.BookAdapter` (a workbook file, written part by
part, or the live book in Excel) and a :class:`~xlsozial.commands.feedback.Feedback`; the
entry points (:mod:`xlsozial.app.cli`, :mod:`xlsozial.app.excel`) only choose the adapter
and the feedback and turn errors into messages.
"""

from xlsozial.commands.calculation import calculate, check, report
from xlsozial.commands.exchange import collect, distribute, overview
from xlsozial.commands.feedback import Console, Feedback, Recorder
from xlsozial.commands.freezing import freeze

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
