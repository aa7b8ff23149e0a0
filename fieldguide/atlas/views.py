"""Reader pages of the atlas. All GET, no cookies, and the reader's place stays in the URL."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from fieldguide.guide.models import SectionPage

from . import choropleth, releases, status
from .forms import LookupForm
from .lookup import jurisdictions_for, resolve
from .models import (
    AGREEMENT_TARGET,
    Bill,
    BillType,
    DatasetImport,
    DatasetRelease,
    DirectoryEntry,
    Jurisdiction,
    PolicyRecord,
    Topic,
)
from .policy_csv import export_policy_csv
from .representatives import call_script, delegation_for


def directory_for(jurisdictions: list[Jurisdiction], topics: list[Topic] | None = None):
    entries = DirectoryEntry.objects.filter(Q(nationwide=True) | Q(places__in=jurisdictions))
    if topics is not None:
        entries = entries.filter(topics__in=topics)
    return (
        entries.select_related("profile")
        .prefetch_related("sources__checked_by", "places")
        .distinct()
        .order_by("nationwide", "name", "profile__name")
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "atlas/index.html",
        {
            "topics": Topic.objects.all(),
            "places": status.top_level_jurisdictions(),
            "form": LookupForm(),
            "bills": Bill.objects.order_by("-latest_action_on")[:10],
        },
    )


@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    top = status.statuses(topic, status.top_level_jurisdictions())
    drawn, tiles = choropleth.map_shapes(top)
    local_records = (
        status.records_for(topic)
        .filter(jurisdiction__parent__isnull=False)
        .order_by("jurisdiction__state_abbr", "jurisdiction__name", "-effective_date")
    )
    categories = list(topic.categories.all())
    counts = {c.pk: 0 for c in categories}
    for s in top:
        if s.category:
            counts[s.category.pk] = counts.get(s.category.pk, 0) + 1
    legend = [(c, counts[c.pk]) for c in categories]
    not_coded = sum(1 for s in top if s.category is None)
    return render(
        request,
        "atlas/topic.html",
        {
            "topic": topic,
            "categories": categories,
            "legend": legend,
            "not_coded_count": not_coded,
            "coded_count": len(top) - not_coded,
            "latest_release": topic.releases.order_by("-number").first(),
            "agreement": releases.agreement(topic),
            "agreement_target": f"{AGREEMENT_TARGET * 100:.0f}%",
            "statuses": top,
            "shapes": drawn,
            "tiles": tiles,
            "viewbox": choropleth.VIEWBOX,
            "timeline": status.timeline(topic),
            "local_records": local_records,
            "not_coded_label": status.NOT_CODED_LABEL,
            "not_coded_definition": status.NOT_CODED_DEFINITION,
            "form": LookupForm(initial={"topic": topic.slug}),
        },
    )


@require_safe
def jurisdiction_detail(request: HttpRequest, slug: str) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction.objects.select_related("parent"), slug=slug)
    topics = list(Topic.objects.all())
    children = list(jurisdiction.children.order_by("kind", "name"))
    grandchildren = list(Jurisdiction.objects.filter(parent__in=children).order_by("name"))
    locals_ = children + grandchildren
    return render(
        request,
        "atlas/jurisdiction.html",
        {
            "jurisdiction": jurisdiction,
            "topic_statuses": [
                (
                    t,
                    status.statuses(t, [jurisdiction])[0],
                    status.local_rules_in_force(t, jurisdiction)
                    if jurisdiction.is_top_level
                    else [],
                )
                for t in topics
            ],
            # A state page already lists the local rules in force under each topic; below,
            # only the local policies that have ended (a child's page lists every one).
            "local_statuses": [
                (
                    t,
                    [
                        s
                        for s in status.statuses(t, locals_)
                        if s.history and not (s.current and jurisdiction.is_top_level)
                    ],
                )
                for t in topics
            ],
            "children": locals_,
            "directory": directory_for(
                [jurisdiction, *locals_, *filter(None, [jurisdiction.parent])]
            ),
            "not_coded_definition": status.NOT_CODED_DEFINITION,
        },
    )


def _section(slug: str) -> SectionPage | None:
    """The guide section the reader came from, whose actions the lookup makes local."""
    return SectionPage.objects.live().public().filter(slug=slug).first() if slug else None


@require_safe
@cache_control(no_store=True, private=True)
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    context: dict = {"form": form, "topics": Topic.objects.all()}
    if not request.GET or not form.is_valid():
        return render(request, "atlas/lookup.html", context)
    data = form.cleaned_data
    topic = None
    if data["topic"]:
        topic = Topic.objects.filter(slug=data["topic"]).first()
        if topic is None:
            context["notice"] = f"There is no topic “{data['topic']}”; showing every topic."
    section = _section(data["section"])
    result = resolve(data["place"])
    context.update({"result": result, "topic": topic, "section": section})
    if result.place:
        jurisdictions = jurisdictions_for(result.place)
        topics = [topic] if topic else list(Topic.objects.all())
        context.update(
            {
                "place": result.place,
                "jurisdictions": jurisdictions,
                "topic_statuses": [
                    (t, status.most_specific_first(status.statuses(t, jurisdictions)))
                    for t in topics
                ],
                "directory": directory_for(jurisdictions, topics),
                "delegation": delegation_for(result.place),
                "bills": Bill.objects.filter(topics__in=topics).distinct()[:10],
                "actions": section.actions.all() if section else [],
                "not_coded_definition": status.NOT_CODED_DEFINITION,
            }
        )
    return render(request, "atlas/lookup.html", context)


@require_safe
def bill_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "atlas/bills.html",
        {
            "bills": Bill.objects.prefetch_related("topics"),
            "as_of": DatasetImport.latest(DatasetImport.Dataset.BILLS),
        },
    )


@require_safe
@cache_control(no_store=True, private=True)
def bill_detail(request: HttpRequest, congress: int, bill_type: str, number: int) -> HttpResponse:
    if bill_type not in BillType.values or congress > 32767 or number > 2**31 - 1:
        raise Http404("No such bill.")
    bill = get_object_or_404(Bill, congress=congress, bill_type=bill_type, number=number)
    form = LookupForm(request.GET or None)
    context: dict = {"bill": bill, "form": form}
    if request.GET and form.is_valid():
        result = resolve(form.cleaned_data["place"])
        context["result"] = result
        if result.place:
            delegation = delegation_for(result.place)
            members = delegation.senators + (delegation.house if delegation.house_certain else [])
            context["delegation"] = delegation
            context["scripts"] = [(m, call_script(bill, m, result.place)) for m in members]
    return render(request, "atlas/bill.html", context)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """Every policy record in the import format: the atlas is open data."""
    response = HttpResponse(
        export_policy_csv(PolicyRecord.objects.all()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="fieldguide-policies.csv"'
    return response


@require_safe
def release_list(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return render(
        request,
        "atlas/releases.html",
        {"topic": topic, "releases": topic.releases.select_related("published_by")},
    )


def _release(slug: str, number: int) -> DatasetRelease:
    if number > 2**31 - 1:
        raise Http404("No such release.")
    return get_object_or_404(
        DatasetRelease.objects.select_related("topic", "published_by"),
        topic__slug=slug,
        number=number,
    )


@require_safe
def release_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    release = _release(slug, number)
    return render(request, "atlas/release.html", {"release": release, "topic": release.topic})


@require_safe
def release_csv(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    release = _release(slug, number)
    response = HttpResponse(releases.release_csv(release), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="fieldguide-{release.topic.slug}-{release.label}.csv"'
    )
    return response
