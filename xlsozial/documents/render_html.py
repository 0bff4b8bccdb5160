"""A :class:`~.paper.Paper` as HTML for WeasyPrint: semantic elements (headings, lists,
table headers, figures with alt text), so the PDF is tagged, has bookmarks per section and
reads in order with a screen reader."""

from __future__ import annotations

import base64
from html import escape
from importlib.resources import files

from xlsozial.documents.paper import (
    Annex,
    Block,
    Box,
    Figure,
    Heading,
    Paper,
    Points,
    Table,
    Text,
)

DRAFT = "ENTWURF – Prüfungen nicht bestanden"
SHORT_ROWS = 12  # a table this short is never split over two pages


def css() -> str:
    return files("xlsozial.documents").joinpath("vorlage.css").read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_rules(paper: Paper, extra_css: str) -> str:
    rules = (
        f"@page {{ @top-left {{ content: {_css_string(paper.authority)}; }} "
        f"@top-right {{ content: {_css_string(paper.running)}; }} }}\n"
    )
    if paper.draft:  # on every page, readable in black and white; the authority moves down
        rules += (
            f"@page {{ @top-left {{ content: {_css_string('▲ ' + DRAFT)}; font-weight: bold; "
            "font-size: 10.5pt; color: #000; } "
            f"@bottom-left {{ content: {_css_string(paper.authority)}; font-size: 8.5pt; }} }}\n"
        )
    return css() + rules + extra_css


def document(paper: Paper, extra_css: str = "", annex: Annex | None = None) -> str:
    """The whole Vorlage with its Anlagen, or (``annex``) one Anlage as its own file."""
    title = paper.title if annex is None else f"{annex.label}: {annex.title} – {paper.title}"
    parts = [
        '<!doctype html><html lang="de-DE"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f'<meta name="author" content="{escape(paper.authority)}">',
        f'<meta name="description" content="{escape(paper.running)}">',
        '<meta name="keywords" content="Beschlussvorlage, Sozialraumbudget, Jugendhilfe">',
        '<meta name="generator" content="xlsozial">',
        f"<style>{_page_rules(paper, extra_css)}</style></head><body>",
        f'<p class="authority">{escape(paper.authority)}</p>',
    ]
    if annex is None:
        parts += _main(paper)
        parts += [_annex(a, first=False) for a in paper.annexes]
    else:
        number = next((v for k, v in paper.head if k == "Vorlage-Nr." and v != "–"), "")
        of = f"zur Vorlage {escape(number)}" if number else "zur Vorlage"  # no number yet
        parts.append(f"<p>{escape(annex.label)} {of}: {escape(paper.title)}</p>")
        parts += [_box(b) for b in paper.notices if b.title.startswith("ENTWURF")]
        parts.append(_annex(annex, first=True))
    parts.append("</body></html>")
    return "".join(parts)


def _main(paper: Paper) -> list[str]:
    out = [f"<h1>{escape(paper.title)}</h1>", '<table class="head">']
    out += [f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in paper.head]
    out.append("</table>")
    out.append(_table(paper.consultation))
    out += [_box(b) for b in paper.notices]
    for section in paper.sections:
        out.append(f"<section><h2>{escape(section.title)}</h2>")
        out += [_block(b) for b in section.blocks]
        out.append("</section>")
    return out


def anchor(annex: Annex) -> str:
    return "anlage-" + "".join(c for c in annex.label.lower() if c.isalnum())


def _annex(annex: Annex, first: bool) -> str:
    cls = "" if first else ' class="annex"'
    body = "".join(_block(b, annex=True) for b in annex.blocks)
    title = f"{escape(annex.label)}: {escape(annex.title)}"
    return f'<section{cls}><h2 id="{anchor(annex)}">{title}</h2>{body}</section>'


def _text(text: str) -> str:
    """Escaped, with the unit bound to its number: „210.000.000 €“ never breaks before „€“."""
    return escape(text).replace(" €", "\u00a0€").replace(" %", "\u00a0%")


def _block(block: Block, annex: bool = False) -> str:
    if isinstance(block, Heading):
        level = min(4, block.level + 1)
        if annex and block.level == 2:  # a region's page in Anlage 6
            return f'<h3 class="page">{escape(block.text)}</h3>'
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Text):
        lead = f"<strong>{escape(block.lead)}</strong> " if block.lead else ""
        cls = ' class="small"' if block.small else ""
        return f"<p{cls}>{lead}{_text(block.text)}</p>"
    if isinstance(block, Points):
        # The numbers are text (a reader copies and quotes them), not list markers.
        items = "".join(
            f'<li><span class="lbl">{n}.</span> {_text(i)}</li>'
            for n, i in enumerate(block.items, start=1)
        )
        return f'<ol class="points">{items}</ol>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
        return (
            f'<figure><img alt="{escape(block.alt)}" src="data:image/svg+xml;base64,{data}">'
            f"<figcaption>{escape(block.caption)}</figcaption></figure>"
        )
    return _box(block)


def _box(box: Box) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in box.lines)
    return f'<div class="box"><p class="title">{escape(box.title)}</p><ul>{items}</ul></div>'


def _cell(tag: str, text: str, col: int, table: Table, scope: str = "") -> str:
    classes = [c for c, on in (("num", col in table.numeric), ("hi", col == table.highlight)) if on]
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return f"<{tag}{scope}{cls}>{escape(text)}</{tag}>"


def _table(table: Table) -> str:
    head = "".join(_cell("th", h, i, table, ' scope="col"') for i, h in enumerate(table.head))
    rows = []
    for r, row in enumerate(table.rows):
        cls = ' class="total"' if table.total and r == len(table.rows) - 1 else ""
        cells = "".join(_cell("td", str(v), i, table) for i, v in enumerate(row))
        rows.append(f"<tr{cls}>{cells}</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    body = "".join(rows)
    short = ' class="short"' if len(table.rows) <= SHORT_ROWS else ""
    return (
        f"<table{short}>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
    )
