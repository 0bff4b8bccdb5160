"""The workbook package edited in place: only the parts xlsozial owns are rewritten.

``zipparts`` copies every other zip member with its compressed bytes untouched; ``sheetxml``,
``styles``, ``workbookxml`` and ``charts`` edit the few parts a run changes with lxml, so
whatever Excel put into a workbook (threaded comments, pictures, x14 formats, pivots, its
own markup) survives a headless run.
"""
