"""xlsozial: Sozialraumbudget for German Jugendämter, spreadsheet-native."""

import os

# openpyxl serialises differently when lxml is installed (namespace prefixes, attribute
# order). The checked-in workbook must equal the build on every machine, so xlsozial always
# uses openpyxl's own writer, whether or not some other package brought lxml along.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
