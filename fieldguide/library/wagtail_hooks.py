from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Profile, Resource


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    menu_label = "Resources"
    list_display = ["title", "resource_type", "issued_year", "access", "verified"]
    list_filter = ["resource_type", "access", "verified"]
    search_fields = ["title", "container", "doi"]


class ProfileViewSet(SnippetViewSet):
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


register_snippet(LibraryGroup)
