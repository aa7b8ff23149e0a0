"""The citation line printed for each resource in an edition.

Editions use the library's APA 7 citation (``fieldguide.library.citations``, CSL via
citeproc-py). Should that module be missing or fail for a resource, they fall back to a
simple author-date line built from the Resource model: creators, year, title,
container, volume(issue), pages, publisher, and the DOI or URL.
"""

from __future__ import annotations

import logging

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from fieldguide.library.models import Resource

logger = logging.getLogger(__name__)

# Works whose own title is italic in an author-date style (the rest italicise the
# journal or site that contains them).
STANDALONE_TYPES = {"book", "report", "toolkit", "video", "podcast", "dataset", "policy"}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in {".", "?", "!"} else f"{text}."


def _library_apa(resource: Resource) -> SafeString | None:
    """APA 7 from the library's CSL formatter (citeproc-py), when it is installed.

    A formatter failure must not stop a whole edition: it is logged and the simple line
    is used for that resource.
    """
    try:
        from fieldguide.library.citations import citation_html as library_citation_html
    except ImportError:
        return None
    try:
        return library_citation_html(resource, "apa")
    except Exception:
        logger.exception("APA citation failed for resource %s; using the simple line", resource.pk)
        return None


def simple_citation_html(resource: Resource) -> SafeString:
    """Creators. (Year). Title. *Container*, volume(issue), pages. Publisher. DOI or URL."""
    parts: list[SafeString] = []
    if resource.creators_display:
        parts.append(format_html("{}", _sentence(resource.creators_display)))
    parts.append(format_html("({}).", resource.issued_display))
    if resource.resource_type in STANDALONE_TYPES:
        parts.append(format_html("<cite>{}</cite>", _sentence(resource.title)))
    else:
        parts.append(format_html("{}", _sentence(resource.title)))
    if resource.container:
        where = format_html("<cite>{}</cite>", resource.container)
        if resource.volume:
            where = format_html("{}, {}", where, resource.volume)
            if resource.issue:
                where = format_html("{}({})", where, resource.issue)
        if resource.pages:
            where = format_html("{}, {}", where, resource.pages)
        parts.append(format_html("{}.", where))
    if resource.publisher and resource.publisher != resource.container:
        parts.append(format_html("{}", _sentence(resource.publisher)))
    if resource.doi:
        parts.append(
            format_html('<a href="https://doi.org/{0}">https://doi.org/{0}</a>', resource.doi)
        )
    elif resource.url:
        parts.append(format_html('<a href="{0}">{0}</a>', resource.url))
    return mark_safe(" ".join(parts))  # noqa: S308 - every part is built with format_html


def citation_html(resource: Resource) -> SafeString:
    """The APA line from the library if it has one, otherwise the simple line."""
    return _library_apa(resource) or simple_citation_html(resource)
