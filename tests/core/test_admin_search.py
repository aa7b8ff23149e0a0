"""The search box on every snippet listing in the admin, as a signed-in editor.

Editors type what they remember: plain words, quoted phrases, boolean words, a minus
sign, a star, an opening bracket, or a pasted paragraph. None of it may be a 500, and
plain words must find what they name.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.snippets.models import get_snippet_models

from fieldguide.atlas.models import Jurisdiction
from fieldguide.guide.models import GlossaryTerm
from fieldguide.library.models import Resource
from tests.factories import make_guide

QUERIES = [
    "platt",
    '"sex work"',
    '"unclosed',
    "sex AND work",
    "sex OR work",
    "-platt",
    "plat*",
    "(health",
    "NOT",
    "a & b | c ! d : e",
    "\\",
    "'",
    "%",
    "\x00",
    "health " * 400,
]
# Sent as they are in the query string: a lone surrogate (UTF-8 encoded) and a bad byte.
RAW_QUERIES = ["%ED%A0%80", "%FF", "%00"]
# One word that names a known row of each listing the issue reported.
KNOWN = {
    "resource": "Platt",  # an author's family name
    "profile": "SWOP",
    "glossaryterm": "naloxone",
    "jurisdiction": "Nevada",
}


@pytest.fixture
def editor_client(client, db):
    make_guide()
    GlossaryTerm.objects.create(term="Naloxone", definition="Reverses an opioid overdose.")
    Jurisdiction.objects.create(name="Nevada", slug="nevada", kind="state", state_abbr="NV")
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    editors = Group.objects.get(name="Editors")
    for model in get_snippet_models():
        label = model._meta.app_label
        for action in ("view", "change"):
            codename = f"{action}_{model._meta.model_name}"
            editors.permissions.add(
                *Permission.objects.filter(content_type__app_label=label, codename=codename)
            )
    user = get_user_model().objects.create_user("editor", "e@example.org", "a-long-password")
    user.groups.add(editors)
    client.force_login(user)
    client.raise_request_exception = False
    return client


def _listing_urls() -> list[tuple[str, str]]:
    urls = []
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        if not viewset.search_fields and not viewset.search_backend_name:
            continue
        for name in ("list", "list_results"):
            urls.append((model._meta.model_name, reverse(viewset.get_url_name(name))))
    return urls


def test_the_reported_listings_are_searched():
    searched = {name for name, _ in _listing_urls()}
    assert {"resource", "profile", "glossaryterm", "jurisdiction"} <= searched


def test_every_snippet_search_answers_without_a_500(editor_client):
    failures = []
    for _, url in _listing_urls():
        for query in [quote(q) for q in QUERIES] + RAW_QUERIES:
            response = editor_client.get(f"{url}?q={query}")
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url}?q={query[:30]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("model_name", sorted(KNOWN))
def test_plain_words_find_the_row(editor_client, model_name):
    model = next(m for m in get_snippet_models() if m._meta.model_name == model_name)
    url = reverse(model.snippet_viewset.get_url_name("list_results"))
    response = editor_client.get(url, {"q": KNOWN[model_name]})
    assert response.status_code == 200
    assert KNOWN[model_name].lower() in response.content.decode().lower()


def test_quotes_and_operators_are_read_as_words(editor_client):
    url = reverse(Resource.snippet_viewset.get_url_name("list_results"))
    for query in ('"sex work"', "sex AND work", "(sex -work*", "10.1371/journal.pmed.1002680"):
        response = editor_client.get(url, {"q": query})
        assert response.status_code == 200
        assert "Associations between sex work laws" in response.content.decode(), query
    response = editor_client.get(url, {"q": "sex AND nothing-like-this"})
    assert "Associations between sex work laws" not in response.content.decode()
