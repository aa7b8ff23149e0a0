"""Reader-side helpers: never show a dead link silently, and say where a copy is kept."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.db.models import Q
from django.template.context import Context
from django.utils.html import format_html

from fieldguide.linkhealth.models import BrokenLinkDisplay, Link, LinkHealthSettings

register = template.Library()


@dataclass
class ReaderLinks:
    """What readers are shown about links, loaded once per request."""

    broken: dict[str, Link]
    archived: dict[str, Link]
    default_display: str


def reader_links(request=None) -> ReaderLinks:
    """Links confirmed broken (and not dismissed) and links with a known archived copy.

    One query for the links, one for the site setting, however many resources a page has.
    """
    cached = getattr(request, "_linkhealth_reader", None)
    if cached is not None:
        return cached
    broken: dict[str, Link] = {}
    archived: dict[str, Link] = {}
    wanted = Q(confirmed_broken_at__isnull=False, dismissed_at__isnull=True) | ~Q(archived_url="")
    for link in Link.objects.filter(wanted):
        if link.confirmed_broken_at is not None and link.dismissed_at is None:
            broken[link.url] = link
        if link.archived_url:
            archived[link.url] = link
    setting = LinkHealthSettings.load(request_or_site=request)
    loaded = ReaderLinks(broken, archived, setting.broken_display)
    if request is not None:
        request._linkhealth_reader = loaded
    return loaded


@register.simple_tag(takes_context=True)
def link_problem(context: Context, url: str) -> Link | None:
    """The Link record if ``url`` is confirmed broken, with ``shown_as`` set, else None."""
    if not url:
        return None
    loaded = reader_links(context.get("request"))
    link = loaded.broken.get(url)
    if link is not None:
        link.shown_as = link.display_for_readers(loaded.default_display)
    return link


@register.simple_tag(takes_context=True)
def shown_link(context: Context, url: str) -> str:
    """``url``, or an empty string when readers are not to be shown it while it is broken."""
    problem = link_problem(context, url)
    if problem is not None and problem.shown_as == BrokenLinkDisplay.HIDE:
        return ""
    return url or ""


@register.simple_tag(takes_context=True)
def robust_link_attrs(context: Context, url: str) -> str:
    """Robust Links attributes (``data-versionurl``, ``data-versiondate``) for ``url``
    once an archived copy of it is known; nothing otherwise."""
    link = reader_links(context.get("request")).archived.get(url) if url else None
    if link is None or link.archived_at is None:
        return ""
    return format_html(
        ' data-versionurl="{}" data-versiondate="{}"',
        link.archived_url,
        link.archived_at.date().isoformat(),
    )
