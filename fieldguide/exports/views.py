"""Download views: build an edition on first request, then serve the stored file."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Site

from fieldguide.guide.models import GuideHomePage

from .editions import EditionFormat, EditionKind, EditionSpec
from .errors import EditionBuildError
from .store import get_or_build

logger = logging.getLogger(__name__)
KINDS_BY_NAME = {"guide": EditionKind.GUIDE, "discussion-guide": EditionKind.DISCUSSION}


def guide_for_request(request: HttpRequest) -> GuideHomePage:
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    if not isinstance(root, GuideHomePage) or not root.live:
        raise Http404("This site has no published guide.")
    return root


def _serve(request: HttpRequest, spec: EditionSpec) -> HttpResponse:
    home = guide_for_request(request)
    try:
        edition = get_or_build(home, spec)
    except EditionBuildError as error:
        logger.error("Edition build failed: %s", error)
        return render(request, "exports/unavailable.html", {"filename": spec.filename}, status=503)
    if request.headers.get("If-None-Match") == f'"{edition.version}"':
        response = HttpResponse(status=304)
    else:
        response = FileResponse(
            edition.path.open("rb"),
            content_type=spec.content_type,
            as_attachment=spec.fmt == EditionFormat.EPUB,
            filename=f"{home.slug}-{spec.filename}",
        )
    response["ETag"] = f'"{edition.version}"'
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def guide_edition(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    return _serve(request, EditionSpec(KINDS_BY_NAME[name], EditionFormat(fmt)))


@require_safe
def section_edition(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    home = guide_for_request(request)
    if not home.sections().filter(slug=slug).exists():
        raise Http404("No such section.")
    return _serve(request, EditionSpec(EditionKind.SECTION, EditionFormat(fmt), slug))
