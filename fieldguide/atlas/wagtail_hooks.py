from __future__ import annotations

from collections.abc import Callable

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from fieldguide.core.admin_search import WordSearchViewSet

from .admin_forms import PolicyRecordForm
from .admin_views import (
    IMPORT_PERMISSIONS,
    SOURCE_KINDS,
    ConfirmSourceView,
    LegislatorDataPanel,
    PolicyImportView,
    PublishReleaseView,
    SecondCodingView,
    SourceCheckListView,
)
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


class PermittedMenuItem(MenuItem):
    """Shown only to those who may open it (its view checks the same permission)."""

    def __init__(self, *args, shown_to: Callable, **kwargs):
        self.shown_to = shown_to
        super().__init__(*args, **kwargs)

    def is_shown(self, request) -> bool:
        return self.shown_to(request.user)


#: The atlas's tools beyond the snippet lists: label, URL name, icon, who sees it.
ATLAS_TOOLS = (
    (
        "Import policies (CSV)",
        "atlas_import_policies",
        "upload",
        lambda user: user.has_perms(IMPORT_PERMISSIONS),
    ),
    (
        "Check sources",
        "atlas_source_checks",
        "tick",
        lambda user: any(user.has_perm(perm) for _, perm in SOURCE_KINDS.values()),
    ),
    (
        "Publish a release",
        "atlas_publish_release",
        "upload",
        lambda user: user.has_perm("atlas.add_datasetrelease"),
    ),
    (
        "Second coding",
        "atlas_second_coding",
        "doc-full",
        lambda user: user.has_perm("atlas.add_secondcoding"),
    ),
)


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
        for label, name, icon, shown_to in ATLAS_TOOLS:
            items.append(
                PermittedMenuItem(
                    label, reverse(name), shown_to=shown_to, icon_name=icon, order=len(items) + 1
                )
            )
        return items


register_snippet(AtlasGroup)


@hooks.register("register_admin_urls")
def atlas_admin_urls():
    return [
        path("atlas/import/", PolicyImportView.as_view(), name="atlas_import_policies"),
        path("atlas/sources/", SourceCheckListView.as_view(), name="atlas_source_checks"),
        path(
            "atlas/sources/<slug:kind>/<int:pk>/confirm/",
            ConfirmSourceView.as_view(),
            name="atlas_confirm_source",
        ),
        path("atlas/releases/publish/", PublishReleaseView.as_view(), name="atlas_publish_release"),
        path("atlas/second-coding/", SecondCodingView.as_view(), name="atlas_second_coding"),
    ]


@hooks.register("construct_homepage_panels")
def legislator_data_warning(request, panels) -> None:
    panels.append(LegislatorDataPanel())
