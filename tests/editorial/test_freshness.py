"""Derived dates: reviews, review due dates, the dashboard and the footer date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from fieldguide.editorial.freshness import add_months, section_freshness, stale_checks
from fieldguide.editorial.models import ResourceSuggestion, SectionReview
from fieldguide.guide.models import GuideHomePage, SectionPage, SectionStatus
from fieldguide.linkhealth.runner import run_checks

pytestmark = pytest.mark.django_db
TIME_RE = re.compile(r'<time datetime="([^"]+)">')


@pytest.mark.parametrize(
    "start,months,expected",
    [
        (datetime(2024, 1, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2023, 11, 15, tzinfo=UTC), 12, datetime(2024, 11, 15, tzinfo=UTC)),
        (datetime(2023, 11, 30, tzinfo=UTC), 3, datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_add_months_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def _age_section(slug: str, months: int) -> SectionPage:
    page = SectionPage.objects.get(slug=slug)
    page.first_published_at = timezone.now() - timedelta(days=31 * months)
    page.save(update_fields=["first_published_at"])
    return page


def _row(slug: str):
    return next(r for r in section_freshness() if r.page.slug == slug)


def test_never_reviewed_section_is_due_a_year_after_publication(guide):
    page = _age_section("section-1", 13)
    row = _row("section-1")
    assert row.last_reviewed_at is None
    assert row.review_due_at == add_months(page.first_published_at, 12)
    assert row.overdue
    assert not _row("section-2").overdue


def test_review_resets_the_due_date_without_touching_the_change_date(guide):
    _age_section("section-1", 13)
    changed_before = SectionStatus.objects.get(page__slug="section-1").content_changed_at
    review = SectionReview.objects.create(page=SectionPage.objects.get(slug="section-1"), note="ok")
    row = _row("section-1")
    assert row.last_reviewed_at == review.reviewed_at
    assert row.review_due_at == add_months(review.reviewed_at, 12)
    assert not row.overdue
    assert row.content_changed_at == changed_before


def test_review_interval_comes_from_the_guide(guide):
    GuideHomePage.objects.filter(pk=guide.pk).update(review_interval_months=1)
    _age_section("section-2", 2)
    row = _row("section-2")
    assert (row.interval_months, row.overdue) == (1, True)


def test_mark_as_reviewed_from_the_dashboard(admin_client, admin_user, guide):
    _age_section("section-1", 13)
    page = SectionPage.objects.get(slug="section-1")
    html = admin_client.get("/admin/editorial/freshness/").content.decode()
    assert "Sections: 1 overdue for review" in html
    assert f"/admin/pages/{page.pk}/edit/" in html

    response = admin_client.post(
        f"/admin/editorial/freshness/review/{page.pk}/", {"note": "Links fine."}
    )
    assert response.status_code == 302
    review = SectionReview.objects.get()
    assert (review.page_id, review.reviewer, review.note) == (page.pk, admin_user, "Links fine.")
    html = admin_client.get("/admin/editorial/freshness/").content.decode()
    assert "overdue for review" not in html
    assert admin_client.get("/admin/editorial/freshness/review/1/").status_code == 405


def test_dashboard_sorts_and_explains_a_bad_sort(admin_client, guide):
    html = admin_client.get("/admin/editorial/freshness/?s_sort=-title").content.decode()
    assert html.index(">Section 2</a>") < html.index(">Section 1</a>")
    html = admin_client.get("/admin/editorial/freshness/?s_sort=title").content.decode()
    assert html.index(">Section 1</a>") < html.index(">Section 2</a>")
    response = admin_client.get("/admin/editorial/freshness/?s_sort=size")
    assert response.status_code == 200
    assert "Cannot sort by" in response.content.decode()


def test_dashboard_lists_problem_links_and_old_checks(
    admin_client, linked_guide, local_site, fast_config
):
    assert {row.link.checked_at for row in stale_checks()} == set()  # nothing synced yet
    run_checks(config=fast_config)
    html = admin_client.get("/admin/editorial/freshness/").content.decode()
    links_table = html[html.index('id="links"') : html.index('id="checks"')]
    assert local_site.url("/missing") in links_table
    assert local_site.url("/moved-301") in links_table
    assert "/admin/snippets/library/profile/edit/" in links_table
    assert "Every link was checked recently." in html

    assert len(stale_checks(max_age_days=0)) > 0


def test_editorial_panel_on_the_admin_dashboard(admin_client, guide):
    _age_section("section-1", 13)
    ResourceSuggestion.objects.create(
        section=SectionPage.objects.get(slug="section-2"),
        url="https://www.example.org/",
        reason="Fits.",
    )
    html = admin_client.get("/admin/").content.decode()
    panel = html[html.index('id="editorial-content"') :]
    assert "<strong>1</strong> section overdue for review" in panel
    assert "<strong>1</strong> reader suggestion waiting" in panel


def test_footer_date_is_the_latest_section_update(client, guide):
    """The site never contradicts itself: footer date == max of the sections' dates."""
    section = SectionPage.objects.get(slug="section-2")
    section.introduction = "<p>Revised after the 2024 evaluation.</p>"
    section.save_revision().publish()
    section_dates = []
    for page in SectionPage.objects.live():
        html = client.get(page.url).content.decode()
        updated = re.search(r'Updated <time datetime="([^"]+)">', html).group(1)
        section_dates.append(datetime.fromisoformat(updated))
    home = client.get("/").content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    footer_date = datetime.fromisoformat(TIME_RE.search(footer).group(1))
    assert footer_date == max(section_dates)
    assert footer_date == SectionStatus.objects.get(page=section).content_changed_at
