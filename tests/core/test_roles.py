"""The roles a fresh site has (Editors, Moderators, Coders): every admin view and action
checks the permission its model needs, and every menu item a role sees opens."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission

from fieldguide.core.roles import CODERS, EDITORS, MODERATORS
from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import ContactMessage, GlossaryTerm, SectionPage
from fieldguide.library.models import Resource

pytestmark = pytest.mark.django_db

NO_ROLE = "admin access only"
ROLES = (EDITORS, MODERATORS, CODERS, NO_ROLE)


@pytest.fixture
def objects(guide):
    section = SectionPage.objects.get(slug="section-1")
    return {
        "section": section,
        "resource": Resource.objects.first(),
        "term": GlossaryTerm.objects.first(),
        "message": ContactMessage.objects.create(message="Hello editors", email="r@example.org"),
        "suggestion": ResourceSuggestion.objects.create(
            section=section, url="https://www.example.org/", reason="Fits.", state="declined"
        ),
    }


def login_as(client, django_user_model, role: str):
    user = django_user_model.objects.create_user(f"user-{role.split()[0]}", password="x")
    if role == NO_ROLE:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    else:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def allowed(response) -> bool:
    """200, or a redirect somewhere other than Wagtail's "permission denied" bounce."""
    if response.status_code == 200:
        return True
    location = response.get("Location", "")
    return (
        response.status_code == 302 and location not in ("/admin/", "") and "login" not in location
    )


# (label, method, url template, roles allowed)
E, M, C = EDITORS, MODERATORS, CODERS
CHECKS = [
    ("dashboard", "get", "/admin/", {E, M, C, NO_ROLE}),
    ("resources", "get", "/admin/snippets/library/resource/", {E, M}),
    ("edit resource", "get", "/admin/snippets/library/resource/edit/{resource}/", {E, M}),
    ("people", "get", "/admin/snippets/library/profile/", {E, M}),
    ("import resources", "get", "/admin/library/import/", {E, M}),
    ("glossary", "get", "/admin/snippets/guide/glossaryterm/", {E, M}),
    ("edit term", "get", "/admin/snippets/guide/glossaryterm/edit/{term}/", {E, M}),
    ("messages", "get", "/admin/snippets/guide/contactmessage/", {M}),
    ("read message", "get", "/admin/snippets/guide/contactmessage/inspect/{message}/", {M}),
    ("mark handled", "post", "/admin/messages/{message}/handled/", {M}),
    ("freshness", "get", "/admin/editorial/freshness/", {E, M}),
    ("mark reviewed", "post", "/admin/editorial/freshness/review/{section}/", {E, M}),
    ("suggestions", "get", "/admin/editorial/suggestions/", {M}),
    ("review suggestion", "get", "/admin/editorial/suggestions/{suggestion}/review/", {M}),
    ("decline", "post", "/admin/editorial/suggestions/{suggestion}/decline/", {M}),
    ("edit section", "get", "/admin/pages/{section}/edit/", {E, M}),
    ("policy records", "get", "/admin/snippets/atlas/policyrecord/", {C}),
    ("import policies", "get", "/admin/atlas/import/", {C}),
    ("check sources", "get", "/admin/atlas/sources/", {C}),
    ("publish a release", "get", "/admin/atlas/releases/publish/", {C}),
    ("second coding", "get", "/admin/atlas/second-coding/", {C}),
    ("link health", "get", "/admin/link-health/", {E, M}),
    ("link health bulk action", "post", "/admin/link-health/bulk/", {M}),
    ("CSP reports", "get", "/admin/csp-reports/", set()),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_view_and_action_checks_the_role(client, django_user_model, objects, role):
    login_as(client, django_user_model, role)
    ids = {name: obj.pk for name, obj in objects.items()}
    wrong = []
    for label, method, url, roles in CHECKS:
        data = {"decision_note": "No.", "note": ""} if method == "post" else None
        response = getattr(client, method)(url.format(**ids), data)
        if allowed(response) != (role in roles):
            wrong.append(f"{label}: {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def sidebar_urls(html: str) -> set[str]:
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    return {
        url
        for url in re.findall(r'"(/admin/[^"]*)"', json.dumps(json.loads(props.group(1))))
        if "logout" not in url
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_item_a_role_sees_opens(client, django_user_model, objects, role):
    login_as(client, django_user_model, role)
    urls = sidebar_urls(client.get("/admin/").content.decode())
    refused = {url: client.get(url).status_code for url in urls}
    assert {url: code for url, code in refused.items() if code != 200} == {}
    expected = {
        EDITORS: {"/admin/snippets/library/resource/", "/admin/editorial/freshness/"},
        MODERATORS: {
            "/admin/snippets/guide/contactmessage/",
            "/admin/editorial/suggestions/",
            "/admin/link-health/",
        },
        CODERS: {
            "/admin/snippets/atlas/policyrecord/",
            "/admin/atlas/import/",
            "/admin/atlas/sources/",
            "/admin/atlas/releases/publish/",
            "/admin/atlas/second-coding/",
        },
        NO_ROLE: set(),
    }[role]
    assert expected <= urls
    if role != MODERATORS:
        assert "/admin/editorial/suggestions/" not in urls
