"""The freshness dashboard, "mark as reviewed", and the suggestions moderation queue."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from fieldguide.guide.models import SectionPage
from fieldguide.library.citations import unsaved_citation_html
from fieldguide.linkhealth.editing import annotate_edit_urls
from fieldguide.linkhealth.sorting import sort_rows

from . import moderation
from .forms import AcceptForm, DeclineForm, ReviewForm
from .freshness import problem_links, section_freshness, stale_checks
from .models import ResourceSuggestion, SectionReview, SuggestionState
from .permissions import FRESHNESS_PERMISSION, MODERATE_PERMISSION, REVIEW_PERMISSION, require

PROPOSAL_SALT = "fieldguide.editorial.proposal"
#: How long a fetched proposal may wait on screen before it must be fetched again.
PROPOSAL_MAX_AGE = 24 * 60 * 60

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
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class FreshnessView(AdminPage):
    permission = FRESHNESS_PERMISSION
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
                "can_review": user.has_perm(REVIEW_PERMISSION),
            }
        )
        return context


@require_POST
@require(REVIEW_PERMISSION)
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
    permission = MODERATE_PERMISSION
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
                "decline_form": DeclineForm(),
            }
        )
        return context


def _pending_for(request: HttpRequest, pk: int) -> ResourceSuggestion | HttpResponse:
    suggestion = get_object_or_404(ResourceSuggestion.objects.select_related("section"), pk=pk)
    if suggestion.state != SuggestionState.PENDING:
        messages.error(request, "This suggestion has already been decided.")
        return redirect("editorial_admin:suggestions")
    return suggestion


class SuggestionReviewView(AdminPage):
    """Step 1 (GET): the fetched metadata as it will be cited, and any duplicates.
    Step 2 (POST): publish it, or save it in a draft of the section."""

    permission = MODERATE_PERMISSION
    page_title = "Review a suggestion"
    header_icon = "comment"
    template_name = "editorial/admin/suggestion_review.html"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("editorial_admin:suggestions"), "label": "Suggestions"},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, pk: int):
        suggestion = _pending_for(request, pk)
        if isinstance(suggestion, HttpResponse):
            return suggestion
        try:
            proposal = moderation.propose(suggestion)
        except moderation.ModerationError as exc:
            messages.error(request, str(exc))
            return redirect("editorial_admin:suggestions")
        form = AcceptForm(
            initial={
                "title": proposal.resource.title,
                "proposal": signing.dumps(proposal.payload(), salt=PROPOSAL_SALT, compress=True),
            }
        )
        return self._render(suggestion, proposal, form)

    def _render(self, suggestion, proposal, form, status: int = 200):
        section = suggestion.section
        context = self.get_context_data(
            suggestion=suggestion,
            proposal=proposal,
            citation=unsaved_citation_html(proposal.resource, "apa"),
            form=form,
            decline_form=DeclineForm(),
            can_publish=section.permissions_for_user(self.request.user).can_publish(),
        )
        return self.render_to_response(context, status=status)

    def post(self, request, pk: int):
        suggestion = _pending_for(request, pk)
        if isinstance(suggestion, HttpResponse):
            return suggestion
        form = AcceptForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            )
            return redirect("editorial_admin:review_suggestion", pk=pk)
        try:
            payload = signing.loads(
                form.cleaned_data["proposal"], salt=PROPOSAL_SALT, max_age=PROPOSAL_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, "The fetched details are too old or were changed: fetch again.")
            return redirect("editorial_admin:review_suggestion", pk=pk)
        publish = "publish" in request.POST
        perms = suggestion.section.permissions_for_user(request.user)
        if publish and not perms.can_publish():
            messages.error(
                request,
                f"Publishing “{suggestion.section.title}” needs publish rights: "
                "save it as a draft instead.",
            )
            return redirect("editorial_admin:review_suggestion", pk=pk)
        if not perms.can_edit():
            raise PermissionDenied
        try:
            resource = moderation.accept(
                suggestion,
                request.user,
                form.cleaned_data["title"],
                form.cleaned_data["note"],
                proposal=moderation.Proposal.from_payload(payload),
                publish=publish,
            )
        except moderation.ModerationError as exc:
            messages.error(request, str(exc))
            return redirect("editorial_admin:suggestions")
        done = "the section published" if publish else "saved in a draft of the section"
        messages.success(
            request,
            f"“{resource.title}” added to “{suggestion.section.title}” and {done}.",
            buttons=[
                messages.button(AdminURLFinder(request.user).get_edit_url(resource), "Edit it")
            ],
        )
        return redirect("editorial_admin:suggestions")


@require_POST
@require(MODERATE_PERMISSION)
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
