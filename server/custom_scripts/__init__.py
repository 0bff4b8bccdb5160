"""xlsozial's ribbon commands as xlwings Server scripts: one per button, named as the
button's function in ``xlsozial.excel`` (``berechnen``, ``pruefen`` …).

The workbook's VBA calls ``RunRemotePython "<server>/xlwings/custom-scripts-call/berechnen"``
(after ``xlsozial einrichten --server URL``); xlwings Server hands each script the calling
book and the logged-in user. The work is :func:`xlsozial.app.remote.run_on_book`.
"""

import xlwings as xw
from xlwings.server import script
from xlwings_server.models import CurrentUser

from xlsozial.app.remote import SCRIPTS, run_on_book


def _script(name: str):  # type: ignore[no-untyped-def]
    def command(book: xw.Book, current_user: CurrentUser) -> None:
        run_on_book(name, book, getattr(current_user, "name", None) or None)

    command.__name__ = command.__qualname__ = name
    command.__doc__ = f"Menüband: {name}"
    return script(command)


for _name in SCRIPTS:
    globals()[_name] = _script(_name)
