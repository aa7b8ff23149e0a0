from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import admin_urls
from .freshness import section_freshness
from .models import ResourceSuggestion, SuggestionState
from .permissions import FRESHNESS_PERMISSION, MODERATE_PERMISSION


class EditorialPanel(Component):
    """Dashboard summary: sections overdue for review and suggestions waiting."""

    name = "editorial"
    template_name = "editorial/admin/home_panel.html"
    order = 110

    def __init__(self, user) -> None:
        self.show_freshness = user.has_perm(FRESHNESS_PERMISSION)
        self.show_suggestions = user.has_perm(MODERATE_PERMISSION)

    def render_html(self, parent_context=None) -> str:
        if not (self.show_freshness or self.show_suggestions):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(show_freshness=self.show_freshness, show_suggestions=self.show_suggestions)
        if self.show_freshness:
            context["overdue"] = [row for row in section_freshness() if row.overdue]
        if self.show_suggestions:
            context["pending"] = ResourceSuggestion.objects.filter(
                state=SuggestionState.PENDING
            ).count()
        return context


class PermissionMenuItem(MenuItem):
    """Shown only to users who may open it."""

    def __init__(self, *args, permission: str, **kwargs) -> None:
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


class SuggestionsMenuItem(PermissionMenuItem):
    """Shows how many suggestions are waiting, e.g. "Suggestions (3)"."""

    def render_component(self, request):
        pending = ResourceSuggestion.objects.filter(state=SuggestionState.PENDING).count()
        label = f"{self.label} ({pending})" if pending else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("editorial/", include(admin_urls, namespace="editorial_admin"))]


@hooks.register("register_admin_menu_item")
def register_freshness_menu_item():
    return PermissionMenuItem(
        "Freshness",
        reverse("editorial_admin:freshness"),
        icon_name="time",
        order=225,
        permission=FRESHNESS_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def register_suggestions_menu_item():
    return SuggestionsMenuItem(
        "Suggestions",
        reverse("editorial_admin:suggestions"),
        icon_name="comment",
        order=226,
        permission=MODERATE_PERMISSION,
    )


@hooks.register("construct_homepage_panels")
def add_panel(request, panels) -> None:
    panels.append(EditorialPanel(request.user))
