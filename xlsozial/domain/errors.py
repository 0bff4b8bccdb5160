"""Input problems that carry their location, so a user can find the cell to fix.

Every reader (workbook, JSON) attaches an :class:`Origin` to the rows it builds; the core
and the validators report problems against it. One :class:`InputError` carries *all*
problems found, never just the first, because a finance officer fixing a workbook before a
meeting wants the whole list at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class Origin:
    """Where a row of input came from: a table row in a sheet or an object in a file.

    ``place`` names the row as a whole ("Gebiete!A7" or "eingabe.json, Zeile 14");
    ``cells`` maps field names to the exact cell or description of that field. Subclasses
    may compute both on demand (a large workbook has tens of thousands of rows).
    """

    __slots__ = ("_cells", "_place")

    def __init__(self, place: str, cells: Mapping[str, str] | None = None) -> None:
        self._place = place
        self._cells: Mapping[str, str] = cells or {}

    @property
    def place(self) -> str:
        return self._place

    def at(self, field_name: str | None = None) -> str:
        if field_name is None:
            return self.place
        return self._cells.get(field_name, self.place)

    def __repr__(self) -> str:
        return f"Origin({self.place!r})"


@dataclass(frozen=True)
class Problem:
    """One finding: where it is and what is wrong, in German."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(Exception):
    """Invalid input; holds every problem found so they can be fixed in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = "1 Problem in den Eingaben:" if count == 1 else f"{count} Probleme in den Eingaben:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class BookError(Exception):
    """A workbook-level failure that is not a cell problem (locked file, missing table)."""


class FileProblem(BookError):
    """A file cannot be used (exit code 3); the message is German and names the path."""


def where(origin: Origin | None, field_name: str | None = None, fallback: str = "") -> str:
    """Location text for a field of a row that may have no origin (built in code)."""
    return origin.at(field_name) if origin is not None else fallback


class UsageError(Exception):
    """The command was called wrongly (exit code 2): a German sentence on how to call it."""
