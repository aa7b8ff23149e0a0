"""Mapping between a Resource and a CSL-JSON item (the citation data model).

CSL-JSON is the hub: RIS, BibTeX and Crossref are read into CSL items, and every
export and formatted citation is made from `Resource.to_csl()`. CSL variables the
Resource has no column for are kept in `Resource.csl_extra`, so
`from_csl(item).to_csl() == item` for any valid item (see tests/library/test_csl.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .markup import plain_values
from .models import Creator, CreatorRole

if TYPE_CHECKING:
    from .models import Resource

#: Our resource type -> the CSL item type it is exported as.
TYPE_TO_CSL = {
    "article": "article-journal",
    "report": "report",
    "policy": "report",
    "toolkit": "report",
    "book": "book",
    "chapter": "chapter",
    "video": "motion_picture",
    "podcast": "broadcast",
    "news": "article-newspaper",
    "website": "webpage",
    "dataset": "dataset",
}

#: CSL item type -> our resource type, for items imported from elsewhere.
CSL_TO_TYPE = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "news",
    "article-newspaper": "news",
    "review": "article",
    "review-book": "article",
    "personal_communication": "report",
    "paper-conference": "article",
    "report": "report",
    "thesis": "report",
    "manuscript": "report",
    "document": "report",
    "standard": "policy",
    "legislation": "policy",
    "bill": "policy",
    "regulation": "policy",
    "legal_case": "policy",
    "treaty": "policy",
    "book": "book",
    "classic": "book",
    "chapter": "chapter",
    "entry": "chapter",
    "entry-dictionary": "chapter",
    "entry-encyclopedia": "chapter",
    "motion_picture": "video",
    "broadcast": "podcast",
    "song": "podcast",
    "interview": "podcast",
    "speech": "video",
    "webpage": "website",
    "post": "website",
    "post-weblog": "website",
    "software": "website",
    "dataset": "dataset",
}

#: CSL string variables stored in a Resource column of the same meaning.
STRING_FIELDS = {
    "title": "title",
    "container-title": "container",
    "container-title-short": "container_title_short",
    "collection-title": "collection_title",
    "publisher": "publisher",
    "publisher-place": "publisher_place",
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
    "edition": "edition",
    "number": "number",
    "genre": "genre",
    "medium": "medium",
    "language": "language",
    "URL": "url",
    "DOI": "doi",
}

#: Addresses, kept exactly as given (validated as URL and DOI, never shown as markup).
ADDRESS_VARIABLES = ("URL", "DOI")

#: CSL name variables, in the order they are written out (the creator roles' values).
NAME_VARIABLES = tuple(CreatorRole.values)

#: Keys of CSL-JSON that describe the record rather than the work.
RECORD_KEYS = {"id", "type", "custom"}

CUSTOM_TYPE_KEY = "fieldguide-type"


def csl_date(year: int | None, month: int | None = None, day: int | None = None) -> dict | None:
    if not year:
        return None
    parts = [year] + [p for p in (month, day) if p]
    if day and not month:
        parts = [year]
    return {"date-parts": [parts]}


def simple_date_parts(value: Any) -> list[int] | None:
    """The [y, m, d] parts of a CSL date that is one plain date, else None."""
    if not isinstance(value, dict) or set(value) != {"date-parts"}:
        return None
    parts = value["date-parts"]
    if not (isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], list)):
        return None
    single = parts[0]
    if not 1 <= len(single) <= 3 or not all(type(p) is int for p in single):
        return None
    return single


def range_start(value: Any) -> list[int] | None:
    """The [y, m, d] start of a CSL date range (two date-parts), else None."""
    if not isinstance(value, dict) or not isinstance(value.get("date-parts"), list):
        return None
    parts = value["date-parts"]
    if len(parts) != 2:
        return None
    return simple_date_parts({"date-parts": parts[:1]})


def name_to_csl(creator) -> dict:
    if creator.literal:
        return {"literal": creator.literal}
    return {part: getattr(creator, column) for column, part in Creator.NAME_PARTS.items()
            if getattr(creator, column)}  # fmt: skip


def to_csl(resource: Resource, creators: Iterable | None = None) -> dict:
    """The CSL-JSON item for a resource (keys in CSL spelling, DOI upper-case)."""
    extra = dict(resource.csl_extra or {})
    item: dict[str, Any] = {"id": resource.key}
    default_type = TYPE_TO_CSL.get(resource.resource_type, "document")
    item["type"] = extra.pop("type", default_type)
    if CSL_TO_TYPE.get(item["type"]) != resource.resource_type:
        item["custom"] = {CUSTOM_TYPE_KEY: resource.resource_type}
    for variable, field in STRING_FIELDS.items():
        value = getattr(resource, field)
        if value:
            item[variable] = value
    if creators is None:
        creators = resource.creators.all()
    for creator in creators:
        item.setdefault(creator.role or "author", []).append(name_to_csl(creator))
    issued = csl_date(resource.issued_year, resource.issued_month, resource.issued_day)
    if issued:
        item["issued"] = issued
    if resource.accessed:
        accessed = resource.accessed
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if resource.length_pages:
        item["number-of-pages"] = str(resource.length_pages)
    if resource.length_minutes:
        item["dimensions"] = f"{resource.length_minutes} min"
    item.update(extra)
    return item


def from_csl(item: dict, resource: Resource | None = None) -> Resource:
    """An unsaved Resource (with its creators attached) holding everything in `item`.

    `item` must have passed `formats.csljson.validate_item`. When `resource` is given,
    its fields are overwritten instead of a new Resource being made. Every import
    (Crossref, RIS, BibTeX, CSL-JSON) comes through here, so markup in any text value
    is removed here (`markup.plain_text`), before anything is previewed or saved.
    """
    from .models import Resource

    item = {k: v if k in ADDRESS_VARIABLES else plain_values(v) for k, v in item.items()}
    if resource is None:
        resource = Resource()
    key = item.pop("id", None)
    if isinstance(key, str) and key:
        resource.key = key
    csl_type = item.pop("type", "document")
    custom = dict(item.pop("custom", None) or {})
    our_type = custom.pop(CUSTOM_TYPE_KEY, None) or CSL_TO_TYPE.get(csl_type, "report")
    resource.resource_type = our_type
    extra: dict[str, Any] = {}
    if csl_type != TYPE_TO_CSL.get(our_type):
        extra["type"] = csl_type
    if custom:
        extra["custom"] = custom
    for variable, field in STRING_FIELDS.items():
        value = item.pop(variable, "")
        if isinstance(value, (int, float)):
            value = str(value)
        if isinstance(value, str) and len(value) <= resource._meta.get_field(field).max_length:
            setattr(resource, field, value)
        elif value:
            extra[variable] = value
            setattr(resource, field, "")
        else:
            setattr(resource, field, "")

    issued = simple_date_parts(item.get("issued"))
    resource.issued_year = resource.issued_month = resource.issued_day = None
    if issued:
        item.pop("issued")
    else:
        # A date range ("2014-12-31/2015-01-01") stays whole in csl_extra, which
        # citations use; the columns hold its start, for lists, sorting and duplicates.
        issued = range_start(item.get("issued"))
    if issued:
        resource.issued_year = issued[0]
        resource.issued_month = issued[1] if len(issued) > 1 else None
        resource.issued_day = issued[2] if len(issued) > 2 else None
    accessed = simple_date_parts(item.get("accessed"))
    resource.accessed = None
    if accessed and len(accessed) == 3:
        try:
            resource.accessed = datetime.date(*accessed)
            item.pop("accessed")
        except ValueError:
            pass
    resource.length_pages = _pop_count(item, "number-of-pages", r"^(\d+)$")
    resource.length_minutes = _pop_count(item, "dimensions", r"^(\d+) min$")

    creators = []
    for role in NAME_VARIABLES:
        names = item.get(role)
        if not (isinstance(names, list) and all(_is_simple_name(n) for n in names)):
            continue
        del item[role]
        for name in names:
            parts = {column: name.get(part, "") for column, part in Creator.NAME_PARTS.items()}
            creators.append(Creator(role=role, sort_order=len(creators), **parts))
    extra.update(item)
    resource.csl_extra = extra
    resource.creators = creators
    return resource


def _is_simple_name(name: Any) -> bool:
    """A name a Creator row holds exactly: a person (family, given, particles, suffix)
    or an organisation (literal)."""
    if not isinstance(name, dict) or not all(isinstance(v, str) and v for v in name.values()):
        return False
    keys = set(name)
    if keys == {"literal"}:
        return len(name["literal"]) <= 300
    columns = {part: column for column, part in Creator.NAME_PARTS.items()}
    return (
        "family" in keys
        and "literal" not in keys
        and keys <= set(columns)
        and all(
            len(value) <= Creator._meta.get_field(columns[part]).max_length
            for part, value in name.items()
        )
    )


def _pop_count(item: dict, variable: str, pattern: str) -> int | None:
    import re

    value = item.get(variable)
    match = re.match(pattern, value) if isinstance(value, str) else None
    if match and int(match.group(1)) > 0 and str(int(match.group(1))) == match.group(1):
        item.pop(variable)
        return int(match.group(1))
    return None
