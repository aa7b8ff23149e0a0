"""The guide cites itself: "Cite this section" and "Cite this guide".

A section is cited as a web page inside the guide, the guide as a web page: title,
the guide's editors (`GuideHomePage.editors`), the derived updated date
(`content_changed_at`, never typed), the page's URL and today's date as the accessed
date. Formatted by the library's citation engine and offered as RIS, BibTeX and
CSL-JSON downloads that set no cookie.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail.models import Page

from fieldguide.library.citations import item_citations
from fieldguide.library.exports import SUFFIXES
from fieldguide.library.formats import FORMATS, dump

from .models import GuideHomePage, SectionPage

#: How long a browser or front cache may keep a citation download (the accessed date
#: is the day it was made).
DOWNLOAD_MAX_AGE = 300


def editor_names(text: str) -> list[dict]:
    """CSL names from the editors field: "Family, Given" per line, else an organisation."""
    names = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        family, comma, given = line.partition(",")
        if comma and family.strip() and given.strip():
            names.append({"family": family.strip(), "given": given.strip()})
        else:
            names.append({"literal": line})
    return names


def _date_parts(value: datetime.date | datetime.datetime) -> dict:
    return {"date-parts": [[value.year, value.month, value.day]]}


def _guide_changed_at(guide: GuideHomePage):
    dates = [s.content_changed_at for s in guide.sections() if s.content_changed_at]
    dates.append(guide.last_published_at)
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def page_item(page: Page, today: datetime.date | None = None) -> dict:
    """The CSL-JSON item citing a section or the guide home page."""
    page = page.specific
    today = today or timezone.localdate()
    if isinstance(page, SectionPage):
        guide = page.guide
        changed = page.content_changed_at
    else:
        guide = page
        changed = _guide_changed_at(page)
    item: dict = {"id": f"{page.slug}-{page.pk}", "type": "webpage", "title": page.title}
    if isinstance(page, SectionPage) and guide is not None:
        item["container-title"] = guide.title
    editors = editor_names(getattr(guide, "editors", ""))
    if editors:
        item["editor"] = editors
    if changed:
        item["issued"] = _date_parts(timezone.localtime(changed))
    item["URL"] = page.full_url
    item["accessed"] = _date_parts(today)
    return item


def page_citations(page: Page) -> list:
    """[(style, html), ...] for the page's Cite block, cached per page, change and day."""
    item = page_item(page)
    digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:32]
    return item_citations(item, f"page:{page.pk}:{digest}")


def page_download(request: HttpRequest, page_id: int, suffix: str) -> HttpResponse:
    """The page's citation as a RIS, BibTeX or CSL-JSON attachment (no cookie set)."""
    if suffix not in SUFFIXES:
        raise Http404("Unknown download format: use .ris, .bib or .json.")
    fmt = SUFFIXES[suffix]
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    if not isinstance(page, (SectionPage, GuideHomePage)):
        raise Http404("Only sections and the guide can be cited here.")
    _, content_type, extension = FORMATS[fmt]
    response = HttpResponse(
        dump([page_item(page)], fmt), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.{extension}"'
    patch_cache_control(response, public=True, max_age=DOWNLOAD_MAX_AGE)
    return response
