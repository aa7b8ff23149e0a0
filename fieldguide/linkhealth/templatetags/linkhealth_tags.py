"""Reader-side helpers: never show a dead link silently."""

from __future__ import annotations

from django import template
from django.template.context import Context

from fieldguide.linkhealth.models import BrokenLinkDisplay, Link, LinkStatus

register = template.Library()

# Statuses readers are warned about: the page is gone, or what answers is not the page.
READER_PROBLEMS = (LinkStatus.BROKEN, LinkStatus.SUSPICIOUS)


def _problems(context: Context) -> dict[str, Link]:
    """Problem links by URL, loaded once per request (one query however many resources)."""
    request = context.get("request")
    cached = getattr(request, "_linkhealth_problems", None)
    if cached is None:
        cached = {link.url: link for link in Link.objects.filter(status__in=READER_PROBLEMS)}
        if request is not None:
            request._linkhealth_problems = cached
    return cached


@register.simple_tag(takes_context=True)
def link_problem(context: Context, url: str) -> Link | None:
    """The Link record if ``url`` is known to be broken or suspicious, else None."""
    return _problems(context).get(url) if url else None


@register.simple_tag(takes_context=True)
def shown_link(context: Context, url: str) -> str:
    """``url``, or an empty string when editors chose to hide it while it is broken."""
    problem = link_problem(context, url)
    if problem is not None and problem.broken_display == BrokenLinkDisplay.HIDE:
        return ""
    return url or ""
