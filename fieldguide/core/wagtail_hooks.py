from __future__ import annotations

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import two_factor
from .admin_views import CspReportView


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [
        path("csp-reports/", CspReportView.as_view(), name="core_csp_reports"),
        path("2fa/verify/", two_factor.verify, name="fieldguide_2fa_verify"),
        path("2fa/enrol/", two_factor.enrol, name="fieldguide_2fa_enrol"),
    ]


@hooks.register("register_reports_menu_item")
def register_csp_report_menu_item() -> MenuItem:
    return SuperuserMenuItem(
        "CSP violations", reverse("core_csp_reports"), icon_name="warning", order=900
    )


@hooks.register("register_admin_menu_item")
def two_factor_menu_item() -> MenuItem:
    return MenuItem(
        "Two-step sign-in", reverse("fieldguide_2fa_enrol"), icon_name="lock", order=10000
    )


@hooks.register("insert_global_admin_css")
def admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin/admin.css"))
