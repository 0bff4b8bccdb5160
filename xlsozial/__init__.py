"""xlsozial: Sozialraumbudget for German Jugendämter, spreadsheet-native."""

__version__ = "0.1.0"
