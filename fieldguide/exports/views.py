"""Download views: build an edition on first request, then serve the stored file."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Site

from fieldguide.guide.models import GuideHomePage

from .editions import EditionFormat, EditionKind, EditionSpec
from .errors import EditionBuildError
from .store import get_or_build, previous_edition, stored
from .tasks import builds_inline, enqueue_build
from .version import content_version

logger = logging.getLogger(__name__)
KINDS_BY_NAME = {"guide": EditionKind.GUIDE, "discussion-guide": EditionKind.DISCUSSION}


def guide_for_request(request: HttpRequest) -> GuideHomePage:
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    if not isinstance(root, GuideHomePage) or not root.live:
        raise Http404("This site has no published guide.")
    return root


def _being_prepared(request: HttpRequest, spec: EditionSpec) -> HttpResponse:
    retry_after = settings.EDITION_RETRY_AFTER_SECONDS
    response = render(
        request,
        "exports/preparing.html",
        {"filename": spec.filename, "retry_after": retry_after},
        status=503,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _serve(request: HttpRequest, spec: EditionSpec) -> HttpResponse:
    home = guide_for_request(request)
    current = True
    try:
        if builds_inline():
            edition = get_or_build(home, spec)
        else:
            # A worker builds it; the reader gets the previous file or is told to wait.
            edition = stored(home, spec, content_version(home))
            if edition is None:
                enqueue_build(home.pk, spec)
                edition = previous_edition(home, spec)
                current = False
                if edition is None:
                    return _being_prepared(request, spec)
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
    if current:
        patch_cache_control(response, public=True, max_age=300)
    else:
        # The previous file, while the new one is built: caches must ask again.
        patch_cache_control(response, public=True, no_cache=True)
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
