"""The freshness dashboard, "mark as reviewed", and the suggestions moderation queue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from fieldguide.guide.models import SectionPage
from fieldguide.linkhealth.editing import annotate_edit_urls
from fieldguide.linkhealth.sorting import sort_rows

from . import moderation
from .forms import AcceptForm, DeclineForm, ReviewForm
from .freshness import problem_links, section_freshness, stale_checks
from .models import ResourceSuggestion, SectionReview, SuggestionState

SECTION_SORTS = {
    "title": lambda r: r.page.title.lower(),
    "changed": lambda r: r.content_changed_at,
    "reviewed": lambda r: r.last_reviewed_at,
    "due": lambda r: r.review_due_at,
}
LINK_SORTS = {
    "url": lambda r: r.link.url,
    "status": lambda r: r.link.status,
    "checked": lambda r: r.link.checked_at,
}


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class FreshnessView(AdminPage):
    page_title = "Freshness"
    header_icon = "time"
    template_name = "editorial/admin/freshness.html"

    def _sorted(self, rows, param: str, keys: dict, default: str):
        rows, used, error = sort_rows(rows, self.request.GET.get(param, ""), keys, default)
        if error:
            messages.warning(self.request, f"{param}: {error}")
        return rows, used

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sections, s_sort = self._sorted(section_freshness(), "s_sort", SECTION_SORTS, "due")
        problems, l_sort = self._sorted(problem_links(), "l_sort", LINK_SORTS, "status")
        stale, c_sort = self._sorted(stale_checks(), "c_sort", LINK_SORTS, "checked")
        for row in problems + stale:
            row.usages = annotate_edit_urls(row.usages, user)
        context.update(
            {
                "sections": sections,
                "overdue_count": sum(1 for s in sections if s.overdue),
                "problems": problems,
                "stale": stale,
                "sorts": {"s_sort": s_sort, "l_sort": l_sort, "c_sort": c_sort},
                "review_form": ReviewForm(),
            }
        )
        return context


@require_POST
def mark_reviewed(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(SectionPage, pk=page_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        SectionReview.objects.create(
            page=page, reviewer=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, f"“{page.title}” marked as reviewed.")
    else:
        messages.error(request, f"Review note: {' '.join(form.errors['note'])}")
    return redirect("editorial_admin:freshness")


class SuggestionQueueView(AdminPage):
    page_title = "Suggestions"
    header_icon = "comment"
    template_name = "editorial/admin/suggestions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", SuggestionState.PENDING)
        if state not in SuggestionState.values:
            messages.warning(self.request, f"There is no suggestion state called {state!r}.")
            state = SuggestionState.PENDING
        context.update(
            {
                "state": state,
                "states": SuggestionState.choices,
                "suggestions": ResourceSuggestion.objects.filter(state=state).select_related(
                    "section", "resource"
                ),
                "accept_form": AcceptForm(),
                "decline_form": DeclineForm(),
            }
        )
        return context


@require_POST
def accept_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(ResourceSuggestion, pk=pk)
    if not suggestion.section.permissions_for_user(request.user).can_publish():
        messages.error(
            request, f"Accepting publishes “{suggestion.section.title}”, which you cannot publish."
        )
        return redirect("editorial_admin:suggestions")
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("editorial_admin:suggestions")
    try:
        resource = moderation.accept(
            suggestion, request.user, form.cleaned_data["title"], form.cleaned_data["note"]
        )
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
        return redirect("editorial_admin:suggestions")
    messages.success(
        request,
        f"“{resource.title}” added to “{suggestion.section.title}” and the section published.",
        buttons=[messages.button(AdminURLFinder(request.user).get_edit_url(resource), "Edit it")],
    )
    return redirect("editorial_admin:suggestions")


@require_POST
def decline_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(ResourceSuggestion, pk=pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["decision_note"]))
        return redirect("editorial_admin:suggestions")
    try:
        moderation.decline(suggestion, form.cleaned_data["decision_note"], request.user)
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Suggestion declined.")
    return redirect("editorial_admin:suggestions")
