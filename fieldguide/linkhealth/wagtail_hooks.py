from __future__ import annotations

from django.db.models import Count
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_urls
from .models import PROBLEM_STATUSES, Link, LinkStatus


class LinkHealthPanel(Component):
    """Dashboard summary: how many links in use are in each state."""

    name = "link_health"
    template_name = "linkhealth/admin/home_panel.html"
    order = 120

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        counts = dict(
            Link.objects.filter(usages__isnull=False)
            .values_list("status")
            .annotate(n=Count("id", distinct=True))
        )
        report = reverse("linkhealth_admin:report")
        context["rows"] = [
            (label, counts.get(value, 0), f"{report}?status={value}")
            for value, label in LinkStatus.choices
        ]
        context["problems"] = sum(counts.get(s, 0) for s in PROBLEM_STATUSES)
        context["last_checked"] = (
            Link.objects.exclude(checked_at=None)
            .order_by("-checked_at")
            .values_list("checked_at", flat=True)
            .first()
        )
        context["report_url"] = report
        return context


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("link-health/", include(admin_urls, namespace="linkhealth_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return MenuItem("Link health", reverse("linkhealth_admin:report"), icon_name="link", order=230)


@hooks.register("construct_homepage_panels")
def add_panel(request, panels) -> None:
    panels.append(LinkHealthPanel())
