"""The workbook contract: which sheets, tables, names and cells the workbook has
(:mod:`.layout`), how inputs are read from them (:mod:`.reader`), how results are written
(:mod:`.writer`, the output sheets in :mod:`.outputs`), the sheets of a new workbook
(:mod:`.build_sheets`) and the protocol every adapter implements (:mod:`.adapter`). Knows no
file format: the adapters in :mod:`xlsozial.adapters` do.
"""
