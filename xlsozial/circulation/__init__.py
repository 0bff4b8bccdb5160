"""The round of provider files: distribute one file per Sozialraumträger
(:mod:`.distribute`), collect what comes back (:mod:`.collect`) and keep the record of each
round in the workbook (:mod:`.rounds`).
"""
