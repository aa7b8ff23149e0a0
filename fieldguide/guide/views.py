"""Reader views of the guide that are not Wagtail pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .models import GuideHomePage


def guide_for_request(request: HttpRequest) -> GuideHomePage:
    """The live guide this site serves, or 404."""
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    if not isinstance(root, GuideHomePage) or not root.live:
        raise Http404("This site has no published guide.")
    return root


@require_safe
def discussion_questions(request: HttpRequest) -> HttpResponse:
    """Every section's discussion questions on one page, in the guide's order."""
    home = guide_for_request(request)
    sections = list(home.sections().prefetch_related("questions"))
    return render(
        request,
        "guide/questions.html",
        {"guide": home, "question_sections": sections, "page_title": "Discussion questions"},
    )
