"""One search box over sections, pages, resources, profiles and glossary terms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from fieldguide.guide.models import GlossaryTerm, SectionPage
from fieldguide.library.models import Profile, Resource, ResourceType

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50


def _search(queryset, query: str):
    backend = get_search_backend()
    return list(backend.search(query, queryset)[:MAX_RESULTS])


def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())
    resource_type = request.GET.get("type", "")
    context: dict = {
        "query": query,
        "resource_type": resource_type,
        "resource_types": ResourceType.choices,
        "groups": [],
        "problems": [],
    }
    if resource_type and resource_type not in ResourceType.values:
        context["problems"].append(
            f"“{resource_type[:40]}” is not a resource type; showing every type."
        )
        resource_type = context["resource_type"] = ""
    if len(query) > MAX_QUERY_LENGTH:
        context["problems"].append(
            f"Your search was {len(query)} characters long; only the first "
            f"{MAX_QUERY_LENGTH} were used."
        )
        query = context["query"] = query[:MAX_QUERY_LENGTH]
    if not query:
        return render(request, "search/search.html", context)

    resources = Resource.objects.prefetch_related("creators")
    if resource_type:
        resources = resources.filter(resource_type=resource_type)
    groups = []
    if not resource_type:
        groups.append(("Sections", "section", _search(SectionPage.objects.live().public(), query)))
    groups.append(("Resources", "resource", _search(resources, query)))
    if not resource_type:
        groups += [
            ("People and organisations", "profile", _search(Profile.objects.all(), query)),
            ("Glossary", "term", _search(GlossaryTerm.objects.all(), query)),
            (
                "Other pages",
                "page",
                _search(
                    Page.objects.live()
                    .public()
                    .not_type(SectionPage)
                    .exclude(depth__lte=1)
                    .specific(),
                    query,
                ),
            ),
        ]
    context["groups"] = [g for g in groups if g[2]]
    context["total"] = sum(len(g[2]) for g in groups)
    return render(request, "search/search.html", context)
