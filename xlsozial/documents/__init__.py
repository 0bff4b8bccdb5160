"""The Beschlussvorlage and its Anlagen: content built once (:mod:`.paper`, :mod:`.vorlage`,
:mod:`.annexes`), rendered to an archivable, tagged PDF (:mod:`.render_html`, :mod:`.files`)
and to an editable Word document for the council information system (:mod:`.render_docx`)."""
