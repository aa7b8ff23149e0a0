"""Derived dates: when a section's content last changed, and the guide's latest change."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from html.parser import HTMLParser

from django.db.models import Max
from django.utils import timezone
from wagtail import hooks
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html

from fieldguide.library.models import Profile, Resource

#: Columns that record how or when a row is stored, or point at another row whose own
#: reader data is included instead; everything else on a model counts as what readers
#: see, so a column added later is covered without anyone remembering to list it.
BOOKKEEPING = {"id", "created_at", "updated_at", "latest_revision", "sort_order", "page"}
#: Apps that add to what readers see on a section page register a function under this
#: hook name; it gets the page and returns JSON-able data that joins the fingerprint
#: (guide does not import them).
SECTION_READER_DATA_HOOK = "section_reader_data"


#: Attributes the rich-text editor adds or spells its own way that readers never see.
EDITOR_ONLY_ATTRIBUTES = {"data-block-key"}
#: Tags that look the same to readers: the editor writes <b>/<i>, bundles <strong>/<em>.
SAME_TAG = {"strong": "b", "em": "i"}


class _ReaderText(HTMLParser):
    """Rich text reduced to what a reader sees: tags, reader attributes and words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        kept = sorted((k, v or "") for k, v in attrs if k not in EDITOR_ONLY_ATTRIBUTES)
        self.tokens.append(f"<{SAME_TAG.get(tag, tag)} {kept}>")

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"</{SAME_TAG.get(tag, tag)}>")

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data).strip()
        if text:
            self.tokens.append(text)


def reader_html(value: str) -> str:
    """``value`` (stored rich text) as readers get it, normalised, for comparing.

    Wagtail's editor stores what it was given in its own spelling (block keys, <b> for
    <strong>, its own whitespace); a publish that changes only that changes nothing
    readers see, so it must not move the section's Updated date.
    """
    parser = _ReaderText()
    parser.feed(expand_db_html(value or ""))
    parser.close()
    return " ".join(parser.tokens)


def reader_fields(obj, *, skip: tuple[str, ...] = (), normalise: bool = True) -> dict:
    """Every column of ``obj`` except bookkeeping (and ``skip``), by column name;
    rich text as readers see it (``reader_html``)."""
    return {
        f.attname: (
            reader_html(f.value_from_object(obj))
            if normalise and isinstance(f, RichTextField)
            else f.value_from_object(obj)
        )
        for f in obj._meta.concrete_fields
        if f.name not in BOOKKEEPING and f.name not in skip
    }


def resource_reader_data(resource: Resource) -> dict:
    """What a reader sees of a resource: its full CSL record (the citation, creators
    included) and every column, CSL or not (annotation, access, verified, ...)."""
    return {"csl": resource.to_csl(), "fields": reader_fields(resource)}


def profile_reader_data(profile: Profile) -> dict:
    return reader_fields(profile)


def section_fingerprint(page, *, normalise: bool = True) -> str:
    """A hash of everything a reader sees on a section page.

    ``normalise=False`` gives the fingerprint stored before rich text was normalised,
    so a stored one can be recognised and brought up to date without moving the date.
    """
    data = {
        "title": page.title,
        "summary": page.summary,
        "introduction": reader_html(page.introduction) if normalise else page.introduction,
        "resources": [
            [
                resource_reader_data(item.resource),
                reader_fields(item, skip=("resource",), normalise=normalise),
            ]
            for item in page.selected_resources.select_related("resource")
        ],
        "questions": [reader_fields(q, normalise=normalise) for q in page.questions.all()],
        "follow": [
            profile_reader_data(item.profile) for item in page.follow.select_related("profile")
        ],
        "actions": [reader_fields(a, normalise=normalise) for a in page.actions.all()],
    }
    for fn in hooks.get_hooks(SECTION_READER_DATA_HOOK):
        # Left out when empty, so a section without such data keeps its fingerprint.
        if value := fn(page):
            data[f"{fn.__module__}.{fn.__name__}"] = value
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def record_content(page, when: datetime | None = None) -> bool:
    """Update the section's derived change date if what readers see has changed."""
    from .models import SectionStatus

    status, _ = SectionStatus.objects.get_or_create(page_id=page.pk)
    fingerprint = section_fingerprint(page)
    if fingerprint == status.fingerprint:
        return False
    if status.fingerprint and status.fingerprint == section_fingerprint(page, normalise=False):
        # Stored before rich text was normalised: the same content, in the new form.
        status.fingerprint = fingerprint
        status.save(update_fields=["fingerprint"])
        return False
    status.fingerprint = fingerprint
    status.content_changed_at = when or timezone.now()
    status.save(update_fields=["fingerprint", "content_changed_at"])
    return True


def refresh_sections_using(obj) -> int:
    """After a shared resource or profile is edited, refresh the sections that show it."""
    from .models import SectionPage

    if isinstance(obj, Resource):
        sections = SectionPage.objects.live().filter(selected_resources__resource=obj)
    elif isinstance(obj, Profile):
        sections = SectionPage.objects.live().filter(follow__profile=obj)
    else:
        return 0
    return sum(record_content(section) for section in sections.distinct())


def guide_updated_at(home) -> datetime | None:
    """The guide's date: the latest change of any of its live sections."""
    from .models import SectionPage, SectionStatus

    sections = SectionPage.objects.child_of(home).live()
    return SectionStatus.objects.filter(page__in=sections).aggregate(
        latest=Max("content_changed_at")
    )["latest"]
