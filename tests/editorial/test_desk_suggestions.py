# ruff: noqa: F811  (pytest fixtures imported from test_suggestions)
"""Suggestions in two steps: review what will be cited and any duplicate, then publish
or draft; the resource goes last on every database; the reader hears the decision."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from fieldguide.editorial import moderation
from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import SectionPage, SectionResource
from fieldguide.library.models import Resource
from tests.editorial.test_suggestions import TEST_DOI, crossref, section  # noqa: F401, F811

pytestmark = pytest.mark.django_db
REVIEW = "/admin/editorial/suggestions/{}/review/"


def _pending(section, **fields) -> ResourceSuggestion:
    return ResourceSuggestion.objects.create(section=section, reason="It fits.", **fields)


def _with_ordered_resources(section) -> SectionPage:
    """Two resources numbered 0 and 1, as the bundle loader and the admin save them."""
    extra = Resource.objects.create(key="second", title="A second reading", url="https://b.org/")
    page = SectionPage.objects.get(pk=section.pk)
    first = page.selected_resources.first().resource
    page.selected_resources = [
        SectionResource(resource=first, sort_order=0),
        SectionResource(resource=extra, sort_order=1),
    ]
    page.save_revision().publish()
    return page


def test_an_accepted_resource_lands_last_on_every_database(section, crossref):
    page = _with_ordered_resources(section)
    resource = moderation.accept(_pending(page, doi=TEST_DOI))
    shown = [item.resource for item in SectionPage.objects.get(pk=page.pk).selected_resources.all()]
    assert len(shown) == 3 and shown[-1] == resource


def test_review_shows_the_citation_and_duplicates_then_publishes_what_was_shown(
    admin_client, section, crossref
):
    existing = section.selected_resources.first().resource
    existing.doi = TEST_DOI
    existing.save()
    suggestion = _pending(section, doi=TEST_DOI, email="reader@example.org")

    html = admin_client.get(REVIEW.format(suggestion.pk)).content.decode()
    # As the engine (citeproc-js, APA) cites it; its comma before "&" is the engine's call.
    cited = r"Tester, A\.,? &amp; Harm Reduction Fixture Group\. \(2021\)\. Toward a test"
    assert re.search(cited, html)
    assert "Already on this section:" in html and f"same DOI {TEST_DOI}" in html
    assert 'for="id_title">Title</label>' in html
    signed = re.search(r'name="proposal" value="([^"]+)"', html).group(1)

    # Crossref changing its answer afterwards changes nothing: what was shown is saved.
    crossref.routes[f"/works/{TEST_DOI}"] = (500, {}, "")
    tampered = signed[:-4] + ("AAAA" if not signed.endswith("AAAA") else "BBBB")
    response = admin_client.post(
        REVIEW.format(suggestion.pk), {"proposal": tampered, "title": "", "publish": "1"}
    )
    assert response.status_code == 302
    assert ResourceSuggestion.objects.get(pk=suggestion.pk).state == "pending"

    admin_client.post(
        REVIEW.format(suggestion.pk),
        {"proposal": signed, "title": "", "note": "A reader found it.", "publish": "1"},
    )
    suggestion.refresh_from_db()
    assert suggestion.state == "accepted"
    assert suggestion.resource.title == "Toward a test of suggestion imports"
    assert suggestion.resource.verified
    live = SectionPage.objects.get(pk=section.pk)
    assert list(live.selected_resources.all())[-1].resource == suggestion.resource

    # One email to the reader, with the decision; then the address is gone.
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert "The editors added it to the section" in mail.outbox[0].body
    assert suggestion.email == ""


def test_the_same_address_is_a_duplicate_after_normalising(section):
    resource = section.selected_resources.first().resource
    resource.url = "https://www.example.org/report/?utm_source=news#top"
    resource.save()
    proposed = Resource(title="Other", url="http://example.org/report")
    found = moderation.find_duplicates(proposed, section)
    assert [(d.resource, d.on_section) for d in found] == [(resource, True)]
    assert (
        moderation.find_duplicates(Resource(title="x", url="https://example.org/r2"), section) == []
    )


def test_saving_as_a_draft_leaves_the_live_section_alone(admin_client, section, allowed_site):
    suggestion = _pending(section, url=allowed_site.url("/ok"), email="r@example.org")
    live_before = [i.resource_id for i in section.selected_resources.all()]
    html = admin_client.get(REVIEW.format(suggestion.pk)).content.decode()
    signed = re.search(r'name="proposal" value="([^"]+)"', html).group(1)
    admin_client.post(REVIEW.format(suggestion.pk), {"proposal": signed, "draft": "1"})
    suggestion.refresh_from_db()
    assert suggestion.state == "drafted" and suggestion.email == ""
    page = SectionPage.objects.get(pk=section.pk)
    assert [i.resource_id for i in page.selected_resources.all()] == live_before
    draft = page.get_latest_revision_as_object()
    assert [i.resource for i in draft.selected_resources.all()][-1] == suggestion.resource
    assert page.has_unpublished_changes
    assert "when the section is next published" in mail.outbox[0].body


def test_declining_tells_the_reader_and_forgets_the_address(section):
    suggestion = _pending(section, url="https://www.example.org/x", email="r@example.org")
    moderation.decline(suggestion, "Off topic.")
    assert "decided not to add it" in mail.outbox[0].body
    assert ResourceSuggestion.objects.get(pk=suggestion.pk).email == ""
