"""After what readers see about links changes, refresh the sections that show them."""

from __future__ import annotations

from collections.abc import Iterable

from fieldguide.guide.freshness import record_content
from fieldguide.guide.models import SectionPage

from .models import LinkUsage, UsageKind


def refresh_sections_for(link_ids: Iterable[int]) -> int:
    """Re-fingerprint the live sections whose resources use these links; returns how
    many changed (their "Updated" date moves, as for any change readers see)."""
    ids = list(link_ids)
    if not ids:
        return 0
    section_ids = (
        LinkUsage.objects.filter(
            link_id__in=ids, kind__in=[UsageKind.RESOURCE_URL, UsageKind.RESOURCE_DOI]
        )
        .exclude(section_id=None)
        .values_list("section_id", flat=True)
        .distinct()
    )
    return sum(
        record_content(page) for page in SectionPage.objects.live().filter(pk__in=section_ids)
    )
