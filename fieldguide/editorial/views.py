"""The reader's "Suggest a resource" page: a form on its own page. Like every reader
page it sets no cookie; the form is guarded by the cross-origin check instead."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from fieldguide.core.cross_origin import cross_origin_protected
from fieldguide.core.ratelimit import client_address, hit, setting_rate
from fieldguide.guide.models import SectionPage

from .forms import SuggestionForm
from .models import ResourceSuggestion, SuggestionState

RATE_LIMITED_MESSAGE = (
    "Too many suggestions have been sent from your network in the last while. "
    "What you typed is still here: please wait a little and send it again."
)


def _store(section: SectionPage, form: SuggestionForm) -> None:
    data = form.cleaned_data
    duplicate = ResourceSuggestion.objects.filter(
        section=section, url=data["url"], doi=data["doi"], state=SuggestionState.PENDING
    ).exists()
    if not duplicate:
        ResourceSuggestion.objects.create(
            section=section,
            url=data["url"],
            doi=data["doi"],
            reason=data["reason"],
            email=data["email"],
        )


@cross_origin_protected
def suggest(request: HttpRequest, section_id: int) -> HttpResponse:
    section = get_object_or_404(SectionPage.objects.live().public(), pk=section_id)
    status = 200
    if request.method == "POST":
        form = SuggestionForm(request.POST)
        if not form.is_valid():
            status = 400
        elif not form.is_spam and not hit(
            "suggest", client_address(request), setting_rate("SUGGEST_RATE")
        ):
            form.add_error(None, RATE_LIMITED_MESSAGE)
            status = 429
        else:
            if not form.is_spam:
                _store(section, form)
            return HttpResponseRedirect(reverse("editorial:suggest", args=[section.pk]) + "?sent=1")
    else:
        form = SuggestionForm()
    context = {"section": section, "form": form, "sent": request.GET.get("sent") == "1"}
    return TemplateResponse(request, "editorial/suggest.html", context, status=status)
