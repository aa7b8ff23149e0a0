"""Template helpers for reader pages: glossary links and safe outbound links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from fieldguide.library.markup import plain_text

if TYPE_CHECKING:
    from fieldguide.guide.models import GlossaryTerm

register = template.Library()

TAG_RE = re.compile(r"(<[^>]+>)")
EXTERNAL_A_RE = re.compile(r'<a\s+(?![^>]*\brel=)([^>]*href="https?://[^"]*"[^>]*)>', re.I)
SKIP_INSIDE = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}


def outbound_rel(html: str) -> str:
    """Give every absolute link rel="noopener noreferrer" so readers leak no referrer."""
    return EXTERNAL_A_RE.sub(r'<a \1 rel="noopener noreferrer">', html)


def _term_patterns(terms) -> list[tuple[re.Pattern, str, object]]:
    patterns = []
    for term in terms:
        for form in [term.term, *term.alias_list()]:
            patterns.append((form, term.slug, term))
    patterns.sort(key=lambda item: len(item[0]), reverse=True)
    return [
        (re.compile(r"(?<![\w-])(" + re.escape(form) + r")(?![\w-])", re.I), slug, term)
        for form, slug, term in patterns
    ]


TermRenderer = Callable[[str, "GlossaryTerm", str], str]


def term_link(text: str, term: GlossaryTerm, glossary_url: str) -> str:
    """A plain link to the term's entry (editions, where there is no popover)."""
    return (
        f'<a class="term" href="{escape(glossary_url)}#{term.slug}" '
        f'title="Glossary: {escape(term.term)}">{text}</a>'
    )


P_TAGS_RE = re.compile(r"</?p[^>]*>", re.I)
#: A definition longer than this shows its opening sentences in place, then "…": the
#: glossary entry (linked from the popover) has it whole. Keeps section pages light.
IN_PLACE_CHARACTERS = 240


def in_place_definition(html: str) -> str:
    """The definition shown in a term's popover: whole when short, else its opening
    sentences as plain text (never cut inside a word or a link)."""
    text = re.sub(r"\s+", " ", plain_text(html)).strip()
    if len(text) <= IN_PLACE_CHARACTERS:
        return html
    cut = text.rfind(". ", 0, IN_PLACE_CHARACTERS)
    if cut < 0:
        cut = text.rfind(" ", 0, IN_PLACE_CHARACTERS)
        return escape(text[:cut]) + " …"
    return escape(text[: cut + 1]) + " …"


def term_explanation(text: str, term: GlossaryTerm, glossary_url: str) -> str:
    """The term as a button that opens its definition in place, with a link to the entry.

    A declarative popover (``popovertarget``): it opens by click, tap, Enter or Space,
    closes with Escape or a tap outside, and needs no script. A browser without popover
    support shows the definition inline after the term instead.
    """
    definition = in_place_definition(
        P_TAGS_RE.sub(" ", outbound_rel(expand_db_html(term.definition or ""))).strip()
    )
    pop_id = f"define-{term.slug}"
    return (
        f'<button type="button" class="term" popovertarget="{pop_id}">{text}</button>'
        f'<span class="term-pop" id="{pop_id}" popover>'
        f'<strong class="term-pop__name">{escape(term.term)}</strong> '
        f'<span class="term-pop__definition">{definition}</span> '
        f'<a class="term-pop__link" href="{escape(glossary_url)}#{term.slug}">'
        f'Glossary entry<span class="visually-hidden">: {escape(term.term)}</span></a>'
        f"</span>"
    )


def link_first_mentions(
    html: str, terms, glossary_url: str, render: TermRenderer = term_link
) -> str:
    """Mark the first mention of each glossary term in ``html`` with ``render``.

    Text inside links, headings and code is left alone, and each term is marked once.
    """
    if not glossary_url:
        return html
    patterns = _term_patterns(terms)
    linked: set[str] = set()
    open_tags: list[str] = []
    out: list[str] = []
    for chunk in TAG_RE.split(html):
        if chunk.startswith("<"):
            match = re.match(r"<\s*(/)?\s*([a-zA-Z0-9]+)", chunk)
            if match:
                name = match.group(2).lower()
                if match.group(1):
                    if name in open_tags:
                        del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
                elif not chunk.endswith("/>") and name not in {"br", "hr", "img"}:
                    open_tags.append(name)
            out.append(chunk)
            continue
        if SKIP_INSIDE.intersection(open_tags) or not chunk.strip():
            out.append(chunk)
            continue
        out.append(_link_in_text(chunk, patterns, linked, glossary_url, render))
    return "".join(out)


def _link_in_text(
    text: str, patterns, linked: set[str], glossary_url: str, render: TermRenderer
) -> str:
    # Find the earliest unlinked term mention, link it, and continue after it.
    result = []
    while True:
        best = None
        for pattern, slug, term in patterns:
            if slug in linked:
                continue
            match = pattern.search(text)
            if match and (best is None or match.start() < best[0].start()):
                best = (match, slug, term)
        if best is None:
            result.append(text)
            return "".join(result)
        match, slug, term = best
        linked.add(slug)
        result.append(text[: match.start()])
        result.append(render(match.group(1), term, glossary_url))
        text = text[match.end() :]


@register.filter
def reader_html(value) -> SafeString:
    """Rich text from the database, expanded and with safe outbound links."""
    return mark_safe(outbound_rel(expand_db_html(value or "")))  # noqa: S308


@register.simple_tag(takes_context=True)
def introduction_with_terms(context, value) -> SafeString:
    from fieldguide.guide.models import GlossaryTerm

    glossary = context.get("glossary_page")
    html = outbound_rel(expand_db_html(value or ""))
    if glossary is not None:
        html = link_first_mentions(
            html, GlossaryTerm.objects.all(), glossary.url, render=term_explanation
        )
    return mark_safe(html)  # noqa: S308


@register.simple_tag
def page_citations(page) -> list:
    """[(style, html), ...] for a section's or the guide's "Cite this" block."""
    from ..citing import page_citations as citations

    return citations(page)
