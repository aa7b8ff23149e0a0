"""Sorting admin tables by a validated ``?sort=`` parameter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def sort_rows(
    rows: Sequence[Any], requested: str, keys: dict[str, Callable[[Any], Any]], default: str
) -> tuple[list[Any], str, str]:
    """Rows sorted by ``requested`` (a key name, "-" first for descending).

    Returns the rows, the sort actually used and an error message naming the bad value
    (empty when ``requested`` was valid or empty). Missing values sort first.
    """
    error = ""
    if requested and requested.lstrip("-") not in keys:
        error = f"Cannot sort by {requested!r}: choose one of {', '.join(sorted(keys))}."
        requested = ""
    used = requested or default
    key = keys[used.lstrip("-")]
    ordered = sorted(rows, key=lambda row: (key(row) is not None, key(row)))
    if used.startswith("-"):
        ordered.reverse()
    return ordered, used, error
