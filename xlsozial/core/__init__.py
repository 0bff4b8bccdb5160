"""Pure computational core: no Excel, no files, no user-facing text; validated inputs in,
numbers out (:func:`solve`). :func:`xlsozial.evaluation.compute.compute` adds the Prüfungen
and words."""

from xlsozial.core.pipeline import solve
from xlsozial.core.stages import Solution

__all__ = ["Solution", "solve"]
