"""Every public URL pattern, walked with hostile values: never a 500.

The walk is generated from the URL configuration itself, so a pattern added later is
walked too. Each path parameter gets each hostile value in turn, and every reader page
(each live Wagtail page and each concrete public URL) gets the same values in the
query parameters views read. Run on SQLite and PostgreSQL: they fail differently
(SQLite refuses integers beyond 2**63, PostgreSQL beyond the column's type and NUL
characters in text).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from wagtail.models import Page

from tests.factories import make_guide

HOSTILE = [
    "9223372036854775808",  # 2**63: beyond SQLite's integer and PostgreSQL's bigint
    "9223372036854775807",  # 2**63 - 1
    "2147483648",  # beyond PostgreSQL's integer
    "99999999999999999999999999999999",
    "-1",
    "0",
    "x",
    "%00",
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "a" * 10_000,
]
# Query parameters read by some view; the walk sends them to every page.
QUERY_PARAMETERS = ["q", "type", "page", "p", "year", "as_of", "place", "topic", "section", "sent"]
ADMIN_PREFIXES = ("admin/", "django-admin/")


def _route_template(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _regex_template(regex: str) -> str:
    """A concrete template from a regex: alternations take their first branch."""
    template = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    template = re.sub(r"\(\?P<\w+>([\w\-]+)(?:\|[^)]*)\)", r"\1", template)
    template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", template)
    # Wagtail's page route: one slug segment stands for the whole path.
    template = template.replace(r"((?:[\w\-]+/)*)", "{path}/")
    # Unnamed groups (Wagtail's document route) get positional names.
    counter = iter(range(100))
    template = re.sub(r"\((?!\?)[^()]*\)", lambda m: f"{{arg{next(counter)}}}", template)
    # Wagtail's page route: one slug segment stands for the whole path.
    return template.replace("\\.", ".").replace("\\-", "-")


def _templates(patterns, prefix: str = "") -> list[str]:
    found = []
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = _route_template(str(pattern._route))
        elif isinstance(pattern, RegexPattern):
            piece = _regex_template(pattern._regex)
        else:  # LocalePrefixPattern and the like
            piece = ""
        if isinstance(entry, URLResolver):
            found += _templates(entry.url_patterns, prefix + piece)
        elif isinstance(entry, URLPattern):
            found.append(prefix + piece)
    return sorted({t for t in found if not t.startswith(ADMIN_PREFIXES)})


def _get(client: Client, url: str) -> int:
    return client.get(url).status_code


def _public_pages() -> list[str]:
    return [page.url for page in Page.objects.live().public().specific() if page.url]


@pytest.fixture
def hostile_client(db) -> Client:
    make_guide()
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    return Client(raise_request_exception=False)


def test_the_walk_covers_the_id_patterns():
    templates = _templates(get_resolver().url_patterns)
    assert "suggest/{section_id}/" in templates
    assert "library/download/section-{page_id}.{suffix}" in templates
    assert "documents/{arg0}/{arg1}" in templates
    assert "{path}/" in templates


def test_no_public_url_pattern_answers_500_to_hostile_path_values(hostile_client):
    failures = []
    for template in _templates(get_resolver().url_patterns):
        names = re.findall(r"{(\w+)}", template)
        for value in HOSTILE:
            for name in names or [None]:
                filled = {n: ("bib" if n == "suffix" else "1") for n in names}
                if name:
                    filled[name] = value
                url = "/" + template.format(**filled)
                status = _get(hostile_client, url)
                if status >= 500:
                    failures.append((status, url[:120]))
    assert not failures, "\n".join(f"{status} {url}" for status, url in failures)


def test_no_reader_page_answers_500_to_hostile_query_values(hostile_client):
    from fieldguide.guide.models import SectionPage

    section = SectionPage.objects.live().first()
    urls = set(_public_pages()) | {
        "/search/",
        "/atlas/",
        "/atlas/lookup/",
        "/atlas/bills/",
        "/atlas/policies.csv",
        "/sitemap.xml",
        f"/suggest/{section.pk}/",
        "/library/platt-2018/",
    }
    failures = []
    for url in sorted(urls):
        for value in HOSTILE:
            query = "&".join(f"{name}={value}" for name in QUERY_PARAMETERS)
            status = _get(hostile_client, f"{url}?{query}")
            if status >= 500:
                failures.append((status, f"{url}?{query}"[:120]))
    assert not failures, "\n".join(f"{status} {url}" for status, url in failures)
