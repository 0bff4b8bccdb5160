"""Blatt Karte: the Sozialräume shaded by Belastungsfaktor and by the change against the
Vorjahr, drawn in cells, so that it shows in Excel, LibreOffice and over the server alike.

With the schematic tile map each Sozialraum is one cell with its name and value. With the
office's boundaries the map is rasterised: each cell takes the grey of the Sozialraum under
its centre, the Sozialraum's number stands in the cell nearest its middle and the key below
names it; losses carry a „−“ in every cell, so a black-and-white print tells them apart.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from xlsozial.book import layout
from xlsozial.book.adapter import Block, SheetOutput
from xlsozial.book.paragraphs import lines
from xlsozial.domain.geo import (
    CHANGE_CLASSES,
    FACTOR_CLASSES,
    Boundaries,
    Ring,
    map_class,
)
from xlsozial.domain.german import money, number
from xlsozial.domain.results import Results

GREYS = ["EDEDED", "C8C8C8", "A3A3A3", "7F7F7F"]  # light to dark; black text stays legible
CHANGE_GREYS = [GREYS[3], GREYS[1], GREYS[1], GREYS[3]]  # size by grey, direction by „−“
RASTER_COLUMNS = 30


def _inside(x: float, y: float, ring: Ring) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def raster(shapes: Boundaries, columns: int = RASTER_COLUMNS) -> list[list[str | None]]:
    """Which Sozialraum lies under the centre of each cell (rows from the north)."""
    boxes = [
        (
            name,
            ring,
            min(x for x, _ in ring),
            max(x for x, _ in ring),
            min(y for _, y in ring),
            max(y for _, y in ring),
        )
        for name, rings in shapes.shapes.items()
        for ring in rings
    ]
    left, right = min(b[2] for b in boxes), max(b[3] for b in boxes)
    bottom, top = min(b[4] for b in boxes), max(b[5] for b in boxes)
    size = (right - left) / columns
    rows = max(1, math.ceil((top - bottom) * shapes.aspect / size))
    grid: list[list[str | None]] = []
    for r in range(rows):
        y = top - (r + 0.5) * size / shapes.aspect
        row: list[str | None] = []
        for c in range(columns):
            x = left + (c + 0.5) * size
            row.append(
                next(
                    (
                        n
                        for n, ring, x0, x1, y0, y1 in boxes
                        if x0 <= x <= x1 and y0 <= y <= y1 and _inside(x, y, ring)
                    ),
                    None,
                )
            )
        grid.append(row)
    return grid


def _tile_block(shapes: Boundaries, row: int, shade: dict[str, str], text: dict[str, str]) -> Block:
    positions = {
        name: (round(-rings[0][0][1]), round(rings[0][0][0]))
        for name, rings in shapes.shapes.items()
    }
    height = max(r for r, _ in positions.values()) + 1
    width = max(c for _, c in positions.values()) + 1
    values: list[list[Any]] = [[None] * width for _ in range(height)]
    fills: dict[tuple[int, int], str] = {}
    for name, (r, c) in positions.items():
        if name in shade:
            values[r][c] = text[name]
            fills[(r, c)] = shade[name]
    return _grid_block(row, values, fills, 26)


def _raster_block(
    grid: list[list[str | None]],
    row: int,
    shade: dict[str, str],
    marks: dict[str, str],
    numbers: dict[str, int],
) -> Block:
    values: list[list[Any]] = [[None] * len(grid[0]) for _ in grid]
    fills: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(grid):
        for c, name in enumerate(cells):
            if name is not None and name in shade:
                fills[(r, c)] = shade[name]
                values[r][c] = marks.get(name)
    for name, (r, c) in _label_cells(grid).items():
        values[r][c] = numbers[name]
    return _grid_block(row, values, fills, 3)


def _grid_block(
    row: int, values: list[list[Any]], fills: dict[tuple[int, int], str], column_width: float
) -> Block:
    """A map drawn in cells: shaded, no header, every column ``column_width`` wide."""
    widths: dict[int, float] = {c: column_width for c in range(len(values[0]))}
    return Block(row=row, col=1, values=values, header_rows=0, fills=fills, widths=widths)


def _label_cells(grid: list[list[str | None]]) -> dict[str, tuple[int, int]]:
    cells: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(grid):
        for c, name in enumerate(row):
            if name is not None:
                cells.setdefault(name, []).append((r, c))
    out = {}
    for name, where in cells.items():
        mr = sum(r for r, _ in where) / len(where)
        mc = sum(c for _, c in where) / len(where)
        out[name] = min(where, key=lambda rc: (rc[0] - mr) ** 2 + (rc[1] - mc) ** 2)
    return out


def _legend(row: int, steps: list[tuple[float, str]], greys: list[str], note: str) -> Block:
    values: list[list[Any]] = [["", label] for _, label in steps] + [["", note]]
    fills = {(i, 0): greys[i] for i in range(len(steps))}
    return Block(row=row, col=1, values=values, header_rows=0, fills=fills)


def map_sheet(res: Results, shapes: Boundaries, year: int) -> SheetOutput:
    factor = {a.name: GREYS[map_class(a.factor, FACTOR_CLASSES)] for a in res.areas}
    change_of = {a.name: a.paid - a.previous for a in res.areas}
    change = {k: CHANGE_GREYS[map_class(v, CHANGE_CLASSES)] for k, v in change_of.items()}
    blocks: list[Block] = []
    row = lines(blocks, 4, shapes.source if shapes.schematic else f"Grenzen: {shapes.source}")
    titles = ("Belastungsfaktor", f"Veränderung {year} gegenüber {year - 1} (€)")
    if shapes.schematic:
        factor_text = {a.name: f"{a.name}: {number(a.factor, 2)}" for a in res.areas}
        change_text = {k: f"{k}: {'+' if v > 0 else ''}{money(v, 0)}" for k, v in change_of.items()}
        parts = [(factor, factor_text), (change, change_text)]
        for title, (shade, text) in zip(titles, parts):
            row = lines(blocks, row + 1, title)
            block = _tile_block(shapes, row, shade, text)
            blocks.append(block)
            row += len(block.values)
    else:
        grid = raster(shapes)
        numbers = {a.name: i for i, a in enumerate(res.areas, start=1)}
        losses = {k: "−" for k, v in change_of.items() if v < 0}
        for title, shade, marks in zip(titles, (factor, change), ({}, losses)):
            row = lines(blocks, row + 1, title)
            blocks.append(_raster_block(grid, row, shade, marks, numbers))
            row += len(grid)
    legends = [
        (FACTOR_CLASSES, GREYS, "Belastungsfaktor"),
        (CHANGE_CLASSES, CHANGE_GREYS, "Veränderung; „−“: weniger als im Vorjahr"),
    ]
    for steps, greys, note in legends:
        blocks.append(_legend(row + 1, steps, greys, note))
        row += len(steps) + 2
    if not shapes.schematic:  # the key, one line each: the raster's columns are narrow
        for i, a in enumerate(res.areas, start=1):
            delta = a.paid - a.previous
            shown = ("+" if delta > 0 else "") + money(delta, 0)
            row = lines(
                blocks,
                row + (1 if i == 1 else 0),
                f"{i}  {a.name}: Belastungsfaktor {number(a.factor, 3)}, Veränderung {shown}",
            )
    if shapes.missing:
        lines(blocks, row + 1, "Ohne Fläche in der Karte: " + ", ".join(shapes.missing) + ".")
    return SheetOutput(
        sheet=layout.KARTE,
        title="Karte der Sozialräume",
        subtitle="Nach Belastungsfaktor und nach der Veränderung des tatsächlich gezahlten "
        "Budgets gegenüber dem Vorjahr (wie Anlage 8 der Beschlussvorlage).",
        blocks=blocks,
    )
