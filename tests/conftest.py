import os

os.environ.setdefault("OPENPYXL_LXML", "False")  # as xlsozial does: one serialisation
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
