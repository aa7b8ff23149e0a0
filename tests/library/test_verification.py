""" "Unverified" means one thing everywhere, and a home page is never the work's URL."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from fieldguide.library.formats import parse
from fieldguide.library.models import Resource
from fieldguide.library.verification import NOTICES
from tests.factories import make_resource

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


@pytest.fixture
def unverified_link():
    return make_resource(
        "every-25-seconds",
        verified=False,
        unverified_part="link",
        doi="",
        url="https://www.aclu.org/publications/x",
    )


def test_the_notice_is_the_same_on_every_page_and_file(client, unverified_link):
    notice = NOTICES["link"]
    shown = f"{notice.label}: {notice.explanation}"
    section_entry = render_to_string(
        "library/includes/resource.html", {"resource": unverified_link}
    )
    cite_box = re.search(r'<details class="cite">.*</details>', section_entry, re.S).group()
    detail = client.get(f"/library/{unverified_link.key}/").content.decode()
    edition = render_to_string(
        "exports/includes/section.html",
        {"section": {"resources": [{"resource": unverified_link, "citation": "C."}]}},
    )
    for html in (section_entry, cite_box, detail, edition):
        assert shown in _text(html)
        assert "Unverified</" not in html  # never the bare word, which says nothing
    for suffix, fmt in (("ris", "ris"), ("bib", "bibtex"), ("json", "csljson")):
        body = client.get(f"/library/{unverified_link.key}.{suffix}").content.decode()
        assert parse(body, fmt)[0].item["note"] == notice.line


def test_details_and_link_are_told_apart(unverified_link):
    work = make_resource("suggested", verified=False, doi="", url="https://example.org/report")
    assert work.verification == NOTICES["work"] and unverified_link.verification == NOTICES["link"]
    assert NOTICES["work"].label == "Unverified details"
    assert make_resource("checked").verification is None


def test_a_home_page_is_not_the_works_url_but_its_publishers_site(client):
    book = Resource(key="new-jim-crow", title="The New Jim Crow", resource_type="book",
                    url="https://thenewpress.com/")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        book.full_clean(exclude=["topics"])
    assert "is a site's home page" in error.value.message_dict["url"][0]
    # A site may be its own work: a home page is a website's or dataset's address.
    Resource(key="lifeline", title="988", resource_type="website",
             url="https://988lifeline.org/").full_clean(exclude=["topics"])  # fmt: skip
    book.url, book.publisher_site, book.publisher = "", "https://thenewpress.com/", "The New Press"
    book.full_clean(exclude=["topics"])
    book.save()
    assert "URL" not in book.to_csl() and book.link == ""
    html = render_to_string("library/includes/resource.html", {"resource": book})
    assert "Publisher's site (The New Press):" in _text(html)
    assert 'href="https://thenewpress.com/"' in html
    for suffix in ("ris", "bib", "json"):
        assert (
            "thenewpress.com" not in client.get(f"/library/new-jim-crow.{suffix}").content.decode()
        )
    assert json.loads(client.get("/library/new-jim-crow.json").content)[0]["title"] == book.title


def test_the_default_guide_explains_both_marks_in_the_same_words():
    """The about page is content, so it is checked against the one wording."""
    from pathlib import Path

    about = (Path(__file__).parents[2] / "content/default/pages/about.md").read_text()
    assert all(f'"{notice.label}"' in about for notice in NOTICES.values())
