"""The section fingerprint covers everything a reader sees, fields added later included.

Editing a resource's number, genre or edition changed its citation but neither the
section's Updated date nor the editions' content version, because the fingerprint was
a hand-kept list of fields.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fieldguide.exports.version import content_version
from fieldguide.guide.freshness import record_content, refresh_sections_using
from fieldguide.guide.models import GlossaryTerm, SectionPage, SectionStatus

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=400)


def _shown_resource(guide):
    section = SectionPage.objects.child_of(guide).live().first()
    item = section.selected_resources.select_related("resource").first()
    for page in SectionPage.objects.child_of(guide).live():
        record_content(page)  # the fingerprint as it stands today
    SectionStatus.objects.update(content_changed_at=LONG_AGO)
    return section, item.resource


@pytest.mark.parametrize(
    ("field_name", "value"),
    [
        ("number", "NIH Publication No. 18-2424"),
        ("genre", "Policy brief"),
        ("edition", "2nd"),
        ("publisher_place", "Baltimore, MD"),
        ("csl_extra", {"note": "Shown in the citation"}),
    ],
)
def test_a_citation_field_moves_the_updated_date_and_the_edition_version(guide, field_name, value):
    section, resource = _shown_resource(guide)
    version = content_version(guide)
    setattr(resource, field_name, value)
    resource.save()
    assert refresh_sections_using(resource) >= 1
    status = SectionStatus.objects.get(page=section)
    assert status.content_changed_at > LONG_AGO
    assert content_version(guide) != version


def test_a_save_that_changes_nothing_moves_nothing(guide):
    section, resource = _shown_resource(guide)
    version = content_version(guide)
    resource.save()
    assert refresh_sections_using(resource) == 0
    assert SectionStatus.objects.get(page=section).content_changed_at == LONG_AGO
    assert content_version(guide) == version


def test_a_creator_role_moves_the_updated_date(guide):
    section, resource = _shown_resource(guide)
    creator = resource.creators.first()
    creator.role = "editor"
    creator.save()
    assert refresh_sections_using(resource) >= 1


def test_glossary_aliases_move_the_edition_version(guide):
    version = content_version(guide)
    term = GlossaryTerm.objects.first()
    term.aliases = "a new spelling"
    term.save()
    assert content_version(guide) != version
