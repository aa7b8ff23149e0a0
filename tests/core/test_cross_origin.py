"""Reader forms are guarded by Sec-Fetch-Site/Origin, with no cookie; the admin keeps CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import ContactMessage, SectionPage

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example"
# Django's test client answers for "testserver".
OWN = "http://testserver"


@pytest.fixture
def forms(guide) -> dict[str, tuple[str, dict[str, str], type]]:
    section = SectionPage.objects.get(slug="section-1")
    return {
        "contact": ("/contact/", {"message": "Link 3 moved."}, ContactMessage),
        "suggest": (
            f"/suggest/{section.pk}/",
            {"url": "https://www.example.org/report", "reason": "Fits."},
            ResourceSuggestion,
        ),
    }


def headers(fetch_site: str | None, origin: str | None) -> dict[str, str]:
    sent = {}
    if fetch_site is not None:
        sent["HTTP_SEC_FETCH_SITE"] = fetch_site
    if origin is not None:
        sent["HTTP_ORIGIN"] = origin
    return sent


REFUSED = [
    pytest.param("cross-site", EVIL, id="cross-site"),
    pytest.param("same-site", "https://other.testserver", id="same-site-subdomain"),
    pytest.param("cross-site", None, id="cross-site-without-origin"),
    pytest.param(None, EVIL, id="old-browser-other-origin"),
    pytest.param(None, "null", id="old-browser-opaque-origin"),
]
ALLOWED = [
    pytest.param("same-origin", OWN, id="same-origin"),
    pytest.param("none", None, id="typed-by-the-user"),
    pytest.param(None, OWN, id="old-browser-own-origin"),
    pytest.param(None, None, id="not-a-browser"),
]


@pytest.mark.parametrize("form", ["contact", "suggest"])
@pytest.mark.parametrize(("fetch_site", "origin"), REFUSED)
def test_cross_site_post_is_refused_and_stores_nothing(forms, form, fetch_site, origin):
    url, data, model = forms[form]
    response = Client().post(url, data, **headers(fetch_site, origin))
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form was sent from another site" in html
    assert "Nothing was stored" in html
    assert not model.objects.exists()
    assert not response.cookies


@pytest.mark.parametrize("form", ["contact", "suggest"])
@pytest.mark.parametrize(("fetch_site", "origin"), ALLOWED)
def test_same_origin_post_is_accepted_without_any_cookie(forms, form, fetch_site, origin):
    url, data, model = forms[form]
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data, **headers(fetch_site, origin))
    assert response.status_code == 302, response.content.decode()[:500]
    assert model.objects.count() == 1
    assert not response.cookies
    confirmation = client.get(response["Location"])
    assert "has been sent" in confirmation.content.decode()
    assert not confirmation.cookies and not client.cookies


@pytest.mark.parametrize("form", ["contact", "suggest"])
def test_a_form_with_errors_is_shown_again_without_a_cookie(forms, form):
    url, _, model = forms[form]
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"email": "not-an-email"}, **headers("same-origin", OWN))
    assert response.status_code == 400
    assert not response.cookies and not client.cookies
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()
    assert not model.objects.exists()


@pytest.mark.parametrize("form", ["contact", "suggest"])
def test_form_pages_set_no_cookie(forms, form):
    url, _, _ = forms[form]
    response = Client().get(url)
    assert response.status_code == 200
    assert not response.cookies


def test_trusted_origins_are_honoured(forms, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://guide.example.org", "https://*.mirror.example"]
    url, data, model = forms["contact"]
    for origin in ("https://guide.example.org", "https://eu.mirror.example"):
        response = Client().post(url, data, **headers("cross-site", origin))
        assert response.status_code == 302, origin
        response = Client().post(url, data, **headers(None, origin))
        assert response.status_code == 302, origin
    assert model.objects.count() == 4
    for origin in ("http://guide.example.org", "https://mirror.example.evil", EVIL):
        assert Client().post(url, data, **headers("cross-site", origin)).status_code == 403


def test_the_admin_keeps_djangos_csrf_token_check(guide, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "pw-for-tests-1")
    client = Client(enforce_csrf_checks=True)
    data = {"username": "editor", "password": "pw-for-tests-1"}
    response = client.post("/admin/login/", data, **headers("same-origin", OWN))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
