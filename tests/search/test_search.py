"""Search finds every kind of thing; odd queries get a helpful page, never an error."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed_guide(guide):
    call_command("update_index", verbosity=0)
    return guide


@pytest.mark.parametrize(
    ("query", "group", "expected"),
    [
        ("Section 2", "Sections", "Section 2"),
        ("sex workers", "Resources", "Associations between sex work laws"),
        ("SWOP", "People and organisations", "SWOP USA"),
        ("harm reduction", "Glossary", "Harm reduction"),
        ("volunteer editors", "Other pages", "About"),
    ],
)
def test_search_finds_each_kind(client, indexed_guide, query, group, expected):
    html = client.get("/search/", {"q": query}).content.decode()
    assert f">{group} <span" in html, html
    section = html.split(f">{group} <span", 1)[1]
    assert expected in section


def test_filter_by_resource_type(client, indexed_guide):
    html = client.get("/search/", {"q": "sex", "type": "article"}).content.decode()
    assert "Associations between sex work laws" in html
    assert ">Sections <span" not in html
    html = client.get("/search/", {"q": "sex", "type": "video"}).content.decode()
    assert "Nothing found" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type a word or phrase"),
        ({"q": "zzqxv"}, "Nothing found for"),
        ({"q": "x" * 5000}, "only the first 200 were used"),
        ({"q": "harm", "type": "nonsense"}, "is not a resource type"),
        ({"q": "\"'<>%;--"}, "punctuation alone finds nothing"),
        ({"q": 'harm" OR "x'}, "result"),
        ({"q": "AND OR NOT ( ) *"}, ""),
    ],
)
def test_odd_queries_get_a_helpful_page(client, indexed_guide, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
