"""Hostile metadata never becomes markup: not on a page, in search, nor in the browser.

Markup in a title, a name, a publisher or a container arrives by every way in
(Crossref, RIS, BibTeX, CSL-JSON, the bundle's library.yaml, the model). It is stripped
when it comes in, and citation HTML keeps only its formatting allow-list even for data
that was stored before (written here with ``QuerySet.update``, which skips ``save``).
A style that crashes on an item gives the plain line, logged, and the page still loads.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command

from fieldguide.guide.models import SectionPage, SectionResource
from fieldguide.library import crossref, importing
from fieldguide.library.citations import STYLES, citations, render_csl
from fieldguide.library.engine import CitationEngineError
from fieldguide.library.formats import parse
from fieldguide.library.markup import CITATION_TAGS
from fieldguide.library.models import Creator, Resource
from tests.factories import make_resource

from . import conftest as crossref_conftest

pytestmark = pytest.mark.django_db

DEFAULT_BUNDLE = Path(__file__).resolve().parents[2] / "content" / "default"
REFRESH = '<meta http-equiv=refresh content="0;url=http://127.0.0.1:9/x">'
SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"
SVG = '"><svg onload="window.__pwned = \'svg\'">'
HOSTILE = REFRESH + SCRIPT + IMG + SVG
JS_URL = "javascript:window.__pwned='url'"
WORD = "Quokkaology"  # what the tests search for
CSP = "content-security-policy"  # the one http-equiv our own pages carry (the bake)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def injected_markup(html: str) -> list[str]:
    """Every tag or attribute in ``html`` that metadata could have smuggled in."""
    parser = _Markup()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        equiv = (attrs.get("http-equiv") or "").lower()
        if tag in {"svg", "img"} or (tag == "meta" and equiv not in {"", CSP}):
            found.append(f"<{tag} {attrs}>")
        if tag == "script" and not attrs.get("src"):
            found.append("inline <script>")
        found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        if (attrs.get("href") or "").strip().lower().startswith("javascript:"):
            found.append(f"<{tag} href={attrs['href']}>")
    return found


def citation_markup(html: str) -> set[str]:
    parser = _Markup()
    parser.feed(html)
    return {tag for tag, _ in parser.tags}


def hostile_resource(key: str = "hostile", **fields) -> Resource:
    """A resource whose stored text holds markup, as data saved before cleaning was."""
    resource = make_resource(key=key, title=f"{WORD} title", doi="", url="https://example.org/")
    Resource.objects.filter(pk=resource.pk).update(
        title=f"{WORD} {HOSTILE} title",
        publisher=f"Press {HOSTILE}",
        container=f"Journal {HOSTILE}",
        url=JS_URL,
        **fields,
    )
    Creator.objects.filter(resource=resource).update(family=f"Evil{HOSTILE}", given=HOSTILE)
    return Resource.objects.get(pk=resource.pk)


def add_to_section(resource: Resource, slug: str = "section-1") -> SectionPage:
    section = SectionPage.objects.get(slug=slug)
    section.selected_resources = [SectionResource(resource=resource, note="Why.")]
    section.save_revision().publish()
    return section


def test_every_style_escapes_values_and_keeps_only_formatting_tags(guide):
    resource = hostile_resource()
    for style, html in citations(resource):
        assert injected_markup(html) == [], style.key
        assert citation_markup(html) <= CITATION_TAGS, style.key
        assert "&lt;script&gt;" in html, style.key
        assert 'href="javascript' not in html, style.key


def test_cached_html_from_an_older_version_is_cleaned_on_the_way_out(guide):
    from django.core.cache import cache

    from fieldguide.library.citations import cache_key

    resource = make_resource(key="cached")
    cache.set(cache_key(resource, "apa"), f"Old {HOSTILE} <i>kept</i>")
    html = dict((style.key, html) for style, html in citations(resource))["apa"]
    assert injected_markup(html) == []
    assert "<i>kept</i>" in html


def test_section_page_cite_block_and_search_show_hostile_text_escaped(client, guide):
    section = add_to_section(hostile_resource())
    page = client.get(section.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert injected_markup(body) == []
    assert f"{WORD} &lt;meta http-equiv=refresh" in body
    search = client.get("/search/", {"q": WORD})
    assert search.status_code == 200
    assert injected_markup(search.content.decode()) == []
    assert "&lt;script&gt;" in search.content.decode()


def _assert_imported_clean(resource: Resource) -> None:
    texts = [resource.title, resource.publisher, resource.container]
    texts += [f"{c.family} {c.given} {c.literal}" for c in resource.creators.all()]
    for text in texts:
        assert "<" not in text, text  # the payloads' tags are gone (a stray "> is text)
    assert WORD in resource.title


RIS = f"""TY  - JOUR
TI  - {WORD} {HOSTILE} title
AU  - Evil{HOSTILE}, Given
T2  - Journal {HOSTILE}
PB  - Press {HOSTILE}
PY  - 2020
ER  -
"""
BIBTEX = f"""@article{{evil2020,
  title = {{{WORD} {HOSTILE} title}},
  author = {{Evil{HOSTILE}, Given}},
  journal = {{Journal {HOSTILE}}},
  publisher = {{Press {HOSTILE}}},
  year = {{2020}}
}}
"""
CSL_JSON = json.dumps(
    [
        {
            "id": "evil",
            "type": "article-journal",
            "title": f"{WORD} {HOSTILE} title",
            "author": [{"family": f"Evil{HOSTILE}", "given": HOSTILE}],
            "container-title": f"Journal {HOSTILE}",
            "publisher": f"Press {HOSTILE}",
            "issued": {"date-parts": [[2020]]},
        }
    ]
)


@pytest.mark.parametrize(("fmt", "text"), [("ris", RIS), ("bibtex", BIBTEX), ("csljson", CSL_JSON)])
def test_imports_strip_markup_and_the_section_page_is_clean(client, guide, fmt, text):
    (entry,) = parse(text, fmt)
    outcome = importing.apply(entry, "add")
    assert not outcome.errors, outcome.errors
    _assert_imported_clean(outcome.resource)
    section = add_to_section(outcome.resource)
    body = client.get(section.url).content.decode()
    assert injected_markup(body) == []
    assert WORD in body


def test_crossref_record_with_markup_is_imported_as_plain_text(
    client, guide, crossref_server, monkeypatch, tmp_path
):
    record = json.loads((crossref_conftest.FIXTURES / "crossref_work_elife.01567.json").read_text())
    message = record["message"]
    message["title"] = [f"{WORD} <jats:italic>{HOSTILE}</jats:italic> title"]
    message["container-title"] = [f"Journal {HOSTILE}"]
    message["publisher"] = f"Press {HOSTILE}"
    message["author"][0]["family"] = f"Evil{HOSTILE}"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(record))
    monkeypatch.setitem(crossref_conftest.RECORDED_WORKS, "/works/10.5555/hostile", hostile)
    (entry,) = crossref.fetch_entries(["10.5555/hostile"])
    outcome = importing.apply(entry, "add")
    assert not outcome.errors, outcome.errors
    _assert_imported_clean(outcome.resource)
    body = client.get(add_to_section(outcome.resource).url).content.decode()
    assert injected_markup(body) == []


def test_model_save_strips_markup_from_text_fields(guide):
    resource = make_resource(
        key="typed", title=f"{WORD} {HOSTILE} title", publisher=f"P {HOSTILE}", container="C"
    )
    creator = Creator.objects.create(resource=resource, family=f"Evil{HOSTILE}", sort_order=1)
    resource.refresh_from_db()
    assert resource.title == f'{WORD} "> title'
    assert resource.publisher == 'P ">'
    creator.refresh_from_db()
    assert creator.family == 'Evil">'


def test_javascript_url_is_never_a_link(client, guide):
    resource = hostile_resource()
    assert resource.link == ""
    body = client.get(add_to_section(resource).url).content.decode()
    assert 'href="javascript' not in body


def test_library_yaml_markup_is_stripped_on_load(client, transactional_db, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, bundle)
    library = bundle / "library.yaml"
    text = library.read_text()
    # JSON strings are YAML double-quoted strings.
    text = re.sub(
        r"title: (Evaluation of Prosecutorial .*)",
        lambda m: f"title: {json.dumps(f'{WORD} {HOSTILE} {m.group(1)}')}",
        text,
        count=1,
    )
    text = text.replace(
        "publisher: Johns Hopkins Bloomberg School of Public Health",
        f"publisher: {json.dumps('Johns Hopkins ' + HOSTILE)}",
        1,
    )
    text = text.replace("family: Rouhani", f"family: {json.dumps('Rouhani' + HOSTILE)}", 1)
    library.write_text(text)
    call_command("load_guide", str(bundle), verbosity=0)
    resource = Resource.objects.get(key="baltimore-prosecutorial-reform-evaluation")
    _assert_imported_clean(resource)
    section = resource.selections.first().page
    page = client.get(section.url)
    assert page.status_code == 200
    assert injected_markup(page.content.decode()) == []


# --- One bad resource never takes a page down -----------------------------------------

# citeproc-py 0.11.1 raised on a `director` name (APA, Chicago) and on a date range
# inside one month; citeproc-js renders both (tests/library/test_conformance.py). What
# still makes citeproc-js raise: a name list of plain strings, which only data stored
# without validation (here: QuerySet.update, as data saved before cleaning was) holds.
CRASHING_ITEMS = [
    ("names-as-strings", {"type": "book", "title": "Book", "translator": ["A. Translator"]}),
]


@pytest.mark.parametrize(("label", "item"), CRASHING_ITEMS)
def test_crash_cases_really_crash_the_engine(label, item):
    dated = {"type": "webpage", "title": "Page", "issued": {"date-parts": [[2018, 1, 23]]}}
    with pytest.raises(CitationEngineError):
        render_csl({"id": "x", **item}, "apa")
    # A failed entry must not spoil the next one (citeproc-js's state is rebuilt).
    assert "(2018, January 23)" in render_csl(dated, "apa")


def crashing_resource(key: str = "crashing") -> Resource:
    resource = make_resource(
        key=key,
        title=f"{WORD} film",
        resource_type="video",
        container="",
        doi="",
        url="https://example.org/film",
        csl_extra={"issued": {"date-parts": [[2018, 3, 1], [2018, 3, 5]]}},
    )
    Creator.objects.create(resource=resource, family="Varda", role="director", sort_order=1)
    Resource.objects.filter(pk=resource.pk).update(
        csl_extra={**resource.csl_extra, **CRASHING_ITEMS[0][1], "type": "motion_picture"}
    )
    return Resource.objects.get(pk=resource.pk)


def test_a_style_that_fails_gives_the_plain_line_and_a_log_line(client, guide, caplog):
    resource = crashing_resource()
    section = add_to_section(resource)
    with caplog.at_level(logging.WARNING, logger="fieldguide.library.citations"):
        page = client.get(section.url)
    assert page.status_code == 200
    failed = [r for r in caplog.records if r.name == "fieldguide.library.citations"]
    assert failed, "a failing style is logged"
    assert all(str(resource.pk) in r.getMessage() for r in failed)
    assert any("apa" in r.getMessage() for r in failed)
    assert all(WORD not in r.getMessage() for r in failed)  # no metadata in the log
    cites = dict((style.key, html) for style, html in citations(resource))
    assert cites["apa"].startswith("Platt L. and Varda. (2018). <cite>Quokkaology film.</cite>")
    assert 'href="https://example.org/film"' in cites["apa"]
    assert set(cites) == {style.key for style in STYLES}
    search = client.get("/search/", {"q": WORD})
    assert search.status_code == 200
    assert "Quokkaology film." in search.content.decode()


def test_former_crash_cases_render_in_every_style_on_the_page_and_in_search(client, guide, caplog):
    """A film with a director and a date range inside one month took the section page
    and search down under citeproc-py; citeproc-js formats them."""
    resource = make_resource(
        key="film",
        title=f"{WORD} film",
        resource_type="video",
        container="",
        doi="",
        url="https://example.org/film",
        csl_extra={"issued": {"date-parts": [[2018, 3, 1], [2018, 3, 5]]}},
    )
    Creator.objects.filter(resource=resource).update(role="director")
    resource = Resource.objects.get(pk=resource.pk)
    section = add_to_section(resource)
    with caplog.at_level(logging.WARNING, logger="fieldguide.library.citations"):
        page = client.get(section.url)
        search = client.get("/search/", {"q": WORD})
    assert page.status_code == 200
    assert search.status_code == 200
    assert not [r for r in caplog.records if r.name == "fieldguide.library.citations"]
    cites = dict((style.key, str(html)) for style, html in citations(resource))
    assert cites["apa"].startswith(f"Platt, L. (Director). (2018, March 1–5). <i>{WORD} film</i>")
    assert cites["apa"] in page.content.decode()
