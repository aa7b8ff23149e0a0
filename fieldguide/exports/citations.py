"""The citation line printed for each resource in an edition.

Editions use the library's APA 7 citation (`fieldguide.library.citations`), the one
place citation HTML is made: it is allow-listed, and a resource whose style fails gets
the library's plain line (logged) instead of stopping the edition.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from fieldguide.library import citations
from fieldguide.library.models import Resource

EDITION_STYLE = "apa"


def citation_html(resource: Resource) -> SafeString:
    """The resource's citation in the editions' style."""
    return citations.citation_html(resource, EDITION_STYLE)
