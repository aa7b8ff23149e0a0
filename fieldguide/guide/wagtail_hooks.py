from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.views.generic.models import InspectView
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

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


MESSAGE_POLICY = NoCreatePermissionPolicy(ContactMessage)
#: Who may mark a message handled (and is notified of new ones).
ANSWER_PERMISSION = "guide.change_contactmessage"


def unread_messages() -> int:
    return ContactMessage.objects.filter(read_at__isnull=True, handled=False).count()


class MessagesMenuItem(MenuItem):
    """ "Messages (3)": the unread count, shown to those who may read messages."""

    def is_shown(self, request) -> bool:
        return MESSAGE_POLICY.user_has_any_permission(request.user, ["view", "change"])

    def render_component(self, request):
        unread = unread_messages()
        label = f"{self.label} ({unread} unread)" if unread else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name)


class MessageIndexView(IndexView):
    """The inbox: each message opens in its read view, not in an edit form."""

    def get_edit_url(self, instance):
        return self.get_inspect_url(instance)


class MessageReadView(InspectView):
    """One message, a "Reply by email" link and "Mark handled"; opening it marks it read."""

    template_name = "guide/admin/message_read.html"

    def get(self, request, *args, **kwargs):
        if self.object.read_at is None:
            self.object.read_at = timezone.now()
            self.object.save(update_fields=["read_at"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["message"] = self.object
        context["can_answer"] = self.request.user.has_perm(ANSWER_PERMISSION)
        return context


class ContactMessageViewSet(SnippetViewSet):
    """Messages from readers, as an inbox: unread, read, handled; nobody adds them here."""

    model = ContactMessage
    icon = "mail"
    menu_label = "Messages"
    menu_order = 220
    add_to_admin_menu = True
    menu_item_class = MessagesMenuItem
    index_view_class = MessageIndexView
    inspect_view_class = MessageReadView
    list_display = ["created_at", "state", "topic", "name", "email"]
    list_filter = ["handled", "topic"]
    inspect_view_enabled = True
    inspect_view_fields = ["created_at", "topic", "name", "email", "message"]
    ordering = ["-created_at"]


class MessagesPanel(Component):
    """Dashboard: unread messages, for those who answer them."""

    name = "messages"
    template_name = "guide/admin/messages_panel.html"
    order = 105

    def get_context_data(self, parent_context=None):
        return {"unread": unread_messages()}


@require_POST
def mark_handled(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(ANSWER_PERMISSION):
        raise PermissionDenied
    message = get_object_or_404(ContactMessage, pk=pk)
    message.handled = request.POST.get("handled", "1") == "1"
    message.read_at = message.read_at or timezone.now()
    message.save(update_fields=["handled", "read_at"])
    messages.success(
        request, "Message marked handled." if message.handled else "Message marked not handled."
    )
    return redirect("wagtailsnippets_guide_contactmessage:list")


@hooks.register("register_admin_urls")
def message_urls() -> list:
    return [path("messages/<int:pk>/handled/", mark_handled, name="guide_message_handled")]


@hooks.register("construct_homepage_panels")
def messages_panel(request, panels) -> None:
    if MESSAGE_POLICY.user_has_any_permission(request.user, ["view", "change"]):
        panels.append(MessagesPanel())


register_permission_policy(ContactMessage, MESSAGE_POLICY)
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
