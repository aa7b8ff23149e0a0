"""The reader page types every privacy and accessibility check walks through."""

from __future__ import annotations

import contextlib

from django.urls import NoReverseMatch, reverse

from fieldguide.library.models import Resource


def reader_pages() -> dict[str, str]:
    pages = {
        "home": "/",
        "section": "/sex-trade-criminalization/",
        "glossary": "/glossary/",
        "standard": "/about/",
        "contact": "/contact/",
        "search": "/search/?q=harm+reduction",
        "search-empty": "/search/?q=zzqxv",
        "not-found": "/no-such-page/",
    }
    resource = Resource.objects.order_by("pk").first()
    with contextlib.suppress(NoReverseMatch, AttributeError):
        pages["resource"] = reverse("library:resource", args=[resource.key])
    return pages
