"""Readers suggest resources; editors accept (metadata fetched, section published) or decline."""

from __future__ import annotations

import json
import re

import pytest

from fieldguide.editorial import moderation
from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import SectionPage
from fieldguide.library.models import Resource
from tests.servers import RecordingServer

pytestmark = pytest.mark.django_db

# Crossref's own test prefix (10.5555) keeps this fixture from posing as a real work.
TEST_DOI = "10.5555/12345678"
CROSSREF_WORK = {
    "status": "ok",
    "message": {
        "DOI": TEST_DOI,
        "type": "journal-article",
        "title": ["Toward a test of suggestion imports"],
        "container-title": ["Journal of Local Fixtures"],
        "publisher": "Fixture Press",
        "volume": "7",
        "issue": "2",
        "page": "10-20",
        "issued": {"date-parts": [[2021, 8, 15]]},
        "author": [{"given": "Ada", "family": "Tester"}, {"name": "Harm Reduction Fixture Group"}],
    },
}


@pytest.fixture
def section(guide):
    return SectionPage.objects.get(slug="section-1")


@pytest.fixture
def crossref(allowed_site, settings):
    allowed_site.routes[f"/works/{TEST_DOI}"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(CROSSREF_WORK),
    )
    settings.CROSSREF_API_URL = allowed_site.base
    return allowed_site


def suggest_url(section) -> str:
    return f"/suggest/{section.pk}/"


def test_section_page_links_to_the_form_and_sets_no_cookie(client, section):
    response = client.get(section.url)
    assert f'href="{suggest_url(section)}"' in response.content.decode()
    assert not response.cookies


def test_form_page_renders_for_a_live_section_only(client, section):
    response = client.get(suggest_url(section))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reason"' in html and 'for="id_url"' in html
    assert client.get("/suggest/999999/").status_code == 404


def test_valid_suggestion_is_queued(client, section):
    response = client.post(
        suggest_url(section),
        {
            "url": "https://www.example.org/report",
            "reason": "Shows the harms clearly.",
            "email": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == suggest_url(section) + "?sent=1"
    suggestion = ResourceSuggestion.objects.get()
    assert (suggestion.section_id, suggestion.state) == (section.pk, "pending")
    assert suggestion.reason == "Shows the harms clearly."
    assert "has been sent" in client.get(response["Location"]).content.decode()


def test_doi_is_normalised(client, section):
    client.post(suggest_url(section), {"doi": f"https://doi.org/{TEST_DOI}", "reason": "Evidence."})
    assert ResourceSuggestion.objects.get().doi == TEST_DOI


@pytest.mark.parametrize(
    "data,message",
    [
        ({"reason": "Fits well."}, "Give a web address or a DOI"),
        ({"doi": "not-a-doi", "reason": "Fits well."}, "does not look like a DOI"),
        ({"url": "javascript:alert(1)", "reason": "Fits well."}, "full web address"),
        ({"url": "https://www.example.org/", "reason": "   "}, "why it fits"),
        ({"url": "https://www.example.org/", "reason": "x", "email": "nope"}, "email address"),
    ],
)
def test_bad_input_gets_field_errors_and_keeps_what_was_typed(client, section, data, message):
    response = client.post(suggest_url(section), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    for value in data.values():
        if value.strip() and value != "javascript:alert(1)":
            assert value in html
    assert not ResourceSuggestion.objects.exists()


def test_honeypot_is_thanked_but_not_stored(client, section):
    response = client.post(
        suggest_url(section),
        {"url": "https://spam.example/", "reason": "Buy now", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not ResourceSuggestion.objects.exists()


def test_rate_limit_answers_429_and_keeps_the_text(client, section, settings):
    settings.SUGGEST_RATE = "2/h"
    data = {"url": "https://www.example.org/a", "reason": "First reason."}
    assert client.post(suggest_url(section), data).status_code == 302
    assert (
        client.post(suggest_url(section), {**data, "url": "https://www.example.org/b"}).status_code
        == 302
    )
    response = client.post(suggest_url(section), {**data, "reason": "Third, typed with care."})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many suggestions" in html and "Third, typed with care." in html
    assert ResourceSuggestion.objects.count() == 2


def _pending(section, **fields) -> ResourceSuggestion:
    return ResourceSuggestion.objects.create(section=section, reason="It fits.", **fields)


def test_accepting_a_doi_fetches_crossref_and_publishes_the_section(section, crossref, admin_user):
    revisions = section.revisions.count()
    suggestion = _pending(section, doi=TEST_DOI)

    resource = moderation.accept(suggestion, admin_user, note="Added from a reader suggestion.")

    assert resource.title == "Toward a test of suggestion imports"
    assert (resource.container, resource.issued_year, resource.issued_month) == (
        "Journal of Local Fixtures",
        2021,
        8,
    )
    assert resource.doi == TEST_DOI and resource.resource_type == "article"
    assert [c.display_name for c in resource.creators.all()] == [
        "Tester A.",
        "Harm Reduction Fixture Group",
    ]
    section = SectionPage.objects.get(pk=section.pk)
    items = list(section.selected_resources.order_by("sort_order"))
    assert items[-1].resource == resource and items[-1].note == "Added from a reader suggestion."
    assert section.revisions.count() == revisions + 1
    assert section.live_revision == section.latest_revision
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.resource, suggestion.decided_by) == (
        "accepted",
        resource,
        admin_user,
    )


def test_accepting_a_url_takes_the_page_title(section, allowed_site):
    resource = moderation.accept(_pending(section, url=allowed_site.url("/ok")))
    assert resource.title == "Harm reduction works"
    assert (resource.resource_type, resource.verified) == ("website", False)


def test_unreadable_url_needs_a_typed_title(section, allowed_site):
    suggestion = _pending(section, url=allowed_site.url("/missing"))
    with pytest.raises(moderation.ModerationError, match="Type the title"):
        moderation.accept(suggestion)
    assert not Resource.objects.filter(url=suggestion.url).exists()
    resource = moderation.accept(suggestion, title="A report the editor named")
    assert resource.title == "A report the editor named"


def test_unknown_doi_is_explained(section, crossref):
    with pytest.raises(
        moderation.ModerationError,
        match="DOI 10.5555/0: Crossref does not know this DOI. Check it, or type a title.",
    ):
        moderation.accept(_pending(section, doi="10.5555/0"))


def _review(client, suggestion):
    return client.get(f"/admin/editorial/suggestions/{suggestion.pk}/review/", follow=True)


def _proposal_field(html: str) -> str:
    import re

    return re.search(r'name="proposal" value="([^"]+)"', html).group(1)


def test_admin_queue_review_then_accept_and_decline(admin_client, section, crossref):
    first = _pending(section, doi=TEST_DOI)
    second = _pending(section, url="https://www.example.org/other")
    queue = admin_client.get("/admin/editorial/suggestions/")
    assert queue.status_code == 200
    assert f"https://doi.org/{TEST_DOI}" in queue.content.decode()

    review = _review(admin_client, first).content.decode()
    # Step 1 saves nothing and shows what will be cited.
    assert not Resource.objects.filter(doi=TEST_DOI).exists()
    assert re.search(r"Tester, A\.,? &amp; Harm Reduction Fixture Group\. \(2021\)", review)
    assert "Toward a test of suggestion imports" in review
    response = admin_client.post(
        f"/admin/editorial/suggestions/{first.pk}/review/",
        {"title": "", "proposal": _proposal_field(review), "publish": "1"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "accepted"

    admin_client.post(f"/admin/editorial/suggestions/{second.pk}/decline/", {"decision_note": ""})
    second.refresh_from_db()
    assert second.state == "pending"
    admin_client.post(
        f"/admin/editorial/suggestions/{second.pk}/decline/", {"decision_note": "Off topic."}
    )
    second.refresh_from_db()
    assert (second.state, second.decision_note) == ("declined", "Off topic.")

    again = _review(admin_client, first)
    assert "already been decided" in again.content.decode()
    bad_state = admin_client.get("/admin/editorial/suggestions/?state=nonsense")
    assert bad_state.status_code == 200
    assert "no suggestion state called" in bad_state.content.decode()


def test_only_editors_who_can_publish_the_section_can_publish(client, section, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reader-editor", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_resourcesuggestion"),
    )
    client.force_login(user)
    suggestion = _pending(section, url="https://www.example.org/report")
    payload = moderation.Proposal(
        Resource(title="A report", url=suggestion.url, resource_type="website")
    )
    payload.resource.creators = []
    from django.core import signing

    from fieldguide.editorial.admin_views import PROPOSAL_SALT

    signed = signing.dumps(payload.payload(), salt=PROPOSAL_SALT, compress=True)
    response = client.post(
        f"/admin/editorial/suggestions/{suggestion.pk}/review/",
        {"title": "", "proposal": signed, "publish": "1"},
        follow=True,
    )
    assert "needs publish rights" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.state == "pending"


# --- Internal addresses (server-side request forgery) ------------------------------------


@pytest.fixture
def internal():
    """A loopback server nobody allowed: the page an attacker wants fetched and published."""
    with RecordingServer() as server:
        server.page("/", b"<title>Router admin: password reset</title>")
        yield server


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://127.0.0.1:8080/admin", "127.0.0.1 cannot be used, because it is a loopback"),
        ("http://localhost/", "localhost cannot be used, because names like this one"),
        ("http://[::1]/", "::1 cannot be used, because it is a loopback address"),
        ("http://169.254.169.254/latest/", "169.254.169.254 cannot be used, because it is a link"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 cannot be used, because it is a loop"),
        ("http://100.64.0.1/", "100.64.0.1 cannot be used, because it is a shared address"),
        ("http://10.0.0.8/", "10.0.0.8 cannot be used, because it is a private network address"),
    ],
)
def test_suggesting_an_internal_address_is_a_field_error(client, section, url, reason):
    response = client.post(suggest_url(section), {"url": url, "reason": "Fits well."})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Web address: {reason}" in html
    assert 'id="id_url-error"' in html
    assert not ResourceSuggestion.objects.exists()


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/", "http://127.1/"])
def test_other_spellings_of_loopback_are_not_accepted_either(client, section, url):
    response = client.post(suggest_url(section), {"url": url, "reason": "Fits well."})
    assert response.status_code == 400
    assert "Enter a full web address" in response.content.decode()
    assert not ResourceSuggestion.objects.exists()


def test_accepting_an_internal_address_fetches_and_publishes_nothing(section, internal):
    revisions = section.revisions.count()
    suggestion = _pending(section, url=internal.url("/"))
    for typed_title in ("", "An editor typed this"):
        with pytest.raises(
            moderation.ModerationError,
            match=r"not fetched and nothing was published\. Refused to fetch from 127\.0\.0\.1: "
            r"it is a loopback address \(this server itself\)\.",
        ):
            moderation.accept(suggestion, title=typed_title)
    assert internal.connections == 0
    assert not Resource.objects.filter(url=suggestion.url).exists()
    assert SectionPage.objects.get(pk=section.pk).revisions.count() == revisions
    suggestion.refresh_from_db()
    assert suggestion.state == "pending"


def test_accepting_an_address_that_redirects_inward_publishes_nothing(
    section, allowed_site, internal
):
    allowed_site.routes["/inward"] = (302, {"Location": internal.url("/")}, "")
    suggestion = _pending(section, url=allowed_site.url("/inward"))
    with pytest.raises(moderation.ModerationError, match="Refused to fetch from 127.0.0.1"):
        moderation.accept(suggestion)
    assert internal.connections == 0
    assert not Resource.objects.filter(title__contains="Router admin").exists()


def test_the_editor_sees_a_plain_message_when_accept_is_refused(admin_client, section):
    suggestion = _pending(section, url="http://169.254.169.254/latest/meta-data/")
    html = _review(admin_client, suggestion).content.decode()
    assert "The suggested address was not fetched and nothing was published." in html
    assert "Refused to fetch from 169.254.169.254: it is a link-local address" in html
    suggestion.refresh_from_db()
    assert suggestion.state == "pending" and not Resource.objects.filter(url=suggestion.url)
