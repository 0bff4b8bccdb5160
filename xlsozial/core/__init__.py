"""Pure computational core: no Excel, no files, no user-facing text; validated inputs in,
numbers out (:func:`solve`). :func:`xlsozial.evaluation.compute` adds validation and words."""

from xlsozial.core.pipeline import Solution, solve

__all__ = ["Solution", "solve"]
