"""What a command tells the person who started it, whatever the front end.

The service functions in this package report through this small interface; the command
line passes a console implementation, the ribbon buttons an Excel one (status bar, message
box, highlighted cells). Tests pass :class:`Recorder` and read what a user would have seen.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Feedback(Protocol):
    def status(self, text: str | None) -> None:
        """A short line while work goes on; ``None`` clears it."""

    def progress(self, done: int, total: int, item: str) -> None:
        """``done`` of ``total`` steps, ``item`` the one being worked on."""

    def alert(self, text: str, critical: bool = False) -> None:
        """A message the user must read: critical ones are warnings or errors."""

    def mark(self, places: Sequence[str]) -> None:
        """Point at cells (``'Sheet'!A1``) that need the user's attention."""


@dataclass
class Recorder:
    """Keeps everything a command said; for tests and for runs without a screen."""

    statuses: list[str | None] = field(default_factory=list)
    steps: list[tuple[int, int, str]] = field(default_factory=list)
    alerts: list[tuple[str, bool]] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)

    def status(self, text: str | None) -> None:
        self.statuses.append(text)

    def progress(self, done: int, total: int, item: str) -> None:
        self.steps.append((done, total, item))

    def alert(self, text: str, critical: bool = False) -> None:
        self.alerts.append((text, critical))

    def mark(self, places: Sequence[str]) -> None:
        self.marks.extend(places)


PENDING: list[tuple[str, bool]] = []  # the Console's alerts of the running command


def flush(keep: bool) -> None:
    """Print the held-back alerts (the command finished) or drop them (it failed)."""
    if keep:
        for text, critical in PENDING:
            print(text, file=sys.stderr if critical else sys.stdout)
    PENDING.clear()


class Console:
    """The terminal: alerts on stdout (critical ones on stderr), a progress bar for long runs."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def status(self, text: str | None) -> None:
        """The terminal shows results, not intermediate states."""

    def progress(self, done: int, total: int, item: str) -> None:
        if total < 2:
            return
        if self._bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("Rückläufer prüfen"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)
        self._bar.update(self._task, completed=done, description=item)
        if done >= total:
            self._bar.stop()
            self._bar = None

    def alert(self, text: str, critical: bool = False) -> None:
        """Held back until the command has finished: a success line must never stand above
        the message that the file could not be written after all (see :func:`flush`)."""
        PENDING.append((text, critical))

    def mark(self, places: Sequence[str]) -> None:
        """Every problem message already names its cell."""
