"""The boundaries next to the workbook: ``Sozialraeume.geojson`` if the office put one
there (:mod:`xlsozial.domain.geo` reads it), else the schematic tile map."""

from __future__ import annotations

from pathlib import Path

from xlsozial.domain.errors import InputError, Problem
from xlsozial.domain.geo import GEOJSON, Boundaries, parse_geojson, tiles


def read_geojson(path: Path, areas: list[str]) -> Boundaries:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), f"nicht lesbar ({exc})")]) from None
    return parse_geojson(text, str(path), areas)


def boundaries_for(workbook: Path | None, areas: list[tuple[str, str]]) -> Boundaries:
    """The office's GeoJSON next to the workbook, else the schematic tile map."""
    if workbook is not None and workbook.is_absolute() and (workbook.parent / GEOJSON).is_file():
        return read_geojson(workbook.parent / GEOJSON, [a for a, _ in areas])
    return tiles(areas)
