"""The headless adapter: the workbook's own zip package, read and rewritten part by part
(:mod:`.package_book`), its OOXML parts (:mod:`.ooxml`) and the checks that a package is
usable and a save kept what it must (:mod:`.integrity`).
"""
