"""Where the Sozialräume lie, for the maps (Blatt Karte, Anlage 8 of the Vorlage).

The office provides the boundaries as GeoJSON next to the workbook (``Sozialraeume.geojson``):
its own Sozialraum polygons, or municipalities (e.g. from the official VG250 open data, whose
name property is ``GEN``) – several features with the name of one Sozialraum are drawn as
one area. Features are matched to Sozialräume by name (Unicode NFC, case and spacing
ignored); a Sozialraum without a polygon is listed under the map, never guessed. The
collection's ``attribution`` (or ``source``/``quelle``) is printed as the source line, e.g.
„© GeoBasis-DE / BKG (2024), Datenlizenz Deutschland – Namensnennung 2.0“.

Without a file the map is a **schematic tile map**, clearly labelled as such: one equal
square per Sozialraum, grouped by region – it shows the figures, not the geography.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from xlsozial.domain.errors import InputError, Problem

GEOJSON = "Sozialraeume.geojson"
NAME_KEYS = ("name", "Name", "NAME", "sozialraum", "Sozialraum", "GEN")
SOURCE_KEYS = ("attribution", "source", "quelle", "Quelle")
SCHEMATIC = "Schematische Kachelkarte: jedes Feld ein Sozialraum, nach Regionen – keine Grenzen"

Ring = list[tuple[float, float]]


@dataclass
class Boundaries:
    shapes: dict[str, list[Ring]]  # Sozialraum → outer rings (x, y)
    source: str
    schematic: bool
    missing: list[str] = field(default_factory=list)  # Sozialräume without a polygon
    aspect: float = 1.0  # y stretch for geographic coordinates (1 / cos latitude)


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _rings(geometry: dict[str, Any]) -> list[Ring]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons: list[Any] = (
        [coords] if kind == "Polygon" else list(coords or []) if kind == "MultiPolygon" else []
    )
    rings: list[Ring] = []
    for polygon in polygons:
        if polygon:
            rings.append([(float(x), float(y)) for x, y, *_ in polygon[0]])
    return rings


def parse_geojson(text: str, where: str, areas: list[str]) -> Boundaries:
    """The office's boundaries (``text``, from the file ``where``) matched to ``areas``;
    InputError naming the file if it is no GeoJSON or matches no Sozialraum at all."""
    try:
        data = json.loads(text)
        features = data["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError([Problem(where, f"keine lesbare GeoJSON-Datei ({exc})")]) from None
    wanted = {_key(a): a for a in areas}
    shapes: dict[str, list[Ring]] = {}
    for feature in features:
        props = feature.get("properties") or {}
        name = next((str(props[k]) for k in NAME_KEYS if props.get(k)), "")
        area = wanted.get(_key(name))
        if area is not None:
            shapes.setdefault(area, []).extend(_rings(feature.get("geometry") or {}))
    if not shapes:
        raise InputError(
            [
                Problem(
                    where,
                    "kein Gebiet trägt den Namen eines Sozialraums (Eigenschaft "
                    f"{' / '.join(NAME_KEYS)})",
                )
            ]
        )
    name = where.replace("\\", "/").rsplit("/", 1)[-1]
    source = next((str(data[k]) for k in SOURCE_KEYS if data.get(k)), f"Grenzen: {name}")
    ys = [y for rings in shapes.values() for ring in rings for _, y in ring]
    middle = (min(ys) + max(ys)) / 2
    aspect = 1 / math.cos(math.radians(middle)) if abs(middle) < 80 else 1.0
    missing = [a for a in areas if a not in shapes]
    return Boundaries(shapes, source, False, missing, aspect)


def tiles(areas: list[tuple[str, str]]) -> Boundaries:
    """The schematic tile map of ``(Sozialraum, region)``: regions one after another in
    rows of equal squares."""
    columns = max(2, math.ceil(math.sqrt(len(areas))))
    shapes: dict[str, list[Ring]] = {}
    for i, (name, _) in enumerate(sorted(areas, key=lambda a: (a[1], a[0]))):
        x, y = i % columns, -(i // columns)
        shapes[name] = [[(x, y), (x + 0.95, y), (x + 0.95, y + 0.95), (x, y + 0.95), (x, y)]]
    return Boundaries(shapes, SCHEMATIC, True)


# The classes both maps shade by (Blatt Karte and Anlage 8), each (upper bound, legend).
FACTOR_CLASSES = [
    (0.9, "unter 0,90"),
    (1.0, "0,90 bis 1,00"),
    (1.1, "1,00 bis 1,10"),
    (math.inf, "1,10 und mehr"),
]
CHANGE_CLASSES = [  # change in cents against the Vorjahr
    (-500_000, "weniger als −5.000 €"),
    (0, "−5.000 bis 0 €"),
    (500_000, "0 bis +5.000 €"),
    (math.inf, "mehr als +5.000 €"),
]


def map_class(value: float, classes: list[tuple[float, str]]) -> int:
    """The index of the first class whose upper bound lies above ``value``."""
    return next(i for i, (upper, _) in enumerate(classes) if value < upper)
