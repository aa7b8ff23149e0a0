"""The contact form: stored for editors, emailed to them, guarded against abuse."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from fieldguide.core.ratelimit import client_address, hit, setting_rate

from .models import ContactMessage, ContactPage

logger = logging.getLogger(__name__)
HONEYPOT = "website"


def _limit(field: str) -> int:
    """The stored field's length is the form's limit: one source for both."""
    return ContactMessage._meta.get_field(field).max_length


class ContactForm(forms.Form):
    topic = forms.ChoiceField(required=False)
    name = forms.CharField(max_length=_limit("name"), required=False, label="Your name (optional)")
    email = forms.EmailField(
        max_length=_limit("email"),
        required=False,
        label="Your email (optional)",
        help_text="Only if you would like a reply.",
    )
    message = forms.CharField(
        max_length=_limit("message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write a message."},
    )
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, topics: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a topic (optional)")] + [(t, t) for t in topics or []]
        self.fields["topic"].choices = choices
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Please write a message.")
        return message

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))


def editor_emails() -> list[str]:
    """FIELDGUIDE_EDITOR_EMAILS, else every active admin or user who may answer messages
    (the Moderators role, or the permission given another way) with an email address."""
    if settings.FIELDGUIDE_EDITOR_EMAILS:
        return list(settings.FIELDGUIDE_EDITOR_EMAILS)
    answer = Q(codename="change_contactmessage", content_type__app_label="guide")
    answerers = Q(is_superuser=True) | Q(user_permissions__in=Permission.objects.filter(answer))
    answerers |= Q(groups__permissions__in=Permission.objects.filter(answer))
    users = get_user_model().objects.filter(answerers, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_editors(message: ContactMessage) -> None:
    recipients = editor_emails()
    if not recipients:
        logger.warning("Contact message %s stored; no editor email to notify.", message.pk)
        return
    body = (
        f"Topic: {message.topic or '(none)'}\n"
        f"Name: {message.name or '(not given)'}\n"
        f"Email: {message.email or '(not given)'}\n\n{message.message}\n"
    )
    send_mail(
        subject=f"[{settings.WAGTAIL_SITE_NAME}] New message: {message.topic or 'contact form'}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
        fail_silently=True,
    )


def serve_contact_page(page: ContactPage, request: HttpRequest) -> HttpResponse:
    topics = page.topic_list()
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST, topics=topics)
        if not form.is_valid():
            status = 400
        elif not form.is_spam and not hit(
            "contact", client_address(request), setting_rate("CONTACT_RATE")
        ):
            form.add_error(
                None,
                "Too many messages have been sent from your network in the last while. "
                "Your message is still here: please wait a little and send it again.",
            )
            status = 429
        else:
            if not form.is_spam:
                message = ContactMessage.objects.create(
                    page=page,
                    topic=form.cleaned_data["topic"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                )
                notify_editors(message)
            return HttpResponseRedirect(page.url + "?sent=1")
    else:
        form = ContactForm(topics=topics)
    context = page.get_context(request)
    context.update({"form": form, "sent": request.GET.get("sent") == "1"})
    return TemplateResponse(request, page.get_template(request), context, status=status)
