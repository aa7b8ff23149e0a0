"""Admin views: CSV import, source checks, releases, second coding, freshness panel.

Every view checks a standard model permission, so a "Coders" group is set up by giving
it the atlas permissions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import releases
from .models import (
    Category,
    DatasetImport,
    DatasetRelease,
    DirectorySource,
    Jurisdiction,
    PolicySource,
    SecondCoding,
    Topic,
    congress_on,
)
from .policy_csv import PolicyImportError, import_policy_csv

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: What the CSV import needs: it creates and changes policy records.
IMPORT_PERMISSIONS = ("atlas.add_policyrecord", "atlas.change_policyrecord")


class PolicyImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns as in docs/atlas.md. Every row is checked before anything is saved.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
        return upload


class PolicyImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "atlas/admin/import_policies.html"
    form_class = PolicyImportForm
    page_title = "Import policy records"
    header_icon = "upload"
    permission_required = IMPORT_PERMISSIONS
    raise_exception = True

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = import_policy_csv(upload.read())
        except PolicyImportError as exc:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=exc.errors, filename=upload.name)
            )
        messages.success(
            self.request,
            f"{upload.name}: {result.created} records created, {result.updated} updated, "
            f"{result.unchanged} unchanged.",
        )
        return redirect(reverse("wagtailsnippets_atlas_policyrecord:list"))


class LegislatorDataPanel(Component):
    """Warns editors on the admin dashboard when legislator data predates this Congress."""

    name = "atlas_legislator_data"
    template_name = "atlas/admin/legislator_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        latest = DatasetImport.latest(DatasetImport.Dataset.LEGISLATORS)
        return {"latest": latest, "current_congress": congress_on(dt.date.today())}


# Source checks -------------------------------------------------------------------------

# Who may confirm a source: whoever may change what the source supports.
SOURCE_KINDS = {
    "policy": (PolicySource, "atlas.change_policyrecord"),
    "directory": (DirectorySource, "atlas.change_directoryentry"),
}


class SourceCheckListView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Sources nobody has confirmed yet, each with the "I opened this source" action."""

    template_name = "atlas/admin/source_checks.html"
    page_title = "Check sources"
    header_icon = "tick"
    limit = 200
    raise_exception = True

    def has_permission(self) -> bool:
        return any(self.request.user.has_perm(perm) for _, perm in SOURCE_KINDS.values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        topic = Topic.objects.filter(slug=self.request.GET.get("topic", "")).first()
        policy = PolicySource.objects.none()
        if user.has_perm(SOURCE_KINDS["policy"][1]):
            policy = PolicySource.objects.filter(checked_on__isnull=True).select_related(
                "record__jurisdiction", "record__topic", "record__category"
            )
            if topic:
                policy = policy.filter(record__topic=topic)
        directory = DirectorySource.objects.none()
        if user.has_perm(SOURCE_KINDS["directory"][1]) and topic is None:
            directory = DirectorySource.objects.filter(checked_on__isnull=True).select_related(
                "entry__profile"
            )
        context.update(
            {
                "topics": Topic.objects.all(),
                "topic": topic,
                "policy_sources": policy.order_by("record__jurisdiction__name")[: self.limit],
                "policy_count": policy.count(),
                "directory_sources": directory.order_by("entry__key")[: self.limit],
                "directory_count": directory.count(),
            }
        )
        return context


class ConfirmSourceView(View):
    """POST only: the signed-in person says they opened the source and it supports the
    record. Stores today's date and that person; nothing else can set them."""

    http_method_names = ["post"]

    def post(self, request, kind: str, pk: int):
        if kind not in SOURCE_KINDS:
            raise Http404("No such kind of source.")
        model, permission = SOURCE_KINDS[kind]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        source = get_object_or_404(model, pk=pk)
        source.confirm(request.user)
        messages.success(
            request, f"Recorded: you opened “{source.title}” and it supports the record."
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("atlas_source_checks")
        return redirect(target)


# Releases ------------------------------------------------------------------------------


class PublishReleaseForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), to_field_name="slug")
    law_current_as_of = forms.DateField(
        label="Law current as of",
        help_text="YYYY-MM-DD. The coders researched the law up to this day.",
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)

    def clean_law_current_as_of(self):
        value = self.cleaned_data["law_current_as_of"]
        if value > dt.date.today():
            raise forms.ValidationError("Cannot be in the future.")
        return value


class PublishReleaseView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "atlas/admin/publish_release.html"
    form_class = PublishReleaseForm
    page_title = "Publish a release"
    header_icon = "upload"
    permission_required = "atlas.add_datasetrelease"
    raise_exception = True

    def get_initial(self):
        return {"topic": self.request.GET.get("topic", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["releases"] = DatasetRelease.objects.select_related("topic")[:20]
        return context

    def form_valid(self, form):
        release = releases.publish(
            form.cleaned_data["topic"],
            self.request.user,
            form.cleaned_data["law_current_as_of"],
            form.cleaned_data["notes"],
        )
        messages.success(
            self.request,
            f"Published {release}: {len(release.rows)} records, "
            f"{len(release.changes)} changed cells since the previous release.",
        )
        return redirect(release.get_absolute_url())


# Second coding -------------------------------------------------------------------------


class SecondCodingForm(forms.ModelForm):
    class Meta:
        model = SecondCoding
        fields = ["topic", "jurisdiction", "category", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.select_related("topic")
        self.fields["category"].label_from_instance = lambda c: f"{c.topic}: {c.label}"
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.order_by("name")


class SecondCodingView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Blind: the form shows the codebook, never the first coding or its sources."""

    template_name = "atlas/admin/second_coding.html"
    form_class = SecondCodingForm
    page_title = "Second coding"
    header_icon = "doc-full"
    permission_required = "atlas.add_secondcoding"
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topics"] = Topic.objects.prefetch_related("categories")
        return context

    def form_valid(self, form):
        coding = form.save(commit=False)
        coding.coded_by = self.request.user
        coding.save()
        messages.success(self.request, f"Saved the second coding of {coding.jurisdiction}.")
        return redirect(reverse("atlas_second_coding"))
