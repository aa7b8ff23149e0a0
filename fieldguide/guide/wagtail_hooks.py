from __future__ import annotations

from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from fieldguide.core.admin_search import WordSearchViewSet
from fieldguide.library.models import Profile, Resource

from .freshness import refresh_sections_using
from .models import ContactMessage, GlossaryTerm
from .permissions import NoCreatePermissionPolicy
from .public_address import loopback_root_url


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


class LoopbackAddressPanel(Component):
    """Warns editors while editions and the sitemap would send readers to a loopback address."""

    name = "loopback_address"
    order = 10

    def __init__(self, root_url: str):
        self.root_url = root_url

    def render_html(self, parent_context=None) -> str:
        return format_html(
            '<section class="w-panel help-block help-warning" role="alert" '
            'aria-labelledby="loopback-address-title">'
            '<h2 id="loopback-address-title">The site\'s public address is {}</h2>'
            "<p>That is a loopback address: only this machine can open it, yet the PDF and "
            "EPUB editions and the sitemap print it for readers. Set <code>SITE_URL</code> to "
            "the address readers use (for example <code>SITE_URL=https://guide.example.org "
            "make serve</code>), or change the hostname under Settings → Sites.</p></section>",
            self.root_url,
        )


@hooks.register("construct_homepage_panels")
def warn_about_loopback_address(request, panels) -> None:
    root_url = loopback_root_url()
    if root_url:
        panels.insert(0, LoopbackAddressPanel(root_url))
