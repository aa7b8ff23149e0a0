"""The editors' link-health report, per-link history and the actions on links.

Every view checks the Django model permission its action needs: looking needs
``linkhealth.view_link`` (or change), every action ``linkhealth.change_link``, and
"Update everywhere" also the change permission of each kind of record it rewrites and
publish rights on every page it publishes.
"""

from __future__ import annotations

import functools

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from fieldguide.guide.models import SectionPage

from .choices import LINK_DISPLAY_CHOICES
from .editing import annotate_edit_urls
from .fixes import FixError, apply_permanent_redirect, pages_using
from .models import Link, LinkHealthSettings, LinkStatus, UsageKind
from .refresh import refresh_sections_for
from .runner import confirm_days, run_checks

SORTS = {"url": "url", "host": "host", "status": "status", "checked": "checked_at"}
PER_PAGE = 50
#: "Check now" runs in the request; more links than this wait for the scheduled run.
CHECK_NOW_MAX = 100
VIEW_PERM = "linkhealth.view_link"
CHANGE_PERM = "linkhealth.change_link"
#: The permission "Update everywhere" needs for each kind of record it rewrites.
UPDATE_PERMS = {
    UsageKind.RESOURCE_URL: "library.change_resource",
    UsageKind.PROFILE: "library.change_profile",
    UsageKind.GLOSSARY_TEXT: "guide.change_glossaryterm",
}


def can_view(user) -> bool:
    return user.has_perm(VIEW_PERM) or user.has_perm(CHANGE_PERM)


def can_change(user) -> bool:
    return user.has_perm(CHANGE_PERM)


def forbidden(message: str) -> HttpResponse:
    """A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard)."""
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


def needs_change(view):
    """Refuse users without ``linkhealth.change_link`` with a 403."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_change(request.user):
            return forbidden("Changing link checks needs the link-health change permission.")
        return view(request, *args, **kwargs)

    return wrapped


class ViewPermissionMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_view(request.user):
            return forbidden("Seeing link checks needs the link-health view permission.")
        return super().dispatch(request, *args, **kwargs)


def update_blockers(link: Link, user) -> list[str]:
    """Why ``user`` may not run "Update everywhere" on ``link`` (empty: they may)."""
    reasons = []
    if not can_change(user):
        reasons.append("you may not change link checks")
    kinds = set(link.usages.values_list("kind", flat=True))
    for kind, perm in UPDATE_PERMS.items():
        if kind in kinds and not user.has_perm(perm):
            reasons.append(f"you may not change {UsageKind(kind).label.lower()}s")
    blocked = [
        page.title
        for page in Page.objects.filter(pk__in=pages_using(link)).specific()
        if not page.permissions_for_user(user).can_publish()
    ]
    if blocked:
        reasons.append("the update publishes pages you cannot publish: " + ", ".join(blocked))
    return reasons


class LinkFilterForm(forms.Form):
    attention = forms.BooleanField(required=False, label="Only links that need attention")
    status = forms.ChoiceField(
        choices=[("", "Any status"), *LinkStatus.choices],
        required=False,
        error_messages={"invalid_choice": "There is no link status called %(value)s."},
    )
    section = forms.ModelChoiceField(
        queryset=SectionPage.objects.order_by("path"),
        required=False,
        empty_label="Any section",
        error_messages={"invalid_choice": "There is no section with that id."},
    )
    host = forms.CharField(max_length=255, required=False, help_text="e.g. www.example.org")
    sort = forms.ChoiceField(
        choices=[("", "Default")] + [(k, k) for key in SORTS for k in (key, f"-{key}")],
        required=False,
        error_messages={"invalid_choice": "Links cannot be sorted by %(value)s."},
    )


class LinkDisplayForm(forms.ModelForm):
    class Meta:
        model = Link
        fields = ["broken_display"]
        widgets = {"broken_display": forms.RadioSelect}


def filtered_links(data: dict) -> QuerySet[Link]:
    """Links in use matching the report's (cleaned) filters, in the asked order."""
    links = Link.objects.filter(usages__isnull=False)
    if data.get("status"):
        links = links.filter(status=data["status"])
    if data.get("section"):
        links = links.filter(usages__section=data["section"])
    if data.get("host"):
        links = links.filter(host__iexact=data["host"].strip())
    if data.get("attention"):
        links = links.needs_attention()
    sort = data.get("sort") or "status"
    field = SORTS[sort.lstrip("-")]
    return links.distinct().order_by(f"-{field}" if sort.startswith("-") else field, "url")


class BulkForm(forms.Form):
    ACTIONS = [
        ("recheck", "Check again now"),
        ("display", "Set what readers see"),
        ("dismiss", "Dismiss (an editor looked; stop listing it)"),
        ("undismiss", "List it again"),
    ]
    action = forms.ChoiceField(
        choices=ACTIONS, error_messages={"invalid_choice": "There is no action called %(value)s."}
    )
    display = forms.ChoiceField(
        choices=LINK_DISPLAY_CHOICES,
        required=False,
        label="Readers see",
        error_messages={"invalid_choice": "There is no reader display called %(value)s."},
    )
    links = forms.ModelMultipleChoiceField(
        queryset=Link.objects.all(),
        required=False,
        error_messages={"invalid_choice": "One of the chosen links no longer exists."},
    )
    all_matching = forms.BooleanField(required=False)


class LinkReportView(ViewPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Link health"
    header_icon = "link"
    template_name = "linkhealth/admin/report.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = LinkFilterForm(self.request.GET)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        links = filtered_links(data)
        sort = data.get("sort") or "status"
        page = Paginator(links.prefetch_related("usages"), PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        counts = dict(
            Link.objects.filter(usages__isnull=False)
            .values_list("status")
            .annotate(n=Count("id", distinct=True))
        )
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("sort", None)
        context.update(
            {
                "form": form,
                "page_obj": page,
                "sort": sort,
                "base_query": query.urlencode(),
                "filter_query": self.request.GET.urlencode(),
                "section": data.get("section"),
                "can_change": can_change(self.request.user),
                "bulk_form": BulkForm(),
                "check_now_max": CHECK_NOW_MAX,
                "attention_count": Link.objects.in_use().needs_attention().count(),
                "counts": [
                    (value, label, counts.get(value, 0)) for value, label in LinkStatus.choices
                ],
            }
        )
        return context


class LinkDetailView(ViewPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "link"
    template_name = "linkhealth/admin/detail.html"

    def get_page_title(self):
        return "Link"

    def get_page_subtitle(self):
        return self.link.url

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("linkhealth_admin:report"), "label": "Link health"},
            {"url": "", "label": self.link.host or self.link.url},
        ]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.link = get_object_or_404(Link, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "link": self.link,
                "history": self.link.checks.all()[:100],
                "usages": annotate_edit_urls(self.link.usages.all(), self.request.user),
                "display_form": LinkDisplayForm(instance=self.link),
                "confirm_days": confirm_days(),
                "site_default_label": LinkHealthSettings.load(
                    request_or_site=self.request
                ).get_broken_display_display(),
                "can_change": can_change(self.request.user),
                "can_update": self.link.is_permanent_redirect
                and not update_blockers(self.link, self.request.user),
            }
        )
        return context


@require_POST
@needs_change
def set_display(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=pk)
    form = LinkDisplayForm(request.POST, instance=link)
    if form.is_valid():
        form.save()
        refresh_sections_for([link.pk])
        messages.success(request, f"Readers now see: {link.get_broken_display_display()}.")
    else:
        messages.error(request, "Choose one of the options for what readers see.")
    return redirect("linkhealth_admin:detail", pk=link.pk)


@require_POST
def apply_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=pk)
    blockers = update_blockers(link, request.user)
    if blockers:
        return forbidden("Update everywhere was refused: " + "; ".join(blockers) + ".")
    try:
        report = apply_permanent_redirect(link, user=request.user)
    except FixError as exc:
        messages.error(request, str(exc))
        return redirect("linkhealth_admin:detail", pk=link.pk)
    for note in report.skipped:
        messages.warning(request, note)
    if not report.updated:
        messages.warning(request, "Nothing used this address any more; nothing was changed.")
        return redirect("linkhealth_admin:detail", pk=link.pk)
    messages.success(
        request,
        f"Updated to {link.final_url} in {len(report.updated)} places: "
        + "; ".join(report.updated),
    )
    return redirect("linkhealth_admin:report")


def _check_now(request: HttpRequest, links: list[Link]) -> None:
    """Check ``links`` in this request and say what came of it, in plain words."""
    if len(links) > CHECK_NOW_MAX:
        messages.warning(
            request,
            f"{len(links)} links are too many to check while you wait (at most "
            f"{CHECK_NOW_MAX}); narrow the filters, or wait for the scheduled check.",
        )
        return
    summary = run_checks(urls=[link.url for link in links])
    if summary.network_down:
        messages.error(request, summary.network_down)
    elif summary.checked:
        messages.success(request, str(summary))
    else:
        messages.warning(request, "These addresses are no longer used in the guide.")


@require_POST
@needs_change
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=pk)
    summary = run_checks(urls=[link.url])
    if summary.network_down:
        messages.error(request, summary.network_down)
    elif summary.checked:
        link.refresh_from_db()
        text = f"Checked again: {link.get_status_display()}."
        if link.error:
            text += f" {link.error}"
        messages.success(request, text)
    else:
        messages.warning(
            request, "This address is no longer used in the guide, so it was not checked."
        )
    return redirect("linkhealth_admin:detail", pk=link.pk)


def _save_each(links: list[Link], **values) -> None:
    """Saved one by one, not with update(), so the page cache sees the change."""
    for link in links:
        for name, value in values.items():
            setattr(link, name, value)
        link.save(update_fields=list(values))


@require_POST
@needs_change
def bulk(request: HttpRequest) -> HttpResponse:
    """One action on the ticked links, or on every link matching the report's filters."""
    back = reverse("linkhealth_admin:report") + "?" + request.POST.get("query", "")
    form = BulkForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label or field}: {error}")
        return redirect(back)
    data = form.cleaned_data
    if data["all_matching"]:
        filters = LinkFilterForm(QueryDict(request.POST.get("query", "")))
        filters.is_valid()
        links = list(filtered_links(getattr(filters, "cleaned_data", {})))
    else:
        links = list(data["links"])
    if not links:
        messages.warning(request, "Tick at least one link (or choose all that match).")
        return redirect(back)
    ids = [link.pk for link in links]
    noun = "link" if len(ids) == 1 else "links"
    action = data["action"]
    if action == "recheck":
        _check_now(request, links)
    elif action == "display":
        _save_each(links, broken_display=data["display"])
        label = dict(LINK_DISPLAY_CHOICES)[data["display"]].lower()
        messages.success(request, f"{len(ids)} {noun}: readers now see {label}.")
    elif action == "dismiss":
        now = timezone.now()
        for link in links:
            _save_each([link], dismissed_at=now, dismissed_status=link.status)
        messages.success(
            request,
            f"{len(ids)} {noun} dismissed: not listed as needing attention, and readers see "
            "no notice, until a check gives a different answer.",
        )
    else:
        _save_each(links, dismissed_at=None, dismissed_status="")
        messages.success(request, f"{len(ids)} {noun} listed again.")
    if action != "recheck":  # a check refreshes what it changed itself
        refresh_sections_for(ids)
    return redirect(back)
