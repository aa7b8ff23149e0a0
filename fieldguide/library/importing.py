"""Importing references: find duplicates, then skip, merge or add each entry.

Every entry is written in its own transaction, so a bad entry never leaves a
half-written resource and never stops the good entries of the same file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import slugify

from .csl import from_csl
from .formats import ParsedEntry
from .models import Resource

ACTIONS = ("skip", "merge", "add")


@dataclass
class Outcome:
    entry: ParsedEntry
    action: str
    resource: Resource | None = None
    errors: list[str] | None = None

    def describe(self) -> str:
        if self.errors:
            return f"{self.entry.describe()}: not imported: " + "; ".join(self.errors)
        if self.action == "skip":
            return f"{self.entry.describe()}: skipped"
        verb = {"merge": "merged into", "add": "added as"}[self.action]
        return f"{self.entry.describe()}: {verb} {self.resource.key}"


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def find_duplicate(item: dict) -> tuple[Resource | None, str]:
    """An existing resource that is the same work: same DOI, or same title and year."""
    doi = (item.get("DOI") or "").strip()
    if doi:
        match = Resource.objects.filter(doi__iexact=doi).first()
        if match:
            return match, f"same DOI {doi}"
    title = normalise_title(item.get("title", ""))
    year = ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]
    if title:
        candidates = Resource.objects.filter(Q(issued_year=year) if year else Q())
        words = title.split()
        if words:
            candidates = candidates.filter(title__icontains=words[0])
        for candidate in candidates:
            if normalise_title(candidate.title) == title:
                return candidate, f"same title and year ({year or 'no year'})"
    return None, ""


def unique_key(item: dict) -> str:
    names = item.get("author") or item.get("editor") or []
    first = names[0] if names else {}
    who = first.get("family") or first.get("literal") or ""
    year = ((item.get("issued") or {}).get("date-parts") or [[""]])[0][0]
    words = normalise_title(item.get("title", "")).split()[:4]
    base = slugify(" ".join(str(p) for p in [who, year, *words] if p))[:100] or "resource"
    key, n = base, 2
    while Resource.objects.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def field_label(model, name: str) -> str:
    """The name an editor knows a model field by (its form label), "" for the whole record."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # "__all__" (NON_FIELD_ERRORS), or a name the model lacks
        return ""


def problems(error: ValidationError, model=Resource) -> list[str]:
    """`label: reason` messages for a model's validation error, in the editor's words:
    form labels ("year", "publisher's site"), never code names such as `__all__`."""
    found = []
    for field, messages in error.message_dict.items():
        label = field_label(model, field)
        for message in messages:
            text = f"{label}: {message}" if label else message
            if text not in found:  # a field's validator and clean() may say the same
                found.append(text)
    return found


def build(item: dict) -> tuple[Resource, list[str]]:
    """An unsaved, validated resource for `item`, and `field: reason` problems.

    The preview, `import_resources --dry-run` and a real import all validate with
    this, so a dry run fails exactly the entries a real run would.
    """
    item = {**item, "id": unique_key(item)}
    resource = from_csl(item)
    errors = []
    try:
        resource.full_clean(exclude=["topics"])
    except ValidationError as error:
        errors.extend(problems(error))
    for position, creator in enumerate(resource.creators.all(), 1):
        try:
            creator.full_clean(exclude=["resource"])
        except ValidationError as error:
            who = creator.literal or creator.family or f"number {position}"
            errors.extend(f"creator {who}: {m}" for m in problems(error, type(creator)))
    return resource, errors


def check(entry: ParsedEntry, action: str = "add") -> list[str]:
    """Every reason `apply(entry, action)` would fail (none: it would not)."""
    if not entry.ok:
        return list(entry.errors)
    if action == "skip":
        return []
    return build(entry.item)[1]


MERGEABLE = (
    "container",
    "container_title_short",
    "collection_title",
    "publisher",
    "publisher_place",
    "issued_year",
    "issued_month",
    "issued_day",
    "volume",
    "issue",
    "pages",
    "edition",
    "number",
    "genre",
    "medium",
    "language",
    "url",
    "doi",
    "accessed",
)


def merge_into(existing: Resource, incoming: Resource) -> list[str]:
    """Fill the empty fields of `existing` from `incoming`; never overwrite."""
    filled = [f for f in MERGEABLE if not getattr(existing, f) and getattr(incoming, f)]
    for field in filled:
        setattr(existing, field, getattr(incoming, field))
    extra = {**incoming.csl_extra, **(existing.csl_extra or {})}
    if extra != existing.csl_extra:
        existing.csl_extra = extra
        filled.append("csl_extra")
    if not existing.creators.exists() and incoming.creators.all():
        existing.creators = list(incoming.creators.all())
        filled.append("creators")
    return filled


def apply(entry: ParsedEntry, action: str, user=None) -> Outcome:
    """Skip, merge or add one parsed entry, atomically.

    An added or merged resource gets a revision and a history entry (by `user`, if
    given), as if an editor had saved it in the admin.
    """
    if action not in ACTIONS:
        return Outcome(entry, action, errors=[f"action: {action!r} is not one of {ACTIONS}"])
    if not entry.ok:
        return Outcome(entry, action, errors=entry.errors)
    if action == "skip":
        return Outcome(entry, action)
    resource, errors = build(entry.item)
    if errors:
        return Outcome(entry, action, errors=errors)
    try:
        with transaction.atomic():
            if action == "merge":
                existing, _ = find_duplicate(entry.item)
                if existing is None:
                    return Outcome(entry, action, errors=["merge: no existing resource matches"])
                merge_into(existing, resource)
                existing.full_clean(exclude=["topics"])
                resource = existing
            resource.save()
            resource.save_revision(
                user=user,
                clean=False,
                log_action="wagtail.edit" if action == "merge" else "wagtail.create",
            )
    except ValidationError as error:
        return Outcome(entry, action, errors=problems(error))
    except DatabaseError as error:
        return Outcome(entry, action, errors=[f"database: {error}"])
    return Outcome(entry, action, resource)


def default_action(entry: ParsedEntry, on_duplicate: str) -> str:
    if not entry.ok:
        return "skip"
    duplicate, _ = find_duplicate(entry.item)
    return on_duplicate if duplicate else "add"
