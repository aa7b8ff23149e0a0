"""The citation line printed for each resource in an edition.

The library app may grow full CSL citations (``fieldguide.library.citations``); until it
offers an APA formatter, editions use this simple author-date line built from the
Resource model: creators, year, title, container, volume(issue), pages, publisher, and
the DOI or URL.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from fieldguide.library.models import Resource

# Works whose own title is italic in an author-date style (the rest italicise the
# journal or site that contains them).
STANDALONE_TYPES = {"book", "report", "toolkit", "video", "podcast", "dataset", "policy"}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in {".", "?", "!"} else f"{text}."


def _library_apa(resource: Resource) -> SafeString | None:
    """APA from the library's CSL formatter, when the library provides one."""
    try:
        from fieldguide.library import citations  # type: ignore[attr-defined]
    except ImportError:
        return None
    formatter = getattr(citations, "format_html", None) or getattr(citations, "citation_html", None)
    if formatter is None:
        return None
    try:
        return mark_safe(formatter(resource, style="apa"))  # noqa: S308 - escaped by the library
    except Exception:  # noqa: BLE001 - fall back to the simple line rather than fail a build
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
