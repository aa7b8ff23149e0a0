from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from fieldguide.core.admin_search import WordSearchViewSet

from . import admin_urls
from .admin_views import ADD_PERMISSION
from .models import Profile, Resource

IMPORT_MENU_HOOK = "register_library_menu_item"


class ResourceViewSet(WordSearchViewSet):
    model = Resource
    icon = "doc-full"
    menu_label = "Resources"
    list_display = ["title", "resource_type", "issued_year", "access", "verified"]
    list_filter = ["resource_type", "access", "verified"]
    search_fields = ["title", "container", "doi", "creators__family", "creators__literal"]


class ProfileViewSet(WordSearchViewSet):
    model = Profile
    icon = "group"
    menu_label = "People and organisations"
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class LibraryGroup(SnippetViewSetGroup):
    menu_label = "Library"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (ResourceViewSet, ProfileViewSet)
    submenu_hook = IMPORT_MENU_HOOK


register_snippet(LibraryGroup)


class ImportMenuItem(MenuItem):
    """Shown only to editors who may add resources."""

    def is_shown(self, request) -> bool:
        return request.user.has_perm(ADD_PERMISSION)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("library/import/", include(admin_urls, namespace="library_import"))]


@hooks.register(IMPORT_MENU_HOOK)
def register_import_menu_item():
    return ImportMenuItem(
        "Import resources", reverse("library_import:start"), icon_name="upload", order=300
    )
