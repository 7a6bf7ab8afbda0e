"""Cells of the CSV files the portal writes, made safe to open in a spreadsheet.

A spreadsheet program reads a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or a carriage return) as a formula, which can run commands or send data
elsewhere. As OWASP advises for CSV injection, every CSV the portal writes puts a single
quote before such a text cell; numbers are written as they are. JSON and XLSX keep the text
exactly as recorded (XLSX stores it as a text cell, never as a formula).
"""

from django.db.models import Func, TextField, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How the API's OpenAPI document describes this.
CSV_CELLS_NOTE = (
    "Text beginning with =, +, -, @, a tab or a carriage return is written with a single "
    "quote (') before it, so that spreadsheet programs show it instead of running it as a "
    "formula; numbers are written as they are. Ask for JSON to get text exactly as recorded."
)


def csv_text_cell(text: str) -> str:
    """``text`` as a CSV cell: with a leading ``'`` if it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CSVTextCell(Func):
    """:func:`csv_text_cell` in SQL, for CSV that PostgreSQL writes itself (``COPY``): one
    anchored ``regexp_replace`` per cell, which reads its argument once."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression, **extra):
        starts = "^([-=+@\t\r])"  # FORMULA_STARTS as a regular expression (with a real tab/CR)
        super().__init__(expression, Value(starts), Value("'\\1"), **extra)
