"""Reader pages: a resource's citations, and citation downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .citations import citations
from .exports import SUFFIXES, download, with_creators
from .models import Resource


def _format(suffix: str) -> str:
    if suffix not in SUFFIXES:
        raise Http404("Unknown download format: use .ris, .bib or .json.")
    return SUFFIXES[suffix]


def resource_detail(request: HttpRequest, key: str) -> HttpResponse:
    resource = get_object_or_404(with_creators(Resource.objects.all()), key=key)
    return render(
        request,
        "library/resource_detail.html",
        {"resource": resource, "citations": citations(resource)},
    )


def resource_download(request: HttpRequest, key: str, suffix: str) -> HttpResponse:
    fmt = _format(suffix)
    resource = get_object_or_404(with_creators(Resource.objects.all()), key=key)
    return download([resource], fmt, resource.key)


def library_download(request: HttpRequest, suffix: str) -> HttpResponse:
    fmt = _format(suffix)
    return download(with_creators(Resource.objects.order_by("title")), fmt, "library")


def section_download(request: HttpRequest, page_id: int, suffix: str) -> HttpResponse:
    from fieldguide.guide.models import SectionPage

    fmt = _format(suffix)
    section = get_object_or_404(SectionPage.objects.live().public(), pk=page_id)
    selections = section.selected_resources.select_related("resource").prefetch_related(
        "resource__creators"
    )
    resources = [selection.resource for selection in selections]
    return download(resources, fmt, section.slug)
