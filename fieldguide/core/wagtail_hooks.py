from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import CspReportView


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("csp-reports/", CspReportView.as_view(), name="core_csp_reports")]


@hooks.register("register_reports_menu_item")
def register_csp_report_menu_item():
    return SuperuserMenuItem(
        "CSP violations", reverse("core_csp_reports"), icon_name="warning", order=900
    )
