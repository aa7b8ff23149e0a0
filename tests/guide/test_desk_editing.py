"""Editing surface: a publish that changes nothing readers see keeps the Updated date,
and a resource left without a Key gets one from its title."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from fieldguide.guide.freshness import reader_html, record_content, section_fingerprint
from fieldguide.guide.models import SectionPage, SectionStatus
from fieldguide.library.models import Resource

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=400)
FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


def through_the_editor(html: str) -> str:
    """What Wagtail's rich-text editor stores when an editor opens and saves ``html``."""
    converter = ContentstateConverter(FEATURES)
    return converter.to_database_format(converter.from_database_format(html))


def test_publishing_what_the_editor_normalised_keeps_the_updated_date(guide):
    section = SectionPage.objects.get(slug="section-1")
    section.introduction = (
        "<p>Harm reduction <strong>meets people</strong>\n where they are.</p>"
        "<ul><li>First</li><li><em>Second</em></li></ul>"
    )
    section.save_revision().publish()
    SectionStatus.objects.filter(page=section).update(content_changed_at=LONG_AGO)

    page = SectionPage.objects.get(pk=section.pk)
    page.introduction = through_the_editor(page.introduction)
    assert page.introduction != section.introduction  # the editor did rewrite it
    assert 'data-block-key="' in page.introduction
    page.save_revision().publish()
    assert SectionStatus.objects.get(page=section).content_changed_at == LONG_AGO

    page = SectionPage.objects.get(pk=section.pk)
    page.introduction = page.introduction.replace("First", "Initial")
    page.save_revision().publish()
    assert SectionStatus.objects.get(page=section).content_changed_at > LONG_AGO


def test_reader_html_ignores_spelling_not_words():
    assert reader_html("<p><strong>A</strong>  b</p>") == reader_html(
        '<p data-block-key="x1"><b>A</b> b</p>'
    )
    assert reader_html("<p>A b</p>") != reader_html("<p>A c</p>")
    assert reader_html('<p><a href="https://a.example/">A</a></p>') != reader_html(
        '<p><a href="https://b.example/">A</a></p>'
    )


def test_a_fingerprint_stored_before_normalising_is_upgraded_without_moving_the_date(guide):
    section = SectionPage.objects.get(slug="section-1")
    SectionStatus.objects.filter(page=section).update(
        fingerprint=section_fingerprint(section, normalise=False), content_changed_at=LONG_AGO
    )
    assert record_content(section) is False
    status = SectionStatus.objects.get(page=section)
    assert (status.fingerprint, status.content_changed_at) == (
        section_fingerprint(section),
        LONG_AGO,
    )


def test_a_blank_key_is_made_from_the_title(admin_client, guide):
    taken = Resource.objects.first()
    response = admin_client.post(
        "/admin/snippets/library/resource/add/",
        {
            "title": taken.title,
            "resource_type": "report",
            "access": "unknown",
            "key": "",
            "csl_extra": "{}",
            "creators-TOTAL_FORMS": "0",
            "creators-INITIAL_FORMS": "0",
            "creators-MIN_NUM_FORMS": "0",
            "creators-MAX_NUM_FORMS": "1000",
            "verified": "on",
            "unverified_part": "work",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Resource.objects.exclude(pk=taken.pk).get(title=taken.title)
    assert made.key == "associations-between-sex-work-laws-and-sex-workers-health"
    twin = Resource(title=taken.title)
    twin.save()
    assert twin.key == f"{made.key}-2"


def test_other_citation_data_is_labelled_fields_over_the_stored_json(admin_client, guide):
    resource = Resource.objects.first()
    resource.csl_extra = {"note": "Press release", "original-date": {"date-parts": [[1999]]}}
    resource.save()
    url = f"/admin/snippets/library/resource/edit/{resource.pk}/"
    html = admin_client.get(url).content.decode()
    assert 'for="id_csl_extra_note">Note (shown in some styles)</label>' in html
    assert 'name="csl_extra__note" value="Press release"' in html
    assert "original-date" in html and 'name="csl_extra"' not in html

    from fieldguide.library.widgets import CslExtraWidget

    posted = CslExtraWidget().value_from_datadict(
        {"csl_extra__rest": '{"original-date": {"date-parts": [[1999]]}}', "csl_extra__PMID": "1"},
        {},
        "csl_extra",
    )
    import json

    assert json.loads(posted) == {"original-date": {"date-parts": [[1999]]}, "PMID": "1"}
    assert CslExtraWidget().value_from_datadict({"csl_extra__rest": "{oops"}, {}, "csl_extra") == (
        "{oops"
    )


def test_a_preview_may_be_framed_by_the_admin_and_a_reader_page_by_nobody(client, guide):
    """The side-panel preview was blank: it carried readers' frame-ancestors 'none'."""
    section = SectionPage.objects.get(slug="section-1")
    preview = section.make_preview_request(preview_mode="")
    policy = preview["Content-Security-Policy"]
    assert (
        "frame-ancestors 'self'" in policy
        and "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    )
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    reader = client.get(section.url)
    assert "frame-ancestors 'none'" in reader["Content-Security-Policy"]
    assert reader["X-Frame-Options"] == "DENY"
