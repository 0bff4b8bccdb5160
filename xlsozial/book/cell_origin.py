"""Where a table row was read: its cells, its column heads and its name, so a problem
names the cell, the column and the Sozialraum (or SRT, indicator …) of the row."""

from __future__ import annotations

from xlsozial.book.adapter import address
from xlsozial.domain.errors import Origin

ROW_NAMES = ("name", "area", "key", "project", "region", "category", "position")


class CellOrigin(Origin):
    """A table row's origin; cell addresses are formatted only when a problem needs them."""

    __slots__ = ("columns", "first_col", "labels", "row", "row_name", "sheet")

    def __init__(
        self,
        sheet: str,
        row: int,
        first_col: int,
        columns: dict[str, int],
        labels: dict[str, str] | None = None,
        row_name: str = "",
    ) -> None:
        super().__init__("")
        self.sheet, self.row, self.first_col, self.columns = sheet, row, first_col, columns
        self.labels, self.row_name = labels or {}, row_name

    def context(self, field_name: str | None) -> str:
        """„Spalte …, Zeile …“: a cell address alone does not tell which Sozialraum it is."""
        parts = []
        if field_name in self.labels:
            parts.append(f"Spalte „{self.labels[field_name]}“")
        if self.row_name:
            parts.append(f"Zeile „{self.row_name}“")
        return ", ".join(parts)

    @property
    def place(self) -> str:
        return address(self.sheet, self.row, self.first_col)

    def at(self, field_name: str | None = None) -> str:
        col = self.columns.get(field_name) if field_name is not None else None
        return address(self.sheet, self.row, col) if col is not None else self.place
