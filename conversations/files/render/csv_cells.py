"""CSV the bot writes, safe to open in a spreadsheet (OWASP CSV injection).

A cell that starts with = + - @, a tab or a carriage return is a formula to Excel, LibreOffice
and Google Sheets: an imported account named =HYPERLINK(...) would run when the export is
opened. Such a cell gets a leading apostrophe, which spreadsheets show as text. Plain numbers
(a loss of -500.00) stay numbers: they cannot be formulas, and the sheet must add them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """A cell read back from one of our exports: the apostrophe safe_cell added comes off."""
    if text.startswith("'") and text[1:].startswith(DANGEROUS_START):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])
