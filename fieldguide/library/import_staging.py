"""Imports staged in the editor's session between upload, preview and apply.

Only the server writes the staged entries (parsed and validated at upload), so the
preview's form carries nothing but a choice per entry; each entry is validated again
when it is applied (`importing.apply`), against the database as it is then.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.http import HttpRequest

from .csl import NAME_VARIABLES
from .formats import ParsedEntry
from .importing import Outcome, build, find_duplicate, normalise_title
from .models import Resource

SESSION_KEY = "library_imports"
MAX_STAGED = 3
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def _showable(text: str) -> str:
    """`text` with anything a page cannot be sent with (lone surrogates) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def stage(request: HttpRequest, source: str, entries: list[ParsedEntry]) -> str:
    """Keep `entries` (with any validation problems added) for this editor; a token.

    An entry with problems keeps no item, and labels and messages are made showable,
    so the preview can name a broken entry without sending its broken text.
    """
    for entry in entries:
        entry.label = _showable(entry.label)
        entry.errors = [_showable(error) for error in entry.errors]
        if entry.errors:
            entry.item = None
        if entry.ok:
            _, problems = build(entry.item)
            entry.errors.extend(problems)
    staged = request.session.get(SESSION_KEY, {})
    for old in list(staged)[: max(0, len(staged) - MAX_STAGED + 1)]:
        del staged[old]
    token = uuid.uuid4().hex
    staged[token] = {
        "source": source,
        "entries": [
            {"index": e.index, "label": e.label, "item": e.item, "errors": e.errors}
            for e in entries
        ],
        "report": None,
    }
    request.session[SESSION_KEY] = staged
    return token


def load(request: HttpRequest, token: str) -> dict | None:
    """The staged import `token` of this editor, with its entries as ParsedEntry."""
    if not TOKEN_RE.match(token):
        return None
    staged = request.session.get(SESSION_KEY, {}).get(token)
    if staged is None:
        return None
    return {**staged, "entries": [ParsedEntry(**e) for e in staged["entries"]]}


def save_report(request: HttpRequest, token: str, outcomes: list[Outcome]) -> None:
    """Replace the staged entries by the report of what was done (no second apply)."""
    staged = request.session[SESSION_KEY]
    staged[token] = {
        "source": staged[token]["source"],
        "entries": [],
        "report": [_report_row(outcome) for outcome in outcomes],
    }
    request.session.modified = True


def _report_row(outcome: Outcome) -> dict:
    if outcome.errors:
        status = "failed"
    else:
        status = {"skip": "skipped", "merge": "merged", "add": "created"}[outcome.action]
    resource = outcome.resource
    return {
        "index": outcome.entry.index,
        "label": outcome.entry.label,
        "status": status,
        "reasons": [split_problem(p) for p in outcome.errors or []],
        "resource": {"pk": resource.pk, "key": resource.key, "title": resource.title}
        if resource
        else None,
    }


def split_problem(problem: str) -> tuple[str, str]:
    """("field", "reason") from a "field: reason" message ("", message if none)."""
    field_name, sep, reason = problem.partition(": ")
    if sep and len(field_name) <= 40:
        return field_name, reason
    return "", problem


@dataclass
class PreviewRow:
    """What the editor sees of one staged entry before deciding."""

    index: int
    label: str
    title: str = ""
    creators: str = ""
    year: str = ""
    doi: str = ""
    kind: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)
    duplicate: Resource | None = None
    duplicate_reason: str = ""
    batch_duplicate_of: int | None = None

    @property
    def importable(self) -> bool:
        return not self.problems

    @property
    def has_duplicate(self) -> bool:
        return self.duplicate is not None or self.batch_duplicate_of is not None

    @property
    def default_action(self) -> str:
        return "skip" if self.has_duplicate else "add"

    @property
    def field_name(self) -> str:
        return f"entry-{self.index}"


def _creators(item: dict) -> str:
    names = []
    for role in NAME_VARIABLES:
        for name in item.get(role) or []:
            if name.get("literal"):
                names.append(name["literal"])
            elif name.get("family"):
                given = f", {name['given']}" if name.get("given") else ""
                names.append(f"{name['family']}{given}")
    shown = "; ".join(names[:5])
    return f"{shown}; et al. ({len(names)} in all)" if len(names) > 5 else shown


def _year(item: dict) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[None]]
    return str(parts[0][0]) if parts and parts[0] and parts[0][0] else ""


def preview_rows(entries: list[ParsedEntry]) -> list[PreviewRow]:
    """One row per staged entry, with duplicates found in the library as it is now,
    or earlier in the same import."""
    rows, seen = [], {}
    for entry in entries:
        item = entry.item or {}
        row = PreviewRow(entry.index, entry.label)
        row.problems = [split_problem(p) for p in entry.errors]
        if entry.item is not None:
            row.title = str(item.get("title") or "")
            row.creators = _creators(item)
            row.year = _year(item)
            row.doi = str(item.get("DOI") or "")
            row.kind = str(item.get("type") or "")
        if row.importable:
            row.duplicate, row.duplicate_reason = find_duplicate(item)
            keys = [f"doi:{row.doi.lower()}"] if row.doi else []
            keys.append(f"title:{normalise_title(row.title)}:{row.year}")
            earlier = next((seen[k] for k in keys if k in seen), None)
            if row.duplicate is None and earlier is not None:
                row.batch_duplicate_of = earlier
                row.duplicate_reason = f"same work as entry {earlier} of this import"
            for key in keys:
                seen.setdefault(key, entry.index)
        rows.append(row)
    return rows
