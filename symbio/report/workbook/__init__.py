"""The results workbook (.xlsx): every result table with units, formats and definitions."""
