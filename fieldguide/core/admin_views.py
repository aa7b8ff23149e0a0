"""The superusers' view of CSP violation counts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import CspReport

SHOWN_ROWS = 500


class CspReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "CSP violations"
    header_icon = "warning"
    template_name = "core/admin/csp_reports.html"

    @property
    def days(self) -> int:
        return settings.CSP_REPORT_DAYS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = CspReport.objects.all()[:SHOWN_ROWS]
        context["total"] = CspReport.objects.aggregate(n=Sum("count"))["n"] or 0
        return context
