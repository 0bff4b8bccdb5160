"""The core applied to validated inputs: :func:`.compute.compute` runs the exact core and adds the
Prüfungen (:mod:`.checks`) and the method comparison of the Sensitivität sheet
(:mod:`.what_if`). Imports only :mod:`xlsozial.domain` and :mod:`xlsozial.core`.
"""
