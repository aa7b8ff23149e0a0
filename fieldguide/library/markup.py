"""What markup library metadata and formatted citations may carry.

Two rules, both enforced with nh3 (the Rust ``ammonia`` sanitiser):

* **Metadata is plain text.** A title, name, publisher or container that arrives with
  markup (Crossref's JATS ``<jats:italic>``, CSL-JSON's rich text ``<i>``, or a hostile
  ``<script>``) is stored without it: `plain_text` removes every tag (and the content of
  ``<script>``/``<style>``) and decodes entities, so templates escape the text once.
  `Resource.save`, `Creator.save` and `csl.from_csl` call it, which covers Crossref,
  RIS, BibTeX, CSL-JSON, the bundle's ``library.yaml`` and the admin forms alike.
* **Citation HTML keeps only formatting.** `clean_citation_html` is the last step of
  every formatted citation (any engine): only the tags in `CITATION_TAGS` survive, a
  ``span`` only with the class ``small-caps`` or ``roman``, and an ``a`` only with an absolute
  ``http``/``https`` ``href`` (DOIs are linked as ``https://doi.org/…``; ``doi:`` and
  relative links are dropped with the rest).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

import nh3

#: Formatting a citation may use: what CSL's formatting attributes produce in HTML
#: (italic, bold, underline, super/subscript, small caps), the <cite> the plain
#: fallback line uses, and links.
CITATION_TAGS = frozenset({"i", "b", "em", "strong", "u", "cite", "sup", "sub", "span", "a"})
CITATION_ATTRIBUTES = {"a": {"href"}}
CITATION_CLASSES = {"span": {"small-caps", "roman"}}
#: The only link schemes a citation may carry.
LINK_SCHEMES = frozenset({"http", "https"})
#: Removed with their content, not just their tags.
CONTENT_TAGS = frozenset({"script", "style"})

_PLAIN_TEXT_ROUNDS = 4
# Only entities that end in ";" (what nh3 writes): "&region=" in a query string or
# "R&D" stays as it is, where html.unescape alone would read "&reg".
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def clean_citation_html(value: str) -> str:
    """``value`` with every tag, attribute and link outside the allow-list removed."""
    return nh3.clean(
        value,
        tags=set(CITATION_TAGS),
        clean_content_tags=set(CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in CITATION_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in CITATION_CLASSES.items()},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer",
    )


def is_web_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) address (what readers may be linked to)."""
    parts = urlsplit(value or "")
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc) and " " not in value


def plain_text(value: str) -> str:
    """``value`` without HTML tags, with entities decoded: what a reader should read.

    Entities are decoded and the text cleaned again until nothing changes, so
    ``&lt;script&gt;`` cannot turn back into a tag; text such as "p < 0.05" or "AT&T"
    comes back as it went in.
    """
    text = value
    for _ in range(_PLAIN_TEXT_ROUNDS):
        if "<" not in text and not _ENTITY.search(text):
            return text
        cleaned = nh3.clean(text, tags=set(), clean_content_tags=set(CONTENT_TAGS))
        cleaned = _ENTITY.sub(lambda m: html.unescape(m.group(0)), cleaned)
        if cleaned == text:
            return text
        text = cleaned
    # Markup encoded more times than anyone types it: keep it as inert, escaped text.
    return nh3.clean(text, tags=set(), clean_content_tags=set(CONTENT_TAGS))


def plain_values(value: Any) -> Any:
    """`plain_text` applied to every string inside a JSON value (e.g. ``csl_extra``)."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list):
        return [plain_values(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_values(v) for k, v in value.items()}
    return value
