"""An editor signs in, edits a section in the Wagtail admin, publishes, and readers see it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from fieldguide.guide.models import SectionPage, SectionStatus

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """Collects the fields of the page editor form as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in a and tag not in {"option"}:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"submit", "button", "file"}:
                return
            self.data.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data.setdefault(a["name"], []).append("")
        elif tag == "select":
            self._select, self._select_first = a["name"], None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.data[self._select] = [value]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, [self._select_first or ""])
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def test_editor_signs_in_edits_publishes_and_reader_sees_change(client, guide):
    get_user_model().objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "a-long-test-password"}
    )
    assert response.status_code == 302

    section = SectionPage.objects.get(slug="section-1")
    before = SectionStatus.objects.get(page=section).content_changed_at
    edit_url = f"/admin/pages/{section.pk}/edit/"
    page = client.get(edit_url)
    assert page.status_code == 200
    html = page.content.decode()
    for heading in (
        "Selected Resources",
        "Discussion Questions",
        "Who To Follow",
        "For Further Learning",
    ):
        assert heading in html

    parser = FormFields("page-edit-form")
    parser.feed(html)
    data = parser.data
    assert data["title"] == ["Section 1"]
    data["title"] = ["Section one, revised"]
    data["summary"] = ["A summary the editor rewrote."]
    data["action-publish"] = ["action-publish"]
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    reader = client.get("/section-1/").content.decode()
    assert '<h1 id="section-title">Section one, revised</h1>' in reader
    home = client.get("/").content.decode()
    assert "A summary the editor rewrote." in home
    after = SectionStatus.objects.get(page=section).content_changed_at
    assert after > before


def test_sign_in_is_rate_limited(client, guide, settings):
    settings.LOGIN_RATE = "3/m"
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
    assert response.status_code == 429


def test_admin_has_its_own_csp_and_readers_keep_the_strict_one(client, guide):
    admin = client.get("/admin/login/")
    assert "'unsafe-inline'" in admin["Content-Security-Policy"]
    reader = client.get("/")
    assert "'unsafe-inline'" not in reader["Content-Security-Policy"]
