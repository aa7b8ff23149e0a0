"""Downloadable citation files for one resource, a section's resources or the library."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse

from .formats import FORMATS, dump
from .models import Resource

#: URL suffix -> format name.
SUFFIXES = {"ris": "ris", "bib": "bibtex", "json": "csljson"}


def with_creators(resources) -> Iterable[Resource]:
    return resources.prefetch_related("creators")


def download_item(resource: Resource) -> dict:
    """The CSL item a download carries: `to_csl()`, with the unverified notice (if any)
    added to its note, in the words readers see on the page (library/verification.py)."""
    item = resource.to_csl()
    notice = resource.verification
    if notice:
        item["note"] = "\n".join(filter(None, [item.get("note"), notice.line]))
    return item


def download(resources: Iterable[Resource], fmt: str, filename: str) -> HttpResponse:
    """An attachment holding `resources` in `fmt`, named `filename` + extension."""
    _, content_type, extension = FORMATS[fmt]
    body = dump([download_item(resource) for resource in resources], fmt)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
