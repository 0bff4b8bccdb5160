"""Ways to reach a workbook, and files: each adapter implements
:class:`xlsozial.book.adapter.BookAdapter` (the contract in :mod:`xlsozial.book`).

:mod:`.package` rewrites the .xlsm part by part (every headless write), :mod:`.openpyxl_book`
builds workbooks and provider files, :mod:`.xlwings_book` is the live book in Excel. Beside
them: atomic writes and locks (:mod:`.fileio`), paired writes (:mod:`.pairs`), the master
session (:mod:`.session`) and JSON in and out (:mod:`.io_json`).
"""
