"""The editors' link-health report, per-link history and the actions on a link."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from fieldguide.guide.models import SectionPage

from .editing import annotate_edit_urls
from .fixes import FixError, apply_permanent_redirect, pages_using
from .models import Link, LinkStatus
from .runner import run_checks

SORTS = {"url": "url", "host": "host", "status": "status", "checked": "checked_at"}
PER_PAGE = 50


class LinkFilterForm(forms.Form):
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


class LinkReportView(WagtailAdminTemplateMixin, TemplateView):
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
        links = Link.objects.filter(usages__isnull=False)
        if data.get("status"):
            links = links.filter(status=data["status"])
        if data.get("section"):
            links = links.filter(usages__section=data["section"])
        if data.get("host"):
            links = links.filter(host__iexact=data["host"].strip())
        sort = data.get("sort") or "status"
        field = SORTS[sort.lstrip("-")]
        links = links.distinct().order_by(f"-{field}" if sort.startswith("-") else field, "url")
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
                "counts": [
                    (value, label, counts.get(value, 0)) for value, label in LinkStatus.choices
                ],
            }
        )
        return context


class LinkDetailView(WagtailAdminTemplateMixin, TemplateView):
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

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.link = get_object_or_404(Link, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "link": self.link,
                "history": self.link.checks.all()[:100],
                "usages": annotate_edit_urls(self.link.usages.all(), self.request.user),
                "display_form": LinkDisplayForm(instance=self.link),
            }
        )
        return context


@require_POST
def set_display(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=pk)
    form = LinkDisplayForm(request.POST, instance=link)
    if form.is_valid():
        form.save()
        messages.success(request, f"Readers now see: {link.get_broken_display_display()}.")
    else:
        messages.error(request, "Choose one of the options for what readers see.")
    return redirect("linkhealth_admin:detail", pk=link.pk)


@require_POST
def apply_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=pk)
    blocked = [
        page.title
        for page in Page.objects.filter(pk__in=pages_using(link)).specific()
        if not page.permissions_for_user(request.user).can_publish()
    ]
    if blocked:
        messages.error(
            request, "The update publishes pages you cannot publish: " + ", ".join(blocked)
        )
        return redirect("linkhealth_admin:detail", pk=link.pk)
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


@require_POST
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Link, pk=pk)
    summary = run_checks(urls=[link.url])
    if summary.checked:
        link.refresh_from_db()
        messages.success(request, f"Checked again: {link.get_status_display()}.")
    else:
        messages.warning(
            request, "This address is no longer used in the guide, so it was not checked."
        )
    return redirect("linkhealth_admin:detail", pk=link.pk)
