"""What editors see in the admin and what readers see beside a broken link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from fieldguide.guide.models import SectionPage
from fieldguide.library.models import Resource
from fieldguide.linkhealth.models import BrokenLinkDisplay, Link, LinkStatus
from fieldguide.linkhealth.runner import run_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(linked_guide, fast_config):
    run_checks(config=fast_config)
    return linked_guide


def _break_resource_link(display: str) -> Link:
    resource = Resource.objects.get()
    link, _ = Link.objects.get_or_create(url=resource.link)
    link.status = LinkStatus.BROKEN
    link.http_status = 404
    link.broken_display = display
    link.last_ok_at = datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)
    # Confirmed by two checks days apart (tests/linkhealth/test_desk.py tests the rule).
    link.confirmed_broken_at = datetime(2024, 4, 5, tzinfo=UTC)
    link.save()
    return link


def test_reader_sees_archived_copy_for_broken_resource(client, guide):
    link = _break_resource_link(BrokenLinkDisplay.ARCHIVE)
    html = client.get("/section-1/").content.decode()
    archive = f"https://web.archive.org/web/20240305060708/{link.url}"
    assert link.archive_url == archive
    assert f'<a href="{archive}" rel="noopener noreferrer">Read the archived copy' in html


def test_reader_sees_a_note_when_editors_choose_it(client, guide):
    _break_resource_link(BrokenLinkDisplay.NOTE)
    html = client.get("/section-1/").content.decode()
    assert "This link may be broken" in html
    assert "web.archive.org" not in html


def test_hidden_link_is_not_offered(guide):
    link = _break_resource_link(BrokenLinkDisplay.HIDE)
    request = RequestFactory().get("/section-1/")
    template = Template(
        "{% load linkhealth_tags %}{% shown_link url as href %}[{{ href }}]"
        '{% include "linkhealth/resource_link_notice.html" %}'
    )
    out = template.render(
        Context({"request": request, "url": link.url, "resource": Resource.objects.get()})
    )
    assert out.startswith("[]")
    assert "no longer works, so it is not shown" in out
    ok = template.render(
        Context({"request": request, "url": "https://fine.example/", "resource": None})
    )
    assert ok.startswith("[https://fine.example/]")


def test_working_links_get_no_notice(client, guide):
    html = client.get("/section-1/").content.decode()
    assert "link-notice" not in html


def test_link_report_filters_by_status_section_and_host(admin_client, checked, local_site):
    response = admin_client.get("/admin/link-health/?status=broken")
    html = response.content.decode()
    assert response.status_code == 200
    assert local_site.url("/missing") in html and local_site.url("/gone") in html
    assert local_site.url("/moved-301") not in html

    section = SectionPage.objects.get(slug="section-2")
    html = admin_client.get(f"/admin/link-health/?section={section.pk}").content.decode()
    assert local_site.url("/ok") in html
    assert local_site.url("/soft-404") not in html

    html = admin_client.get("/admin/link-health/?host=elsewhere.example").content.decode()
    assert "No links match these filters." in html


def test_link_report_explains_bad_filters(admin_client, checked):
    response = admin_client.get("/admin/link-health/?status=dead&section=abc&sort=colour&p=zz")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no link status called dead." in html
    assert "There is no section with that id." in html
    assert "Links cannot be sorted by colour." in html


def test_link_detail_shows_history_usages_and_edit_links(admin_client, checked, local_site):
    link = Link.objects.get(url=local_site.url("/moved-301"))
    html = admin_client.get(f"/admin/link-health/{link.pk}/").content.decode()
    assert "Update everywhere to" in html
    assert "301: " + local_site.url("/moved-301") in html
    resource = Resource.objects.get()
    assert f"/admin/snippets/library/resource/edit/{resource.pk}/" in html
    section = SectionPage.objects.get(slug="section-1")
    assert f"/admin/pages/{section.pk}/edit/" in html


def test_editor_chooses_what_readers_see(admin_client, checked, local_site):
    link = Link.objects.get(url=local_site.url("/missing"))
    admin_client.post(f"/admin/link-health/{link.pk}/display/", {"broken_display": "note"})
    link.refresh_from_db()
    assert link.broken_display == "note"
    response = admin_client.post(
        f"/admin/link-health/{link.pk}/display/", {"broken_display": "delete"}, follow=True
    )
    assert "Choose one of the options" in response.content.decode()
    link.refresh_from_db()
    assert link.broken_display == "note"


def test_one_click_update_from_the_admin(admin_client, checked, local_site):
    link = Link.objects.get(url=local_site.url("/moved-301"))
    response = admin_client.post(f"/admin/link-health/{link.pk}/update/", follow=True)
    assert "Updated to " + local_site.url("/ok") in response.content.decode()
    assert Resource.objects.get().url == local_site.url("/ok")
    broken = Link.objects.get(url=local_site.url("/missing"))
    refused = admin_client.post(f"/admin/link-health/{broken.pk}/update/", follow=True)
    assert "Only links that moved permanently" in refused.content.decode()


def test_recheck_from_the_admin_adds_history(admin_client, checked, local_site, settings):
    settings.LINKHEALTH_TIMEOUT, settings.LINKHEALTH_PER_HOST_DELAY = 1.0, 0.0
    link = Link.objects.get(url=local_site.url("/gone"))
    admin_client.post(f"/admin/link-health/{link.pk}/recheck/")
    assert link.checks.count() == 2


def test_dashboard_shows_link_health_panel(admin_client, checked):
    html = admin_client.get("/admin/").content.decode()
    panel = html[html.index('id="link-health-content"') :]
    assert re.search(r"<strong>\d+</strong> links need attention", panel)
    assert "Open the link-health report" in panel


def test_update_needs_publish_permission_on_the_pages(
    client, checked, local_site, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    link = Link.objects.get(url=local_site.url("/moved-301"))
    response = client.post(f"/admin/link-health/{link.pk}/update/", follow=True)
    assert "pages you cannot publish: Section 1" in response.content.decode()
    assert Resource.objects.get().url == local_site.url("/moved-301")


def test_section_page_drops_the_title_link_when_editors_hide_it(client, guide):
    link = _break_resource_link(BrokenLinkDisplay.HIDE)
    html = client.get("/section-1/").content.decode()
    title = re.search(r'<h3 class="resource__title">(.*?)</h3>', html, re.S).group(1)
    assert "<a " not in title
    assert f'href="{link.url}"' not in html.split('class="cite')[0]
    assert "no longer works, so it is not shown" in html
