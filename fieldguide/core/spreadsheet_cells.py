"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection").

Every CSV the project writes goes through :func:`protect`; every CSV it reads goes
through :func:`unprotect`, so an export imports back to the same values.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read as a formula by Excel, LibreOffice or Google Sheets, so it is written with a single
quote in front, which spreadsheets show as text and hide. To keep the round trip
lossless, a cell that already begins with a quote followed by one of those characters
or by another quote gets one more quote; any other leading quote (``'tis``) is left
alone. Reading removes exactly one leading quote, and only in those two cases.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(value: str) -> bool:
    if value.startswith(FORMULA_STARTS):
        return True
    return value.startswith(QUOTE) and value[1:2] in (*FORMULA_STARTS, QUOTE)


def protect(value: object) -> str:
    """The cell as text a spreadsheet shows rather than evaluates."""
    text = "" if value is None else str(value)
    return QUOTE + text if _needs_quote(text) else text


def unprotect(text: str) -> str:
    """The value :func:`protect` was given."""
    if text.startswith(QUOTE) and text[1:2] in (*FORMULA_STARTS, QUOTE):
        return text[1:]
    return text


def protect_row(values: list) -> list[str]:
    return [protect(v) for v in values]
