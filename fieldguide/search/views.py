"""One search box over sections, pages, resources, profiles and glossary terms."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from fieldguide.guide.models import GlossaryTerm, SectionPage
from fieldguide.library.models import Profile, Resource, ResourceType

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50


def search_terms(query: str) -> str:
    """Words only: quotes and operators would be parsed by the full-text engine."""
    return " ".join(re.findall(r"\w+", query))


def _search(queryset, query: str, operator: str):
    backend = get_search_backend()
    return list(backend.search(search_terms(query), queryset, operator=operator)[:MAX_RESULTS])


def _grouped_results(query: str, resource_type: str, operator: str) -> list[tuple]:
    resources = Resource.objects.prefetch_related("creators", "selections__page")
    if resource_type:
        resources = resources.filter(resource_type=resource_type)
    groups = []
    if not resource_type:
        sections = SectionPage.objects.live().public()
        groups.append(("Sections", "section", _search(sections, query, operator)))
    groups.append(("Resources", "resource", _search(resources, query, operator)))
    if not resource_type:
        other_pages = (
            Page.objects.live().public().not_type(SectionPage).exclude(depth__lte=1).specific()
        )
        groups += [
            (
                "People and organisations",
                "profile",
                _search(Profile.objects.all(), query, operator),
            ),
            ("Glossary", "term", _search(GlossaryTerm.objects.all(), query, operator)),
            ("Other pages", "page", _search(other_pages, query, operator)),
        ]
    return [group for group in groups if group[2]]


@cache_control(private=True, no_store=True)
def search(request: HttpRequest) -> HttpResponse:
    """Readers' words stay out of every shared cache: the page cache skips private pages."""
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
    if not query or not search_terms(query):
        if query:
            context["problems"].append(
                "Search for letters or numbers: punctuation alone finds nothing."
            )
        return render(request, "search/search.html", context)

    groups = _grouped_results(query, resource_type, "and")
    if not groups and len(search_terms(query).split()) > 1:
        groups = _grouped_results(query, resource_type, "or")
        if groups:
            context["problems"].append(
                "Nothing contained all of your words, so these results contain any of them."
            )
    context["groups"] = groups
    context["total"] = sum(len(g[2]) for g in groups)
    return render(request, "search/search.html", context)
