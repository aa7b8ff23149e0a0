"""Links the outbound client refuses: recorded as refused, never broken or "moved" inward.

Before the outbound client, the checker followed a 301 to 127.0.0.1, called the link
"Moved permanently", and "Update everywhere" published the internal address.
"""

from __future__ import annotations

import pytest

from fieldguide.guide.models import SectionPage
from fieldguide.library.models import Resource
from fieldguide.linkhealth.fixes import FixError, apply_permanent_redirect
from fieldguide.linkhealth.models import Link, LinkStatus
from fieldguide.linkhealth.runner import run_checks
from tests.servers import RecordingServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal():
    """A loopback server nobody allowed: an internal page an attacker wants reached."""
    with RecordingServer() as server:
        server.page("/", b"<title>Router admin</title>" + b"<p>secret</p>" * 200)
        yield server


def _point_resource_at(url: str) -> Resource:
    resource = Resource.objects.get()
    resource.url = url
    resource.save()
    return resource


def test_a_link_moved_to_an_internal_address_is_refused_not_moved(
    linked_guide, allowed_site, internal, fast_config, admin_client, client
):
    allowed_site.routes["/moved-inward"] = (301, {"Location": internal.url("/")}, "")
    _point_resource_at(allowed_site.url("/moved-inward"))
    section = SectionPage.objects.get(slug="section-1")
    revisions = section.revisions.count()

    run_checks(config=fast_config)

    link = Link.objects.get(url=allowed_site.url("/moved-inward"))
    assert link.status == LinkStatus.REFUSED
    assert link.error == (
        "Refused to fetch from 127.0.0.1: it is a loopback address (this server itself)."
    )
    assert link.final_url == internal.url("/")
    assert link.checks.get().status == LinkStatus.REFUSED
    assert internal.connections == 0
    assert not link.is_permanent_redirect

    detail = admin_client.get(f"/admin/link-health/{link.pk}/").content.decode()
    assert "Not checked (address refused)" in detail and "loopback address" in detail
    assert "Update everywhere" not in detail
    report = admin_client.get("/admin/link-health/?status=refused").content.decode()
    assert allowed_site.url("/moved-inward") in report
    with pytest.raises(FixError, match="Only links that moved permanently"):
        apply_permanent_redirect(link)

    # Readers are not told a refused link is broken; nothing was published.
    html = client.get("/section-1/").content.decode()
    assert "link-notice" not in html and "web.archive.org" not in html
    assert allowed_site.url("/moved-inward") in html
    assert internal.url("/") not in html
    assert SectionPage.objects.get(pk=section.pk).revisions.count() == revisions
    assert Resource.objects.get().url == allowed_site.url("/moved-inward")


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://localhost/admin", "http://10.0.0.1/"],
)
def test_a_link_to_an_internal_address_is_refused_and_readers_see_no_notice(
    linked_guide, fast_config, client, admin_client, url
):
    _point_resource_at(url)
    run_checks(urls=[url], config=fast_config)
    link = Link.objects.get(url=url)
    assert link.status == LinkStatus.REFUSED
    assert link.error.startswith("Refused to fetch from ")
    assert link.last_ok_at is None
    html = client.get("/section-1/").content.decode()
    assert "link-notice" not in html
    # Editors are asked to look at it.
    dashboard = admin_client.get("/admin/").content.decode()
    assert "<strong>1</strong> link needs attention" in dashboard


def test_update_everywhere_never_publishes_an_internal_target_from_an_old_check(
    linked_guide, allowed_site, fast_config, admin_client
):
    """A "moved" record written before the client refused inward redirects."""
    run_checks(config=fast_config)
    link = Link.objects.get(url=allowed_site.url("/moved-301"))
    link.final_url = "http://169.254.169.254/latest/meta-data/"
    link.save()
    section = SectionPage.objects.get(slug="section-1")
    revisions = section.revisions.count()

    detail = admin_client.get(f"/admin/link-health/{link.pk}/").content.decode()
    assert "Update everywhere" not in detail
    response = admin_client.post(f"/admin/link-health/{link.pk}/update/", follow=True)
    html = response.content.decode()
    assert "Refused to fetch from 169.254.169.254: it is a link-local address" in html
    assert "Nothing was changed." in html
    assert Resource.objects.get().url == allowed_site.url("/moved-301")
    assert SectionPage.objects.get(pk=section.pk).revisions.count() == revisions
    assert "169.254.169.254" not in SectionPage.objects.get(pk=section.pk).introduction
