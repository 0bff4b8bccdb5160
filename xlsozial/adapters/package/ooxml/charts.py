"""Native bar charts of an output sheet: chart parts, the sheet's drawing, their wiring.

xlsozial owns the charts it draws on an output sheet and nothing else there: pictures or
shapes a user placed in the same drawing stay, only the chart anchors are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from xlsozial.adapters.package.ooxml.opc import (
    A_NS,
    CHART_NS,
    CT_CHART,
    CT_DRAWING,
    DRAWING_NS,
    REL_NS,
    T_CHART,
    T_DRAWING,
    ContentTypes,
    Rels,
    free_member,
    parse,
    q,
    rels_path,
    serialise,
)
from xlsozial.adapters.package.ooxml.sheetxml import drop, put
from xlsozial.adapters.package.ooxml.zipparts import Package


def escape(text: str) -> str:
    """XML text escaping (xml.sax.saxutils would import urllib.request, http and ssl)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


MARK = "xlsozial"  # the name of each chart xlsozial draws starts with this
WIDTH_EMU, HEIGHT_EMU = 8_640_000, 3_240_000  # 24 cm × 9 cm


@dataclass(frozen=True)
class ChartRefs:
    title: str
    y_title: str
    stacked: bool
    categories: str  # "'Sheet'!$A$5:$A$14"
    series: tuple[tuple[str, str], ...]  # (title cell, values range)
    anchor_row: int  # 0-based
    anchor_col: int


TEXT_10PT = (
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1000"/></a:pPr>'
    '<a:endParaRPr lang="de-DE"/></a:p></c:txPr>'
)


def _rich(text: str) -> str:
    return (
        "<c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:t>"
        f"{escape(text)}</a:t></a:r></a:p></c:rich></c:tx>"
    )


def chart_xml(spec: ChartRefs) -> bytes:
    series = "".join(
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef><c:f>{escape(tx)}</c:f>'
        f"</c:strRef></c:tx><c:cat><c:strRef><c:f>{escape(spec.categories)}</c:f></c:strRef>"
        f"</c:cat><c:val><c:numRef><c:f>{escape(values)}</c:f></c:numRef></c:val></c:ser>"
        for i, (tx, values) in enumerate(spec.series)
    )
    grouping = "stacked" if spec.stacked else "clustered"
    overlap = '<c:overlap val="100"/>' if spec.stacked else ""
    text = (
        f'<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{A_NS}" xmlns:r="{REL_NS}">'
        f'<c:chart><c:title>{_rich(spec.title)}<c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart>'
        f'<c:barDir val="col"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>{series}'
        f'<c:gapWidth val="150"/>{overlap}<c:axId val="10"/><c:axId val="100"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="100"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:title>{_rich(spec.y_title)}'
        '<c:overlay val="0"/></c:title>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="10"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
        '</c:plotArea><c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        # 10 pt for every text of the chart, so it prints at ≥ 8 pt on a sheet printed at 80 %
        f"{TEXT_10PT}</c:chartSpace>"
    )
    return serialise(parse(text.encode("utf-8")))


def _anchor(spec: ChartRefs, rel_id: str, shape_id: int) -> etree._Element:
    xdr = DRAWING_NS
    text = (
        f'<xdr:oneCellAnchor xmlns:xdr="{xdr}" xmlns:a="{A_NS}" xmlns:c="{CHART_NS}" '
        f'xmlns:r="{REL_NS}"><xdr:from><xdr:col>{spec.anchor_col}</xdr:col><xdr:colOff>0'
        f"</xdr:colOff><xdr:row>{spec.anchor_row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f'<xdr:ext cx="{WIDTH_EMU}" cy="{HEIGHT_EMU}"/><xdr:graphicFrame macro="">'
        f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{shape_id}" name="{MARK} {shape_id}" '
        f'descr="{escape(spec.title)}"/>'
        '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData '
        f'uri="{CHART_NS}"><c:chart r:id="{rel_id}"/></a:graphicData></a:graphic>'
        "</xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>"
    )
    return parse(text.encode("utf-8"))


def _ours(anchor: etree._Element, pkg: Package, drels: Rels, titles: set[str]) -> bool:
    """A chart xlsozial drew: marked by its name; or, from workbooks written by earlier
    versions through openpyxl, a chart part without Excel's ``c:`` prefix, or one that
    Excel has saved since and that still carries the title xlsozial gives this sheet's
    chart (so a master resaved in Excel does not collect a copy per run)."""
    chart = anchor.find(".//" + q("chart", CHART_NS))
    if chart is None:
        return False
    props = anchor.find(".//" + q("cNvPr", DRAWING_NS))
    if props is not None and props.get("name", "").startswith(MARK + " "):
        return True
    target = drels.target(chart.get(q("id", REL_NS), ""))
    if target is None or target not in pkg:
        return False
    part = parse(pkg.get(target))
    if part.prefix is None:
        return True
    title = part.find(f".//{{{CHART_NS}}}chart/{{{CHART_NS}}}title")
    text = "".join(t.text or "" for t in title.iter(q("t", A_NS))) if title is not None else ""
    legacy = props is not None and props.get("name", "").startswith("Chart ")
    return legacy and text in titles


def replace_charts(
    pkg: Package,
    types: ContentTypes,
    sheet_root: etree._Element,
    sheet_rels: Rels,
    specs: list[ChartRefs],
) -> None:
    """The sheet's chart anchors become ``specs``; other drawing content stays."""
    gone: list[str] = []  # chart parts dropped; their names may be taken again below
    node = sheet_root.find(q("drawing"))
    rel_id = node.get(q("id", REL_NS)) if node is not None else None
    member = sheet_rels.target(rel_id) if rel_id else None
    if member is not None and member in pkg:
        drawing = parse(pkg.get(member))
        drels = Rels(member, pkg.get(rels_path(member)) if rels_path(member) in pkg else None)
        titles = {spec.title for spec in specs}
        for anchor in [a for a in drawing if _ours(a, pkg, drels, titles)]:
            chart = anchor.find(".//" + q("chart", CHART_NS))
            chart_id = chart.get(q("id", REL_NS)) if chart is not None else None
            target = drels.target(chart_id) if chart_id else None
            if target is not None:
                pkg.remove(target)
                pkg.remove(rels_path(target))
                gone.append(target)
            if chart_id:
                drels.drop(chart_id)
            drawing.remove(anchor)
    else:
        if not specs:
            return
        member = free_member(pkg.names, "xl/drawings/drawing{n}.xml")
        drawing = etree.Element(q("wsDr", DRAWING_NS), nsmap={"xdr": DRAWING_NS, "a": A_NS})
        drels = Rels(member, None)
        types.override(member, CT_DRAWING)
        if rel_id is not None:
            sheet_rels.drop(rel_id)
        rel_id = sheet_rels.add(T_DRAWING, member)
        drop(sheet_root, "drawing")
        put(sheet_root, etree.Element(q("drawing"), {q("id", REL_NS): rel_id}))
    used = [int(n.get("id", "0")) for n in drawing.iter(q("cNvPr", DRAWING_NS))]
    shape_id = max(used, default=0)
    for spec in specs:
        chart_member = free_member(pkg.names, "xl/charts/chart{n}.xml")
        pkg.set(chart_member, chart_xml(spec))
        types.override(chart_member, CT_CHART)
        shape_id += 1
        drawing.append(_anchor(spec, drels.add(T_CHART, chart_member), shape_id))
    for target in gone:
        if target not in pkg:
            types.remove(target)
    if len(drawing) == 0:
        _remove_drawing(pkg, types, sheet_root, sheet_rels, member, rel_id)
        return
    pkg.set(member, serialise(drawing))
    pkg.set(rels_path(member), serialise(drels.root))


def _remove_drawing(
    pkg: Package,
    types: ContentTypes,
    sheet_root: etree._Element,
    sheet_rels: Rels,
    member: str,
    rel_id: str | None,
) -> None:
    pkg.remove(member)
    pkg.remove(rels_path(member))
    types.remove(member)
    if rel_id:
        sheet_rels.drop(rel_id)
    drop(sheet_root, "drawing")
