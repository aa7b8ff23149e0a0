from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from fieldguide.guide.freshness import SECTION_READER_DATA_HOOK

from . import admin_urls
from .admin_views import can_view
from .models import Link, LinkStatus
from .templatetags.linkhealth_tags import reader_links


class LinkHealthPanel(Component):
    """Dashboard notice: only what needs an editor, in plain words."""

    name = "link_health"
    template_name = "linkhealth/admin/home_panel.html"
    order = 120

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        in_use = Link.objects.in_use()
        attention = in_use.needs_attention()
        report = reverse("linkhealth_admin:report")
        context.update(
            {
                "attention": attention.count(),
                "broken": attention.filter(status=LinkStatus.BROKEN).count(),
                "shown_broken": in_use.shown_broken().count(),
                "moved": attention.filter(status=LinkStatus.REDIRECTED).count(),
                "unreachable": in_use.filter(status=LinkStatus.UNREACHABLE).count(),
                "last_checked": (
                    Link.objects.exclude(checked_at=None)
                    .order_by("-checked_at")
                    .values_list("checked_at", flat=True)
                    .first()
                ),
                "report_url": report,
                "attention_url": f"{report}?attention=on",
                "unreachable_url": f"{report}?status={LinkStatus.UNREACHABLE}",
            }
        )
        return context


class LinkHealthMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_view(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("link-health/", include(admin_urls, namespace="linkhealth_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return LinkHealthMenuItem(
        "Link health", reverse("linkhealth_admin:report"), icon_name="link", order=230
    )


@hooks.register("construct_homepage_panels")
def add_panel(request, panels) -> None:
    if can_view(request.user):
        panels.append(LinkHealthPanel())


@hooks.register(SECTION_READER_DATA_HOOK)
def link_notices(page) -> list:
    """What readers see about the section's resource links: the broken-link treatment
    and the archived copy (Robust Links), so a change moves the section's fingerprint."""
    loaded = reader_links()
    shown = []
    for item in page.selected_resources.select_related("resource"):
        for url in dict.fromkeys([item.resource.link, item.resource.url]):
            broken, archived = loaded.broken.get(url), loaded.archived.get(url)
            if broken or archived:
                shown.append(
                    [
                        url,
                        broken.display_for_readers(loaded.default_display) if broken else "",
                        broken.archive_url if broken else "",
                        archived.archived_url if archived else "",
                    ]
                )
    return shown
