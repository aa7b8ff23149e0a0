"""Your state legislators: the reader picks their district, since a ZIP code cannot tell it.

GET only, no cookie, nothing stored or logged: the choice lives in the page's address, and
the response is marked private and never stored by a cache.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import geography
from .models import DatasetImport, Topic
from .representatives import (
    ISSUE_PLACEHOLDER,
    chambers_for,
    executives_for,
    seat_for,
    state_call_script,
)


def state_legislature_context(state_abbr: str, chosen: dict[str, str] | None = None) -> dict:
    """The chambers, with the districts to choose from, and the data's own date."""
    chosen = chosen or {}
    chambers = chambers_for(state_abbr)
    return {
        "state_abbr": state_abbr,
        "chambers": [(c, chosen.get(c.role, "")) for c in chambers],
        "executives": executives_for(state_abbr),
        "state_as_of": DatasetImport.latest(DatasetImport.Dataset.STATE_OFFICIALS),
    }


@require_safe
@cache_control(no_store=True, private=True)
def state_legislators(request: HttpRequest, state: str) -> HttpResponse:
    found = geography.state_for(state.upper()) if len(state) == 2 else None
    if found is None:
        raise Http404("No such state or territory.")
    topic = Topic.objects.filter(slug=request.GET.get("topic", "")[:100]).first()
    about = topic.name.lower() if topic else ISSUE_PLACEHOLDER
    chambers = chambers_for(found.abbr)
    chosen: dict[str, str] = {}
    errors: list[str] = []
    seats = []
    for chamber in chambers:
        value = request.GET.get(chamber.role, "").strip()[:60]
        if not value:
            continue
        if value not in chamber.districts:
            errors.append(f"{found.name}'s {chamber.name} has no district “{value}”. Choose one.")
            continue
        chosen[chamber.role] = value
        seat = seat_for(found.abbr, chamber.role, value)
        where = f"{found.name} ({chamber.name} district {value})"
        seats.append(
            (
                chamber,
                seat,
                [(m, state_call_script(m, where, about)) for m in seat.members],
            )
        )
    context = state_legislature_context(found.abbr, chosen)
    context.update(
        {
            "state": found,
            "topic": topic,
            "seats": seats,
            "errors": errors,
            "executive_scripts": [
                (e, state_call_script(e, found.name, about)) for e in context["executives"]
            ],
        }
    )
    return render(request, "atlas/state_legislators.html", context)
