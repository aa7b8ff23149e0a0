"""URL converters shared by every app's urls.py."""

from __future__ import annotations

from django.urls import register_converter

# The largest primary key any supported database stores: SQLite's INTEGER and
# PostgreSQL's bigint are both signed 64-bit. Beyond it SQLite raises OverflowError.
MAX_ID = 2**63 - 1


class IdConverter:
    """A database id: 1 to MAX_ID. Anything else does not match, so the reader gets a
    404 rather than a database error on a made-up number."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
