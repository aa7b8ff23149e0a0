"""bake_static: the whole public site as a folder a static host can serve."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import CommandError, call_command

from fieldguide.exports.static_site import STATIC_FORM_NOTICE, without_post_forms

pytestmark = pytest.mark.django_db


class Collector(HTMLParser):
    """Every href/src, every id, and forms, of one baked HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.form_methods: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[name] for name in ("href", "src") if attrs.get(name)]
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "form":
            self.form_methods.append((attrs.get("method") or "get").lower())


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text())
    return collector


def site_path(root: Path, file: Path) -> str:
    relative = file.relative_to(root).as_posix()
    return (
        "/" + relative[: -len("index.html")] if relative.endswith("index.html") else "/" + relative
    )


def resolve(root: Path, path: str) -> Path:
    return root / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))


@pytest.fixture
def baked(guide, tmp_path) -> Path:
    out = io.StringIO()
    call_command(
        "bake_static", str(tmp_path / "site"), "--contact-email", "editors@example.org", stdout=out
    )
    assert "Baked" in out.getvalue()
    return tmp_path / "site"


def check_every_internal_link_resolves(baked: Path) -> None:
    html_files = list(baked.rglob("*.html"))
    assert len(html_files) >= 8
    checked = 0
    for file in html_files:
        base = site_path(baked, file)
        for link in parse(file).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith("#"):
                continue
            target = resolve(baked, urlsplit(urljoin(base, link)).path)
            assert target.is_file(), f"{base} links to {link}, missing {target}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{base} -> {link}: no such anchor"
            checked += 1
    for css in baked.rglob("*.css"):
        for ref in re.findall(r"""url\(\s*['"]?([^'")]+)""", css.read_text()):
            if not urlsplit(ref).scheme:
                assert resolve(baked, urljoin(site_path(baked, css), ref)).is_file(), ref
    assert checked > 50


def check_no_page_has_a_form_that_posts(baked: Path) -> None:
    for file in baked.rglob("*.html"):
        assert "post" not in parse(file).form_methods, file
        assert "csrfmiddlewaretoken" not in file.read_text(), file


def check_every_public_page_and_edition_is_baked(baked: Path) -> None:
    for path in (
        "/",
        "/section-1/",
        "/section-2/",
        "/glossary/",
        "/about/",
        "/contact/",
        "/search/",
    ):
        assert resolve(baked, path).is_file(), path
    for edition in ("guide.pdf", "guide.epub", "discussion-guide.pdf", "sections/section-1.epub"):
        assert (baked / "editions" / edition).stat().st_size > 1000, edition
    assert (baked / "404.html").is_file()
    assert list((baked / "static" / "core" / "js").glob("quick-exit*.js"))
    home = (baked / "index.html").read_text()
    assert "testserver" not in home
    assert "Section 1" in home


def check_contact_page_explains_how_to_reach_editors_without_a_form(baked: Path) -> None:
    contact = resolve(baked, "/contact/")
    html = contact.read_text()
    assert "cannot send messages from a form" in html
    assert 'href="mailto:editors@example.org"' in html
    assert "post" not in parse(contact).form_methods
    assert "csrfmiddlewaretoken" not in html


def check_search_is_a_prebuilt_index_and_a_self_hosted_script(baked: Path) -> None:
    entries = json.loads((baked / "search" / "index.json").read_text())
    urls = {entry["url"] for entry in entries}
    assert {"/section-1/", "/section-2/", "/about/", "/glossary/#harm-reduction"} <= urls
    section = next(e for e in entries if e["url"] == "/section-1/")
    assert "Question 1 of section 1?" in section["text"]
    search = (baked / "search" / "index.html").read_text()
    (script,) = re.findall(r'<script src="([^"]*static-search[^"]*)"', search)
    assert resolve(baked, script).is_file()
    assert 'data-index="/search/index.json"' in search


def test_baked_site_is_complete_and_has_no_broken_links(baked):
    """One bake (it builds every edition, which takes a while), several checks."""
    check_every_internal_link_resolves(baked)
    check_no_page_has_a_form_that_posts(baked)
    check_every_public_page_and_edition_is_baked(baked)
    check_contact_page_explains_how_to_reach_editors_without_a_form(baked)
    check_search_is_a_prebuilt_index_and_a_self_hosted_script(baked)


def test_forms_that_post_become_a_notice():
    html = (
        '<main><form class="site-search" method="get" action="/search/"><input name="q"></form>'
        '<form class="form" method="post" action="/suggest/4/"><input name="csrfmiddlewaretoken">'
        "<textarea></textarea></form><p>After.</p></main>"
    )
    assert without_post_forms(html) == (
        '<main><form class="site-search" method="get" action="/search/"><input name="q"></form>'
        + STATIC_FORM_NOTICE
        + "<p>After.</p></main>"
    )


def test_baking_again_replaces_an_earlier_bake(guide, baked):
    (baked / "stale.html").write_text("old")
    call_command("bake_static", str(baked), stdout=io.StringIO())
    assert not (baked / "stale.html").exists()
    assert (baked / "index.html").is_file()


def test_refuses_a_folder_it_did_not_make_and_keeps_its_files(guide, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not empty and was not made by bake_static"):
        call_command("bake_static", str(folder), stdout=io.StringIO())
    assert (folder / "notes.txt").read_text() == "keep me"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--contact-email", "not-an-address", "--contact-email: 'not-an-address' is not an email"),
        (
            "--contact-url",
            "ftp://example.org/",
            "--contact-url: 'ftp://example.org/' is not an http",
        ),
    ],
)
def test_rejects_bad_contact_options(guide, tmp_path, option, value, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("bake_static", str(tmp_path / "out"), option, value, stdout=io.StringIO())
    assert not (tmp_path / "out").exists()
