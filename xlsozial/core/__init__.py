"""Pure computational core: no Excel, no files, only validated inputs and results."""

from xlsozial.core.pipeline import compute

__all__ = ["compute"]
