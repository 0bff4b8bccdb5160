"""The map of the Beschlussvorlage: the office's boundaries matched by name, the areas
without a polygon listed (never guessed), the source line printed; without a file, a
schematic tile map that says it is one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import simple_inputs

from xlsozial.documents.geo import boundaries_for, read_geojson
from xlsozial.documents.map import annex_map
from xlsozial.documents.paper import Figure, Text
from xlsozial.domain.errors import InputError
from xlsozial.domain.geo import GEOJSON
from xlsozial.evaluation.compute import compute

KEY = "coordinates"
ATTRIBUTION = "© GeoBasis-DE / BKG (2024), Datenlizenz Deutschland – Namensnennung 2.0"


def square(x: float, y: float) -> dict[str, object]:
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(name: str, geometry: dict[str, object], key: str = "GEN") -> dict[str, object]:
    return {"type": "Feature", "properties": {key: name}, "geometry": geometry}


def write(folder: Path, features: list[dict[str, object]]) -> Path:
    path = folder / GEOJSON
    data = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_municipalities_are_matched_to_sozialraeume_by_name(tmp_path: Path) -> None:
    # Nord is two municipalities (VG250's GEN); „ mitte “ matches Mitte; Süd has no polygon;
    # Westen is no Sozialraum and is left out.
    path = write(
        tmp_path,
        [
            feature("Nord", square(10.0, 53.2)),
            feature("Nord", {"type": "MultiPolygon", "coordinates": [square(10.1, 53.2)[KEY]]}),
            feature(" mitte ", square(10.0, 53.1), key="name"),
            feature("Westen", square(9.9, 53.1)),
        ],
    )
    shapes = read_geojson(path, ["Nord", "Mitte", "Süd"])
    assert sorted(shapes.shapes) == ["Mitte", "Nord"] and len(shapes.shapes["Nord"]) == 2
    assert shapes.missing == ["Süd"] and shapes.source == ATTRIBUTION and not shapes.schematic
    assert shapes.aspect == pytest.approx(1 / 0.5995, rel=1e-2)  # 1 / cos(53.2°)


def test_a_file_that_is_no_geojson_or_matches_nothing_is_named(tmp_path: Path) -> None:
    bad = tmp_path / GEOJSON
    bad.write_text("{kein json", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_geojson(bad, ["Nord"])
    assert str(bad) in str(caught.value.problems[0])
    other = write(tmp_path, [feature("Irgendwo", square(0, 0))])
    with pytest.raises(InputError) as nothing:
        read_geojson(other, ["Nord"])
    assert "kein Gebiet trägt den Namen eines Sozialraums" in nothing.value.problems[0].message


def test_the_map_page_lists_what_it_could_not_draw_and_names_the_source(tmp_path: Path) -> None:
    inputs = simple_inputs()
    res = compute(inputs)
    write(tmp_path, [feature("Nord", square(10.0, 53.2)), feature("Mitte", square(10.0, 53.1))])
    workbook = tmp_path / "Mappe.xlsm"
    shapes = boundaries_for(workbook, [(a.name, a.region) for a in res.areas])
    annex = annex_map(res, shapes, 2027)
    texts = " ".join(b.text for b in annex.blocks if isinstance(b, Text))
    assert "Ohne Fläche in der Karte" in texts and "Süd" in texts
    assert f"Quelle der Grenzen: {ATTRIBUTION}" in texts
    svg = next(b for b in annex.blocks if isinstance(b, Figure)).svg
    assert "Nord" in svg and "Mitte" in svg and "weniger als −5.000 €" in svg


def test_without_boundaries_the_map_is_a_schematic_tile_map_and_says_so() -> None:
    res = compute(simple_inputs())
    shapes = boundaries_for(None, [(a.name, a.region) for a in res.areas])
    assert shapes.schematic and sorted(shapes.shapes) == sorted(a.name for a in res.areas)
    texts = " ".join(b.text for b in annex_map(res, shapes, 2027).blocks if isinstance(b, Text))
    assert "Schematische Darstellung ohne echte Grenzen" in texts


def test_a_district_of_400_sozialraeume_gets_a_map_without_names() -> None:
    from xlsozial.domain.example import synthetic_inputs

    res = compute(synthetic_inputs(400, 4, 10, 2))
    shapes = boundaries_for(None, [(a.name, a.region) for a in res.areas])
    annex = annex_map(res, shapes, 2027)
    svg = next(b for b in annex.blocks if isinstance(b, Figure)).svg
    assert res.areas[0].name not in svg and "Belastungsfaktor" in svg
    texts = " ".join(b.text for b in annex.blocks if isinstance(b, Text))
    assert "Bei 400 Sozialräumen trägt die Karte keine Namen" in texts


def test_the_raster_puts_each_cell_in_the_sozialraum_under_its_centre() -> None:
    from xlsozial.book.outputs_map import raster
    from xlsozial.domain.geo import Boundaries

    west = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    east = [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)]
    grid = raster(Boundaries({"West": [west], "Ost": [east]}, "", False), columns=4)
    assert grid == [["West", "West", "Ost", "Ost"], ["West", "West", "Ost", "Ost"]]


def test_blatt_karte_draws_the_office_s_boundaries_and_names_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bookutil import copy_bundled, sha
    from openpyxl import load_workbook

    from xlsozial.app.cli import main
    from xlsozial.book import layout

    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0  # no file: the schematic tile map
    tiles_text = [c.value for r in load_workbook(book)[layout.KARTE].iter_rows() for c in r]
    assert "Adendorf: 0,99" in tiles_text
    shapes = [feature("Adendorf", square(10.0, 53.3)), feature("SG Ilmenau", square(10.1, 53.2))]
    write(tmp_path, shapes)
    assert main(["berechnen", str(book)]) == 0
    ws = load_workbook(book)[layout.KARTE]
    text = " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)
    assert f"Grenzen: {ATTRIBUTION}" in text and "1  Adendorf: Belastungsfaktor 0,992" in text
    assert "Ohne Fläche in der Karte: Amt Neuhaus" in text
    (tmp_path / GEOJSON).write_text("{kaputt", encoding="utf-8")
    before = sha(book)
    assert main(["berechnen", str(book)]) == 1
    assert GEOJSON in capsys.readouterr().err and sha(book) == before
