from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from fieldguide.core.admin_search import WordSearchViewSet

from .admin_forms import PolicyRecordForm
from .admin_views import IMPORT_PERMISSIONS, LegislatorDataPanel, PolicyImportView
from .models import Bill, DirectoryEntry, Jurisdiction, Legislator, PolicyRecord, Topic


class TopicViewSet(WordSearchViewSet):
    model = Topic
    icon = "list-ul"
    menu_label = "Topics and codebooks"
    list_display = ["name", "question", "section_slugs"]
    search_fields = ["name", "question", "description"]


class PolicyRecordViewSet(WordSearchViewSet):
    model = PolicyRecord
    edit_handler = ObjectList(PolicyRecord.panels, base_form_class=PolicyRecordForm)
    icon = "doc-full"
    menu_label = "Policy records"
    list_display = ["jurisdiction", "topic", "category", "span_display", "citation"]
    list_filter = ["topic", "category", "jurisdiction__kind"]
    search_fields = ["citation", "summary"]


class JurisdictionViewSet(WordSearchViewSet):
    model = Jurisdiction
    icon = "site"
    menu_label = "Jurisdictions"
    list_display = ["name", "kind", "state_abbr", "fips", "parent"]
    list_filter = ["kind", "state_abbr"]
    search_fields = ["name"]


class DirectoryEntryViewSet(WordSearchViewSet):
    model = DirectoryEntry
    icon = "group"
    menu_label = "Directory"
    list_display = ["display_name", "kind", "nationwide"]
    list_filter = ["kind", "nationwide", "topics"]
    search_fields = ["name", "description", "profile__name"]


class BillViewSet(WordSearchViewSet):
    model = Bill
    icon = "doc-empty"
    menu_label = "Federal bills"
    list_display = ["label", "title", "latest_action_on"]
    list_filter = ["congress", "topics"]
    search_fields = ["title", "sponsor"]


class LegislatorViewSet(WordSearchViewSet):
    model = Legislator
    icon = "user"
    menu_label = "Members of Congress"
    list_display = ["name", "chamber", "state", "district", "party"]
    list_filter = ["chamber", "state"]
    search_fields = ["name"]


class ImportMenuItem(MenuItem):
    """Shown only to those who may import (the import view checks the same)."""

    def is_shown(self, request) -> bool:
        return request.user.has_perms(IMPORT_PERMISSIONS)


class AtlasGroup(SnippetViewSetGroup):
    menu_label = "Act where you live"
    menu_icon = "site"
    menu_order = 230
    items = (
        PolicyRecordViewSet,
        TopicViewSet,
        JurisdictionViewSet,
        DirectoryEntryViewSet,
        BillViewSet,
        LegislatorViewSet,
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            ImportMenuItem(
                "Import policies (CSV)",
                reverse("atlas_import_policies"),
                icon_name="upload",
                order=len(items) + 1,
            )
        )
        return items


register_snippet(AtlasGroup)


@hooks.register("register_admin_urls")
def atlas_admin_urls():
    return [path("atlas/import/", PolicyImportView.as_view(), name="atlas_import_policies")]


@hooks.register("construct_homepage_panels")
def legislator_data_warning(request, panels) -> None:
    panels.append(LegislatorDataPanel())
