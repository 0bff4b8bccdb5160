"""Entry points: the command line (:mod:`.cli`, :mod:`.cli_commands`), the functions the ribbon
calls in Excel (:mod:`.excel`, re-exported as ``xlsozial.excel`` for the workbook's VBA), the
headless wrappers tests and scripts use (:mod:`.headless`) and ``einrichten`` (:mod:`.setup`).
They choose an adapter and a feedback, call :mod:`xlsozial.commands`, and turn errors into
German messages and exit codes.
"""

import os

# Each press of a ribbon button (and each command line) starts a Python process for one
# command. xlsozial uses no pydantic plugins; without this, the first model scans every
# installed distribution's entry points for them (10–50 ms of each start, by machine).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
