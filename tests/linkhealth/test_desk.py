"""The editors' desk (issue 11): states editors can trust, and readers told only what is sure.

Before: a DNS failure, a timeout, a 5xx or a 429 counted as "broken" exactly like a 404;
one run with the network down told readers 42 resources were gone and the dashboard
showed raw ``[Errno -3]`` text.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import ExitStack
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from fieldguide.core.page_cache import current_generation
from fieldguide.guide.freshness import section_fingerprint
from fieldguide.guide.models import Action, GlossaryTerm, SectionPage, SectionStatus
from fieldguide.library.models import SOCIAL_FIELDS, Profile, Resource
from fieldguide.linkhealth.checker import check_urls_sync
from fieldguide.linkhealth.models import Link, LinkCheck, LinkHealthSettings, LinkStatus
from fieldguide.linkhealth.runner import run_checks
from tests.linkhealth.conftest import config_allowing
from tests.linkhealth.site import LocalSite

pytestmark = pytest.mark.django_db

ROBOTS = "User-agent: *\nDisallow: /private/\nAllow: /private/open\nDisallow: /*.pdf$\n"


# --- the checker: what counts as broken, and what could not be checked ---------------


@pytest.fixture(scope="module")
def answers(local_site):
    """One run over every kind of answer that is not about the work itself."""
    paths = ["/busy", "/forbidden", "/error", "/slow", "/missing", "/gone", "/soft-404"]
    urls = [local_site.url(p) for p in paths]
    # TLS: the local server speaks plain HTTP, so a TLS handshake with it fails.
    tls = local_site.url("/ok").replace("http://", "https://")
    # DNS: .invalid never resolves (RFC 2606).
    dns = "http://no-such-host.invalid/report"
    config = config_allowing(local_site.origin, down_min_hosts=0)
    results = check_urls_sync([*urls, tls, dns], config)
    named = {url.replace(local_site.base, ""): r for url, r in results.items()}
    named["tls"], named["dns"] = results[tls], results[dns]
    return named


@pytest.mark.parametrize(
    "key,code,message",
    [
        ("/busy", 429, "The server asked the checker to slow down (HTTP 429); it will try again."),
        (
            "/forbidden",
            403,
            "The server would not let the checker in (HTTP 403); a reader may still get in.",
        ),
        ("/error", 500, "The server had an error (HTTP 500); it will be tried again."),
        ("/slow", None, "The site did not answer within 0.5 seconds."),
        ("tls", None, "The site's security certificate could not be verified (TLS error)."),
        ("dns", None, "The site's name could not be found (DNS lookup failed)."),
    ],
)
def test_no_answer_about_the_work_is_could_not_check(answers, key, code, message):
    result = answers[key]
    assert (result.status, result.http_status, result.error) == ("unreachable", code, message)


def test_gone_answers_are_broken_and_every_message_is_plain(answers):
    assert {answers[k].status for k in ("/missing", "/gone", "/soft-404")} == {"broken"}
    assert not [r.error for r in answers.values() if "Errno" in r.error or "[" in r.error]


def test_robots_txt_wildcard_and_allow_override():
    """urllib.robotparser refused /private/open (first match wins) and fetched the PDF."""
    with LocalSite() as site:
        site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, ROBOTS)
        site.routes["/private/open"] = site.routes["/ok"]
        site.routes["/files/report.pdf"] = site.routes["/report.pdf"]
        urls = [site.url(p) for p in ("/private/open", "/private/closed", "/files/report.pdf")]
        results = check_urls_sync(urls, config_allowing(site.origin))
        fetched = {path for _, path, _ in site.requests}
    assert [results[u].status for u in urls] == ["ok", "robots", "robots"]
    assert fetched == {"/robots.txt", "/private/open"}


# --- runs against the guide ------------------------------------------------------------


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """run_checks with its on-commit work done (the page cache's generation bump), as
    in production; a test transaction never commits on its own."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return run_checks(**kwargs)

    return run


def _point_guide_at(bases: list[str], resource_path: str = "/ok") -> None:
    """Every link of the test guide on one of the given servers (round-robin by kind)."""
    resource = Resource.objects.get()
    resource.url, resource.doi = bases[0] + resource_path, ""
    resource.save()
    blank = {name: "" for name, _ in SOCIAL_FIELDS}
    Profile.objects.update(website=bases[1 % len(bases)] + "/ok", **blank)
    Action.objects.update(url=bases[2 % len(bases)] + "/ok")
    GlossaryTerm.objects.update(definition=f'<p><a href="{bases[-1]}/ok2">More</a></p>')


def _reader_state() -> list[tuple]:
    return list(
        Link.objects.order_by("url").values_list(
            "url", "status", "error", "checked_at", "broken_checks", "confirmed_broken_at"
        )
    )


@pytest.fixture
def four_hosts(settings, guide):
    """Four local servers on four loopback addresses, the guide's links spread over them."""
    with ExitStack() as stack:
        sites = [stack.enter_context(LocalSite(host=f"127.0.0.{n}")) for n in (1, 2, 3, 4)]
        settings.FIELDGUIDE_OUTBOUND_ALLOW = [s.origin for s in sites]
        settings.LINKHEALTH_TIMEOUT, settings.LINKHEALTH_RETRIES = 0.5, 0
        settings.LINKHEALTH_PER_HOST_DELAY, settings.LINKHEALTH_BACKOFF = 0.0, 0.01
        _point_guide_at([s.base for s in sites], resource_path="/missing")
        yield sites


def test_a_run_where_every_host_fails_changes_nothing_readers_see(check, four_hosts, client):
    settings_confirm = {"LINKHEALTH_CONFIRM_BROKEN_DAYS": 0}
    from django.test import override_settings

    with override_settings(**settings_confirm):
        check()
        check()  # the second broken check confirms the resource link for readers
    hosts = {urlsplit(url).hostname for url, *_ in _reader_state()}
    assert hosts == {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}
    before_html = client.get("/section-1/").content.decode()
    assert "The original link may no longer work." in before_html
    before, checks = _reader_state(), LinkCheck.objects.count()
    generation = current_generation()

    for site in four_hosts:  # the network goes down: nothing answers any more
        site.shutdown()
        site.server_close()
    summary = check()

    assert summary.checked == 0
    assert str(summary) == (
        "The network looks down: 4 of 4 sites could not be reached, so the check stopped "
        "and nothing was changed. Try again later."
    )
    assert _reader_state() == before and LinkCheck.objects.count() == checks
    assert current_generation() == generation  # no cached reader page is even rebuilt
    assert client.get("/section-1/").content.decode() == before_html
    with pytest.raises(CommandError, match="The network looks down"):
        call_command("check_links")


def test_one_host_down_could_not_check_and_readers_keep_what_they_had(check, four_hosts, client):
    from django.test import override_settings

    with override_settings(LINKHEALTH_CONFIRM_BROKEN_DAYS=0):
        check()
        check()
    four_hosts[1].shutdown()  # the profile's site only
    four_hosts[1].server_close()
    check()
    profile_link = Link.objects.get(url=four_hosts[1].url("/ok"))
    assert profile_link.status == LinkStatus.UNREACHABLE
    assert profile_link.error == "The site did not accept the connection."
    html = client.get("/section-1/").content.decode()
    # The confirmed broken resource link still has its notice; nothing new appeared.
    assert html.count("link-notice") == 1


def test_two_broken_checks_days_apart_before_readers_are_told(
    check, linked_guide, allowed_site, fast_config, client, settings
):
    settings.LINKHEALTH_CONFIRM_BROKEN_DAYS = 3
    url = allowed_site.url("/desk-flip")
    allowed_site.routes["/desk-flip"] = allowed_site.routes["/missing"]
    Resource.objects.update(url=url)
    try:
        check(urls=[url], config=fast_config)
        check(urls=[url], config=fast_config)
        link = Link.objects.get(url=url)
        assert (link.status, link.broken_checks, link.confirmed_broken_at) == ("broken", 2, None)
        assert "link-notice" not in client.get("/section-1/").content.decode()

        # A could-not-check in between neither resets nor confirms.
        allowed_site.routes["/desk-flip"] = allowed_site.routes["/error"]
        check(urls=[url], config=fast_config)
        link.refresh_from_db()
        assert (link.status, link.broken_checks, link.confirmed_broken_at) == (
            "unreachable",
            2,
            None,
        )

        # As if the first broken check was four days ago: the next broken one confirms.
        Link.objects.filter(pk=link.pk).update(broken_since=timezone.now() - timedelta(days=4))
        allowed_site.routes["/desk-flip"] = allowed_site.routes["/gone"]
        section = SectionPage.objects.get(slug="section-1")
        fingerprint = SectionStatus.objects.get(page=section).fingerprint
        check(urls=[url], config=fast_config)
        link.refresh_from_db()
        assert link.confirmed_broken_at is not None
        # The notice is part of what readers see on the section: its fingerprint moved.
        assert SectionStatus.objects.get(page=section).fingerprint != fingerprint
        assert "The original link may no longer work." in client.get("/section-1/").content.decode()

        # The page comes back: readers see the link as it is again.
        allowed_site.routes["/desk-flip"] = allowed_site.routes["/ok"]
        check(urls=[url], config=fast_config)
        link.refresh_from_db()
        assert (link.broken_since, link.broken_checks, link.confirmed_broken_at) == (None, 0, None)
        assert "link-notice" not in client.get("/section-1/").content.decode()
    finally:
        del allowed_site.routes["/desk-flip"]


def _confirm(url: str, **fields) -> Link:
    link, _ = Link.objects.get_or_create(url=url)
    for name, value in {
        "status": LinkStatus.BROKEN,
        "http_status": 404,
        "confirmed_broken_at": timezone.now(),
        **fields,
    }.items():
        setattr(link, name, value)
    link.save()
    return link


def test_reader_notices_join_the_section_fingerprint_only_when_shown(guide):
    """guide/ knows nothing of linkhealth: the notice comes in through a hook."""
    section = SectionPage.objects.get(slug="section-1")
    before = section_fingerprint(section)
    link = _confirm(Resource.objects.get().link)
    assert section_fingerprint(section) != before
    link.dismissed_at = timezone.now()
    link.save()
    assert section_fingerprint(section) == before


def test_site_default_and_per_link_override(client, guide):
    link = _confirm(Resource.objects.get().link)
    setting = LinkHealthSettings.load()
    setting.broken_display = "note"
    setting.save()
    assert "This link may be broken" in client.get("/section-1/").content.decode()
    link.broken_display = "archive"
    link.save()
    html = client.get("/section-2/").content.decode()
    assert "Read the archived copy" in html and "This link may be broken" not in html


# --- the admin: bulk actions, check now, permissions ----------------------------------


@pytest.fixture
def checked(linked_guide, fast_config):
    run_checks(config=fast_config)
    return linked_guide


def _bulk(client, **data):
    return client.post("/admin/link-health/bulk/", data, follow=True)


def test_bulk_set_treatment_dismiss_and_relist(admin_client, checked, local_site, client):
    missing = Link.objects.get(url=local_site.url("/missing"))
    gone = Link.objects.get(url=local_site.url("/gone"))
    response = _bulk(
        admin_client, action="display", display="hide", links=[missing.pk, gone.pk], query=""
    )
    assert "2 links: readers now see hide the link." in response.content.decode()
    assert set(Link.objects.filter(broken_display="hide")) == {missing, gone}

    attention = Link.objects.in_use().needs_attention().count()
    response = _bulk(admin_client, action="dismiss", links=[missing.pk], query="attention=on")
    assert "1 link dismissed" in response.content.decode()
    assert Link.objects.in_use().needs_attention().count() == attention - 1
    report = admin_client.get("/admin/link-health/?attention=on").content.decode()
    assert local_site.url("/missing") not in report and local_site.url("/gone") in report

    _bulk(admin_client, action="undismiss", links=[missing.pk], query="")
    assert Link.objects.in_use().needs_attention().count() == attention


def test_bulk_on_everything_matching_the_filters(admin_client, checked, local_site):
    broken = set(Link.objects.in_use().filter(status="broken"))
    _bulk(admin_client, action="display", display="note", all_matching="on", query="status=broken")
    assert set(Link.objects.filter(broken_display="note")) == broken
    assert len(broken) >= 3


def test_check_now_for_a_section_and_bad_bulk_input(admin_client, checked, local_site, settings):
    settings.LINKHEALTH_PER_HOST_DELAY, settings.LINKHEALTH_TIMEOUT = 0.0, 0.5
    section = SectionPage.objects.get(slug="section-2")
    html = admin_client.get(f"/admin/link-health/?section={section.pk}").content.decode()
    assert "Check the " in html and "“Section 2” now" in html
    links = list(Link.objects.filter(usages__section=section).distinct())
    checks = LinkCheck.objects.count()
    response = _bulk(
        admin_client, action="recheck", all_matching="on", query=f"section={section.pk}"
    )
    assert f"Checked {len(links)} link" in response.content.decode()
    assert LinkCheck.objects.count() == checks + len(links)

    response = _bulk(admin_client, action="explode", links=["999999"], query="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no action called explode." in html


def test_dashboard_counts_only_what_needs_attention_in_plain_words(admin_client, checked):
    Link.objects.filter(status="broken").update(
        status=LinkStatus.UNREACHABLE,
        error="The site's name could not be found (DNS lookup failed).",
    )
    html = admin_client.get("/admin/").content.decode()
    panel = html[html.index('id="link-health-content"') :]
    panel = panel[: panel.index("Open the link-health report")]
    attention = Link.objects.in_use().needs_attention().count()
    assert re.search(rf"<strong>{attention}</strong> links? needs? attention", panel)
    unreachable = Link.objects.in_use().filter(status="unreachable").count()
    assert f"{unreachable} links could not be checked" in panel
    assert "readers are not told anything" in panel
    assert "Errno" not in panel


def _user(django_user_model, name: str, *perms: str, publish: bool = False):
    user = django_user_model.objects.create_user(name, password="x")
    for perm in ("wagtailadmin.access_admin", *perms):
        app, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    if publish:
        group = Group.objects.create(name=f"{name}-publishers")
        root = Page.objects.get(depth=1)
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group, page=root, permission=Permission.objects.get(codename=codename)
            )
        user.groups.add(group)
    return user


def test_each_action_checks_its_permission(client, checked, local_site, django_user_model):
    moved = Link.objects.get(url=local_site.url("/moved-301"))
    gone = Link.objects.get(url=local_site.url("/gone"))
    actions = {
        "bulk": ("/admin/link-health/bulk/", {"action": "dismiss", "links": [gone.pk]}),
        "recheck": (f"/admin/link-health/{gone.pk}/recheck/", {}),
        "display": (f"/admin/link-health/{gone.pk}/display/", {"broken_display": "hide"}),
        "update": (f"/admin/link-health/{moved.pk}/update/", {}),
    }

    nobody = _user(django_user_model, "nobody")
    client.force_login(nobody)
    assert client.get("/admin/link-health/").status_code == 403
    assert "/admin/link-health/" not in client.get("/admin/").content.decode()

    viewer = _user(django_user_model, "viewer", "linkhealth.view_link")
    client.force_login(viewer)
    report = client.get("/admin/link-health/").content.decode()
    detail = client.get(f"/admin/link-health/{moved.pk}/").content.decode()
    assert "Apply" not in report and "Check again now" not in detail
    assert "Update everywhere" not in detail
    assert {name: client.post(url, data).status_code for name, (url, data) in actions.items()} == {
        "bulk": 403,
        "recheck": 403,
        "display": 403,
        "update": 403,
    }

    changer = _user(django_user_model, "changer", "linkhealth.change_link")
    client.force_login(changer)
    detail = client.get(f"/admin/link-health/{moved.pk}/").content.decode()
    assert "Check again now" in detail and "Update everywhere" not in detail
    refused = client.post(*actions["update"])
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "you may not change resource urls" in text
    assert "pages you cannot publish: Section 1" in text
    assert client.post(*actions["display"]).status_code == 302
    assert Resource.objects.get().url == local_site.url("/moved-301")

    # change_resource without publish rights is still not enough.
    half = _user(django_user_model, "half", "linkhealth.change_link", "library.change_resource")
    client.force_login(half)
    assert client.post(*actions["update"]).status_code == 403

    editor = _user(
        django_user_model,
        "editor",
        "linkhealth.change_link",
        "library.change_resource",
        "library.change_profile",
        "guide.change_glossaryterm",
        publish=True,
    )
    client.force_login(editor)
    assert "Update everywhere" in client.get(f"/admin/link-health/{moved.pk}/").content.decode()
    assert client.post(*actions["update"]).status_code == 302
    assert Resource.objects.get().url == local_site.url("/ok")


# --- archiving new links (Save Page Now) and Robust Links -----------------------------


class SavePageNowStub(ThreadingHTTPServer):
    """The two calls of the Internet Archive's Save Page Now 2 API, on 127.0.0.1.

    ``POST /save`` with ``url=…`` answers a job id; ``GET /save/status/<job>`` answers
    that the capture succeeded, with its timestamp (the shapes the SPN2 draft describes).
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SpnHandler)
        self.submitted: list[dict] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> SavePageNowStub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _SpnHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def _json(self, data: dict, status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        stub: SavePageNowStub = self.server  # type: ignore[assignment]
        stub.submitted.append({"path": self.path, "url": form.get("url", [""])[0]})
        if self.path != "/save":
            return self._json({"message": "not here"}, 404)
        self._json({"url": form["url"][0], "job_id": f"spn2-{len(stub.submitted)}"})

    def do_GET(self) -> None:  # noqa: N802
        stub: SavePageNowStub = self.server  # type: ignore[assignment]
        job = self.path.removeprefix("/save/status/")
        number = int(job.removeprefix("spn2-")) - 1
        url = stub.submitted[number]["url"]
        self._json({"status": "success", "timestamp": "20261201120000", "original_url": url})


def test_new_links_are_archived_and_carry_robust_links_attributes(
    check, linked_guide, allowed_site, fast_config, client, settings
):
    with SavePageNowStub() as stub:
        settings.FIELDGUIDE_OUTBOUND_ALLOW = [
            allowed_site.origin,
            f"127.0.0.1:{stub.server_address[1]}",
        ]
        resource_url = allowed_site.url("/ok3")
        Resource.objects.update(url=resource_url)
        check(config=fast_config)  # off by default: nothing is sent
        assert stub.submitted == []

        settings.LINKHEALTH_ARCHIVE_NEW_LINKS = True
        settings.LINKHEALTH_ARCHIVE_API = stub.base
        check(config=fast_config)
        good = Link.objects.in_use().filter(status__in=["ok", "redirected"])
        assert sorted(s["url"] for s in stub.submitted) == sorted(
            good.values_list("url", flat=True)
        )
        assert {s["path"] for s in stub.submitted} == {"/save"}
        link = Link.objects.get(url=resource_url)
        assert link.archive_job and link.archived_url == ""
        assert "data-versionurl" not in client.get("/section-1/").content.decode()

        check(config=fast_config)  # the next run asks how the capture went
        link.refresh_from_db()
        archived = f"{stub.base}/web/20261201120000/{resource_url}"
        assert (link.archived_url, link.archive_job) == (archived, "")
        assert len(stub.submitted) == good.count()  # nothing submitted twice
    attrs = f'data-versionurl="{archived}" data-versiondate="2026-12-01"'
    html = client.get("/section-1/").content.decode()
    assert f'<a href="{resource_url}" rel="noopener noreferrer" {attrs}>' in html
    cite = client.get(f"/library/{Resource.objects.get().key}/").content.decode()
    assert f'rel="noopener noreferrer" {attrs}>Go to the resource</a>' in cite
