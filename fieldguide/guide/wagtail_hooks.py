from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from fieldguide.core.admin_search import WordSearchViewSet
from fieldguide.library.models import Profile, Resource

from .freshness import refresh_sections_using
from .models import ContactMessage, GlossaryTerm
from .permissions import NoCreatePermissionPolicy


class GlossaryTermViewSet(WordSearchViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = "Glossary terms"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["term", "attribution"]
    search_fields = ["term", "aliases"]


class ContactMessageViewSet(SnippetViewSet):
    """Messages from readers: editors read and mark them handled; nobody adds them here."""

    model = ContactMessage
    icon = "mail"
    menu_label = "Messages"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["created_at", "topic", "name", "email", "handled"]
    list_filter = ["handled", "topic"]
    inspect_view_enabled = True
    inspect_view_fields = ["created_at", "topic", "name", "email", "message", "handled"]
    ordering = ["-created_at"]


register_permission_policy(ContactMessage, NoCreatePermissionPolicy(ContactMessage))
register_snippet(GlossaryTermViewSet)
register_snippet(ContactMessageViewSet)


@hooks.register("after_edit_snippet")
@hooks.register("after_create_snippet")
def refresh_section_dates(request, instance) -> None:
    if isinstance(instance, (Resource, Profile)):
        refresh_sections_using(instance)
