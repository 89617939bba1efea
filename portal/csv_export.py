"""CSV downloads that are safe to open in a spreadsheet (OWASP ASVS 5.0 1.2.10).

A cell that begins with =, +, -, @, a tab or a carriage return would be read as a formula
by Excel or LibreOffice; it is written with a leading apostrophe, so it is shown as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole file, starting with a byte order mark so that spreadsheets read the UTF-8
    (Welsh letters such as ŵ and ŷ) correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()
