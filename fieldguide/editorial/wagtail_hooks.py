from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import admin_urls
from .freshness import section_freshness
from .models import ResourceSuggestion, SuggestionState


class EditorialPanel(Component):
    """Dashboard summary: sections overdue for review and suggestions waiting."""

    name = "editorial"
    template_name = "editorial/admin/home_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["overdue"] = [row for row in section_freshness() if row.overdue]
        context["pending"] = ResourceSuggestion.objects.filter(
            state=SuggestionState.PENDING
        ).count()
        return context


class SuggestionsMenuItem(MenuItem):
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
    return MenuItem("Freshness", reverse("editorial_admin:freshness"), icon_name="time", order=225)


@hooks.register("register_admin_menu_item")
def register_suggestions_menu_item():
    return SuggestionsMenuItem(
        "Suggestions", reverse("editorial_admin:suggestions"), icon_name="comment", order=226
    )


@hooks.register("construct_homepage_panels")
def add_panel(request, panels) -> None:
    panels.append(EditorialPanel())
