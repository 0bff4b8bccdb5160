"""What a Beschlussvorlage consists of, independent of how it is rendered (PDF or Word).

Texts are plain strings (no markup): the renderers escape them. Amounts arrive as printed
text (whole euros, German format), so the PDF, the Word file and every Anlage show the same
figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xlsozial.domain.german import number


def eur(cents: int) -> str:
    """Whole euros, rounded half up (kaufmännisch): 736.698,50 € prints as 736.699 €."""
    return f"{number(half_up_euros(cents), 0)} €"


def half_up_euros(cents: int) -> int:
    whole, rest = divmod(abs(cents), 100)
    whole += rest >= 50
    return whole if cents >= 0 else -whole


def signed_eur(cents: int) -> str:
    return ("+" if cents > 0 else "") + eur(cents)


def pct(value: float | None) -> str:
    return "–" if value is None else ("+" if value > 0 else "") + number(value * 100, 1) + " %"


def trend(delta: int) -> str:
    """Word and arrow: readable without colour."""
    return "▲ mehr" if delta > 0 else "▼ weniger" if delta < 0 else "= gleich"


def rounding_note(columns: list[tuple[list[int], int]]) -> str:
    """A printed Summe must equal the sum of the printed rows, or say why not."""
    if all(
        sum(half_up_euros(v) for v in values) == half_up_euros(total) for values, total in columns
    ):
        return ""
    return (
        "Beträge einzeln auf volle Euro gerundet; die Summe ist die gerundete Summe der genauen "
        "Beträge und kann daher von der Summe der gedruckten Zeilen um wenige Euro abweichen."
    )


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3


@dataclass(frozen=True)
class Text:
    text: str
    lead: str = ""  # words in bold before the text
    small: bool = False


@dataclass(frozen=True)
class Points:
    """The numbered points of the Beschlussvorschlag, each voted on."""

    items: list[str]


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # right-aligned, never broken (amounts)
    total: bool = False  # the last row is a Summe
    highlight: int | None = None  # the chosen model's column
    caption: str = ""
    note: str = ""  # under the table, e.g. how it was rounded


@dataclass(frozen=True)
class Figure:
    svg: str  # vector graphics
    alt: str  # what a screen reader says instead
    caption: str


@dataclass(frozen=True)
class Box:
    """A framed notice on page 1 (a draft's failed checks, or what to correct)."""

    title: str
    lines: list[str]


Block = Heading | Text | Points | Table | Figure | Box


@dataclass(frozen=True)
class Section:
    title: str
    blocks: Sequence[Block]


@dataclass(frozen=True)
class Annex:
    number: str
    title: str
    blocks: Sequence[Block]

    @property
    def label(self) -> str:
        return f"Anlage {self.number}" if self.number[0].isdigit() else self.number

    def file_name(self, stem: str) -> str:
        words = "".join(c if c.isalnum() else "_" for c in self.title).strip("_")
        while "__" in words:
            words = words.replace("__", "_")
        return f"{stem}_{self.label.replace(' ', '_')}_{words}.pdf"


@dataclass(frozen=True)
class Paper:
    authority: str
    title: str  # the Betreff
    running: str  # right part of the running header
    head: list[tuple[str, str]]
    consultation: Table
    notices: list[Box]
    sections: list[Section]
    annexes: list[Annex] = field(default_factory=list)
    draft: list[str] = field(default_factory=list)  # failed Prüfungen: the paper is a draft
