"""Admin views: bulk CSV import of policy records, and the data-freshness panel."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import DatasetImport, congress_on
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


class PolicyImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "atlas/admin/import_policies.html"
    form_class = PolicyImportForm
    page_title = "Import policy records"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

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
