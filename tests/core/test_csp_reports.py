"""The CSP report endpoint keeps daily counts and nothing about who sent a report."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fieldguide.core.models import CspReport

pytestmark = pytest.mark.django_db

URL = "/csp-report/"
READER_ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) ReaderBrowser/123.4"


def legacy(directive="script-src-elem", blocked="https://evil.example:8443/x.js?id=ana", **extra):
    report = {
        "document-uri": "https://guide.example/search/?q=my+landlord#top",
        "referrer": "https://guide.example/private/?who=ana",
        "violated-directive": directive,
        "effective-directive": directive,
        "original-policy": "default-src 'none'",
        "blocked-uri": blocked,
        "script-sample": "alert('ana@example.org')",
        "status-code": 200,
        **extra,
    }
    return json.dumps({"csp-report": report})


def reporting_api(blocked="inline", path="/glossary/"):
    return json.dumps(
        [
            {
                "type": "csp-violation",
                "age": 10,
                "url": f"https://guide.example{path}?zip=90210",
                "user_agent": AGENT,
                "body": {
                    "documentURL": f"https://guide.example{path}?zip=90210",
                    "blockedURL": blocked,
                    "effectiveDirective": "style-src-elem",
                    "disposition": "enforce",
                    "sample": "body{color:red}",
                },
            },
            {"type": "deprecation", "body": {"id": "x"}},
        ]
    )


def post(body, content_type="application/csp-report", **extra):
    return Client(REMOTE_ADDR=READER_ADDRESS, HTTP_USER_AGENT=AGENT).post(
        URL, body, content_type=content_type, **extra
    )


def stored_text() -> str:
    return json.dumps(list(CspReport.objects.values()), default=str)


def test_reports_in_both_shapes_become_counts(settings):
    for _ in range(3):
        response = post(legacy())
        assert response.status_code == 204
        assert not response.cookies
    assert post(reporting_api(), "application/reports+json").status_code == 204
    rows = {(r.directive, r.blocked, r.path): r.count for r in CspReport.objects.all()}
    assert rows == {
        ("script-src-elem", "https://evil.example:8443", "/search/"): 3,
        ("style-src-elem", "inline", "/glossary/"): 1,
    }


def test_nothing_about_the_reader_is_stored():
    post(legacy())
    post(reporting_api(), "application/reports+json")
    post(legacy(blocked="data:image/png;base64,QU5B"))
    post(legacy(blocked="chrome-extension://abcdefghijklmnopabcdefghijklmnop/inject.js"))
    text = stored_text()
    for secret in (
        READER_ADDRESS,
        "ReaderBrowser",
        "landlord",
        "q=",
        "zip",
        "90210",
        "ana",
        "private",
        "x.js",
        "QU5B",
        "abcdefghijklmnop",
        "color:red",
    ):
        assert secret not in text, secret
    blocked = set(CspReport.objects.values_list("blocked", flat=True))
    assert {"data:", "chrome-extension:"} <= blocked


GARBAGE = [
    b"",
    b"not json",
    b"\xff\xfe\x00garbage",
    b"[" * 5000 + b"]" * 5000,
    b'"a string"',
    b"123",
    b"{}",
    b'{"csp-report": "nope"}',
    b'{"csp-report": {"blocked-uri": {"a": 1}, "effective-directive": ["x"]}}',
    b'{"csp-report": {"blocked-uri": "http://[::1", "document-uri": "http://h:99999/"}}',
    b'{"csp-report": {"blocked-uri": "https://\\u0000evil/", "document-uri": "/\\ud800/"}}',
    b'{"csp-report": {"effective-directive": "\\u0000", "document-uri": "\\u0000"}}',
    json.dumps([{"type": "csp-violation", "body": "x"}, 7, None]).encode(),
    json.dumps({"csp-report": {"document-uri": "/" + "a" * 5000}}).encode(),
]


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_is_answered_without_a_server_error(body):
    client = Client(raise_request_exception=False)
    response = client.post(URL, body, content_type="application/csp-report")
    assert response.status_code in {204, 400}, response.status_code
    for row in CspReport.objects.all():
        assert len(row.path) <= 200 and "\x00" not in row.path + row.blocked + row.directive


def test_a_huge_body_is_refused_unread(settings):
    body = legacy(extra="x" * (settings.CSP_REPORT_MAX_BYTES + 1))
    assert post(body).status_code == 413
    assert not CspReport.objects.exists()


def test_only_post_is_accepted():
    assert Client().get(URL).status_code == 405


def test_reports_are_rate_limited_for_the_whole_site(settings):
    settings.CSP_REPORT_RATE = "3/m"
    codes = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post(URL, legacy(), content_type="application/csp-report")
        .status_code
        for n in range(5)
    ]
    assert codes == [204, 204, 204, 429, 429]
    assert CspReport.objects.get().count == 3


def test_new_kinds_past_the_daily_cap_are_folded_into_one_row(settings):
    settings.CSP_REPORT_MAX_KINDS_PER_DAY = 2
    for n in range(5):
        post(legacy(blocked=f"https://host{n}.example/"))
    assert CspReport.objects.count() == 3
    folded = CspReport.objects.get(path="(too many kinds today)")
    assert folded.count == 3


def test_both_policies_report_to_the_endpoint(client, guide, admin_client):
    for response in (client.get("/"), admin_client.get("/admin/")):
        policy = response["Content-Security-Policy"]
        assert f"report-uri {URL}" in policy
        assert "report-to csp" in policy
        assert response["Reporting-Endpoints"] == f'csp="{URL}"'


def test_superusers_see_the_counts_and_editors_do_not(admin_client, client, django_user_model):
    post(legacy())
    response = admin_client.get("/admin/csp-reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "https://evil.example:8443" in html and "/search/" in html
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    editor.user_permissions.add(*_admin_access())
    client.force_login(editor)
    assert client.get("/admin/csp-reports/").status_code in {302, 403}


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="access_admin")
