"""A content version for a guide: it changes whenever anything an edition shows changes.

Built files are stored under that version, so a publish makes the next download build a
fresh file and nothing has to be invalidated by hand.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from wagtail.models import Page

from fieldguide.guide.freshness import reader_fields
from fieldguide.guide.models import GlossaryTerm, GuideHomePage, GuideSettings, SectionStatus

APP_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def builder_fingerprint() -> str:
    """A hash of this app's code, templates and styles: a deploy that changes how
    editions look must not serve files built by the old code."""
    digest = hashlib.sha256()
    for path in sorted(APP_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".css", ".js"}:
            digest.update(str(path.relative_to(APP_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def content_version(home: GuideHomePage) -> str:
    """Hash of the guide's live pages, their derived dates and the glossary.

    Pages contribute their publish times and tree positions (so publishing, moving or
    unpublishing any page counts), sections their derived ``content_changed_at`` (which
    also moves when a shared resource or profile they show is edited), and glossary
    terms every column readers see, because terms are snippets and have no publish time.
    """
    pages = Page.objects.descendant_of(home, inclusive=True).live().public()
    page_rows = list(pages.order_by("path").values_list("pk", "path", "last_published_at"))
    status_rows = list(
        SectionStatus.objects.filter(page__in=pages)
        .order_by("page_id")
        .values_list("page_id", "content_changed_at")
    )
    term_rows = [[term.pk, reader_fields(term)] for term in GlossaryTerm.objects.order_by("pk")]
    related_rows = list(
        GlossaryTerm.related_terms.through.objects.order_by("pk").values_list(
            "from_glossaryterm_id", "to_glossaryterm_id"
        )
    )
    # Editions print the site's address, its license and the chosen paper size.
    site = home.get_site()
    chosen = GuideSettings.current(site)
    site_row = [site.root_url if site else "", chosen.license, chosen.paper_size]
    data = [builder_fingerprint(), page_rows, status_rows, term_rows, related_rows, site_row]
    encoded = json.dumps(data, default=str, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]
