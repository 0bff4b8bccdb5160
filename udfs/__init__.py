"""xlwings UDF modules of the Sozialraumbudget workbook (config: UDF Modules = udfs.sozialraum)."""
