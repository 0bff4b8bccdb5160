"""xlsozial's own routes on xlwings Server (loaded by xlwings Server from
``routers/custom.py``): the page of each workbook's files in the Ablage, see
:mod:`xlsozial.app.remote_web`."""

from xlsozial.app.remote_web import router

__all__ = ["router"]
