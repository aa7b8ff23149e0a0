"""Formatted citations (APA 7, AMA 11, Chicago author-date, Vancouver) via citeproc-js.

The engine is citeproc-js, the CSL processor inside Zotero and Mendeley, run in process
in V8 (`engine.py`); styles are the official CSL files in ``vendor/csl/``. Nothing here
formats a reference by hand. Rendered strings are cached per resource, `updated_at`
and style. The conformance set in tests/library/conformance/ holds what citeproc-js
under Node prints for 40+ items in every style; this module must print the same.

`citation_html` and `citations` are the only way citation HTML reaches a reader (Cite
blocks, the citation page, search results, PDF and EPUB editions, the static bake).
Whatever the engine, their output is safe and never fails:

1. the engine gets values it cannot mistake for markup (`engine_item` hands it
   private-use stand-ins for ``& < >``, so citeproc-js's rich-text parser never reads a
   tag in a value; they become entities afterwards);
2. its HTML is cut down to the formatting allow-list in `markup.clean_citation_html`;
3. if the engine raises for an item, the reader gets `plain_citation_html` (authors,
   year, title, container, DOI or URL, escaped) and the log gets the resource id, the
   style and the exception's class.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import nh3
from django.core.cache import cache
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import engine
from .markup import clean_citation_html, is_web_url

if TYPE_CHECKING:
    from .models import Resource


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    csl_id: str


STYLES = (
    Style("apa", "APA 7", "apa"),
    Style("ama", "AMA 11", "american-medical-association"),
    Style("chicago", "Chicago author-date", "chicago-author-date"),
    Style("vancouver", "Vancouver", "nlm-citation-sequence"),
)
STYLES_BY_KEY = {style.key: style for style in STYLES}
CACHE_SECONDS = 60 * 60 * 24 * 30
# v3: citeproc-js output (v2 was citeproc-py's).
CACHE_PREFIX = "library:citation:v3"

logger = logging.getLogger(__name__)

_STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_TO_STAND_IN = str.maketrans({**{c: None for c in _STAND_INS.values()}, **_STAND_INS})
_FROM_STAND_IN = str.maketrans(
    {v: f"&{n};" for v, n in zip(_STAND_INS.values(), ("amp", "lt", "gt"), strict=True)}
)
#: citeproc-js's inline styles -> the classes cite.css defines (CSP forbids style="").
_STYLE_SPANS = {
    '<span style="font-variant:small-caps;">': '<span class="small-caps">',
    '<span style="font-style:normal;">': '<span class="roman">',
}
_ENTRY = re.compile(r'^\s*<div class="csl-entry">(.*)</div>\s*$', re.DOTALL)
# Numbered styles put the number in its own block; one citation shown alone has none.
_NUMBERED = re.compile(
    r'^\s*<div class="csl-left-margin">[^<]*</div><div class="csl-right-inline">(.*)</div>\s*$',
    re.DOTALL,
)
_LEADING_NUMBER = re.compile(r"^\d+\.\s*")
# citeproc-js leaves a lower-case given name whole (bell hooks: "hooks, bell") but puts
# two spaces before it; no style asks for two spaces anywhere.
_SPACES = re.compile(r"  +")


# citeproc-js reads "18-2424" in `number` as a range ("Nos. 18–2424"); a report number
# is one identifier (APA 7's example: "NIH Publication No. 18-2424"). A backslash before
# the hyphen is citeproc-js's way of saying "a hyphen, not a range".
_NUMBER_HYPHEN = re.compile(r"(?<=\w)(?<!\\)-(?=\w)")


def _without_markup_characters(value):
    """A CSL item with ``& < >`` in every string replaced by their stand-ins."""
    if isinstance(value, str):
        return value.translate(_TO_STAND_IN)
    if isinstance(value, list):
        return [_without_markup_characters(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_markup_characters(v) for k, v in value.items()}
    return value


def engine_item(item: dict) -> dict:
    """What citeproc-js is given for ``item``: markup characters as stand-ins and a
    report number's hyphens as hyphens (tests/library/conformance/generate.js applies
    the same number rule)."""
    prepared = _without_markup_characters(item)
    if isinstance(prepared.get("number"), str):
        prepared["number"] = _NUMBER_HYPHEN.sub(r"\\-", prepared["number"])
    return prepared


def finish_entry(raw: str) -> str:
    """citeproc-js's raw ``<div class="csl-entry">`` as the inner HTML a page shows."""
    body = raw
    match = _ENTRY.match(body)
    if match:
        body = match.group(1)
    match = _NUMBERED.match(body)
    if match:
        body = match.group(1)
    for inline, classed in _STYLE_SPANS.items():
        body = body.replace(inline, classed)
    body = _SPACES.sub(" ", body.strip()).translate(_FROM_STAND_IN)
    return clean_citation_html(body)


def finish_text(raw: str) -> str:
    """citeproc-js's raw text-format entry as the line a reader copies."""
    return _SPACES.sub(" ", _LEADING_NUMBER.sub("", raw.strip()))


def html_to_text(html: str) -> str:
    """The plain text of a finished citation (what a reader copies)."""
    return html_lib.unescape(nh3.clean(html, tags=set()))


def render_csl(item: dict, style_key: str) -> str:
    """Allow-listed HTML for one CSL item in one style (uncached; raises if the
    engine fails)."""
    raw = engine.render_entry(STYLES_BY_KEY[style_key].csl_id, engine_item(item))
    return finish_entry(raw)


def cache_key(resource: Resource, style_key: str) -> str:
    stamp = resource.updated_at.timestamp() if resource.updated_at else 0
    return f"{CACHE_PREFIX}:{resource.pk}:{stamp}:{style_key}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in {".", "?", "!"} else f"{text}."


# Works whose own title is italic in an author-date line (the rest italicise the
# journal or site that contains them).
STANDALONE_TYPES = {"book", "report", "toolkit", "video", "podcast", "dataset", "policy"}


def plain_citation_html(resource: Resource) -> SafeString:
    """Creators. (Year). Title. *Container*, volume(issue), pages. Publisher. DOI or URL.

    Built by hand from the model with every value escaped: the line shown when a style
    fails, so it must not depend on the citation engine.
    """
    parts: list[SafeString] = []
    if resource.creators_display:
        parts.append(format_html("{}", _sentence(resource.creators_display)))
    parts.append(format_html("({}).", resource.issued_display))
    title = _sentence(resource.title or "Untitled")
    if resource.resource_type in STANDALONE_TYPES:
        parts.append(format_html("<cite>{}</cite>", title))
    else:
        parts.append(format_html("{}", title))
    if resource.container:
        where = format_html("<cite>{}</cite>", resource.container)
        if resource.volume:
            where = format_html("{}, {}", where, resource.volume)
            if resource.issue:
                where = format_html("{}({})", where, resource.issue)
        if resource.pages:
            where = format_html("{}, {}", where, resource.pages)
        parts.append(format_html("{}.", where))
    if resource.publisher and resource.publisher != resource.container:
        parts.append(format_html("{}", _sentence(resource.publisher)))
    if resource.doi:
        parts.append(
            format_html('<a href="https://doi.org/{0}">https://doi.org/{0}</a>', resource.doi)
        )
    elif is_web_url(resource.url):
        parts.append(format_html('<a href="{0}">{0}</a>', resource.url))
    elif resource.url:
        parts.append(format_html("{}", resource.url))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def _render(resource: Resource, item: dict, style_key: str) -> str:
    """One style's citation of ``resource``, or the plain line if the style fails."""
    try:
        return clean_citation_html(render_csl(item, style_key))
    except Exception as error:
        # The resource id, the style and the kind of failure: no metadata, no reader data.
        logger.warning(
            "Citation style %s failed for resource %s (%s); showing the plain line instead",
            style_key,
            resource.pk,
            type(error).__name__,
        )
        return clean_citation_html(plain_citation_html(resource))


def _safe(html: str) -> SafeString:
    # Cleaned again on the way out, so nothing cached by an older version (or put in
    # the shared cache by anyone else) reaches a page unfiltered.
    return mark_safe(clean_citation_html(html))  # noqa: S308 - only the allow-list is left


def citation_html(resource: Resource, style_key: str) -> SafeString:
    """The cached, formatted, allow-listed citation of a saved resource in one style."""
    key = cache_key(resource, style_key)
    html = cache.get(key)
    if html is None:
        html = _render(resource, resource.to_csl(), style_key)
        cache.set(key, html, CACHE_SECONDS)
    return _safe(html)


def unsaved_citation_html(resource: Resource, style_key: str) -> SafeString:
    """The citation of a resource that is not saved (yet): uncached, same safety.

    For previews, such as a reader's suggestion shown to an editor before it is
    accepted; its creators are the ones attached in memory (``from_csl``).
    """
    item = resource.to_csl()
    return _safe(_render(resource, item, style_key))


def citations(resource: Resource) -> list[tuple[Style, SafeString]]:
    """Every style's citation of `resource`: one cache round trip, rendering only misses."""
    keys = {style.key: cache_key(resource, style.key) for style in STYLES}
    found = cache.get_many(list(keys.values()))
    misses = [style for style in STYLES if keys[style.key] not in found]
    item = resource.to_csl() if misses else {}
    missing = {keys[style.key]: _render(resource, item, style.key) for style in misses}
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    found.update(missing)
    return [(style, _safe(found[keys[style.key]])) for style in STYLES]


def item_citations(item: dict, key: str) -> list[tuple[Style, SafeString]]:
    """Every style's citation of a CSL item that is not a library resource (the guide
    citing itself), cached under ``key``, which must change whenever ``item`` does."""
    keys = {style.key: f"{CACHE_PREFIX}:item:{key}:{style.key}" for style in STYLES}
    found = cache.get_many(list(keys.values()))
    missing = {}
    for style in STYLES:
        if keys[style.key] in found:
            continue
        try:
            missing[keys[style.key]] = render_csl(item, style.key)
        except Exception as error:
            logger.warning(
                "Citation style %s failed for %s (%s); showing the plain line instead",
                style.key,
                key,
                type(error).__name__,
            )
            missing[keys[style.key]] = clean_citation_html(
                format_html("{}. {}", item.get("title", ""), item.get("URL", ""))
            )
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    found.update(missing)
    return [(style, _safe(found[keys[style.key]])) for style in STYLES]
