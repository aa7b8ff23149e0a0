"""Derived dates: when a section's content last changed, and the guide's latest change."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from fieldguide.library.models import Profile, Resource


def _resource_data(resource: Resource) -> list:
    return [
        resource.title,
        resource.resource_type,
        resource.container,
        resource.publisher,
        resource.issued_year,
        resource.issued_month,
        resource.issued_day,
        resource.url,
        resource.doi,
        resource.access,
        resource.annotation,
        resource.length_pages,
        resource.length_minutes,
        resource.verified,
        [(c.family, c.given, c.literal) for c in resource.creators.all()],
    ]


def _profile_data(profile: Profile) -> list:
    return [
        profile.name,
        profile.kind,
        profile.description,
        profile.website,
        profile.social_links(),
    ]


def section_fingerprint(page) -> str:
    """A hash of everything a reader sees on a section page."""
    data = {
        "title": page.title,
        "summary": page.summary,
        "introduction": page.introduction,
        "resources": [
            [_resource_data(item.resource), item.note]
            for item in page.selected_resources.select_related("resource")
        ],
        "questions": [q.text for q in page.questions.all()],
        "follow": [_profile_data(item.profile) for item in page.follow.select_related("profile")],
        "actions": [[a.kind, a.title, a.description, a.url] for a in page.actions.all()],
    }
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def record_content(page, when: datetime | None = None) -> bool:
    """Update the section's derived change date if what readers see has changed."""
    from .models import SectionStatus

    status, _ = SectionStatus.objects.get_or_create(page_id=page.pk)
    fingerprint = section_fingerprint(page)
    if fingerprint == status.fingerprint:
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
