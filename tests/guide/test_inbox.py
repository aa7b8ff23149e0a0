"""Messages as an inbox: unread, read, handled; a reply link; counts; who is notified."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from fieldguide.core.roles import EDITORS, MODERATORS
from fieldguide.guide.contact import editor_emails
from fieldguide.guide.models import ContactMessage

pytestmark = pytest.mark.django_db
INBOX = "/admin/snippets/guide/contactmessage/"


def test_read_reply_and_mark_handled(admin_client):
    message = ContactMessage.objects.create(
        topic="Corrections", name="Ana", email="ana@example.org", message="A date is wrong."
    )
    ContactMessage.objects.create(message="Second one")
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Messages (2 unread)" in dashboard
    assert "<strong>2</strong> unread messages from readers" in dashboard
    listing = admin_client.get(INBOX).content.decode()
    assert listing.count("Unread") >= 2
    assert f'href="{INBOX}inspect/{message.pk}/"' in listing

    read = admin_client.get(f"{INBOX}inspect/{message.pk}/").content.decode()
    assert "A date is wrong." in read
    assert 'href="mailto:ana@example.org?subject=Re%3A%20Corrections"' in read
    message.refresh_from_db()
    assert message.read_at is not None and message.state == "Read"
    assert "Messages (1 unread)" in admin_client.get("/admin/").content.decode()

    response = admin_client.post(f"/admin/messages/{message.pk}/handled/", {"handled": "1"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.handled and message.state == "Handled"
    assert admin_client.get(f"/admin/messages/{message.pk}/handled/").status_code == 405


def test_moderators_with_an_email_are_notified(django_user_model, settings):
    settings.FIELDGUIDE_EDITOR_EMAILS = []
    moderator = django_user_model.objects.create_user("mo", email="mo@example.org")
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    editor = django_user_model.objects.create_user("ed", email="ed@example.org")
    editor.groups.add(Group.objects.get(name=EDITORS))
    django_user_model.objects.create_user("mo2").groups.add(Group.objects.get(name=MODERATORS))
    django_user_model.objects.create_superuser("boss", email="boss@example.org")
    assert editor_emails() == ["boss@example.org", "mo@example.org"]


def test_ensure_admin_warns_when_no_admin_has_an_email(monkeypatch, django_user_model):
    monkeypatch.setenv("FIELDGUIDE_ADMIN_PASSWORD", "a-long-enough-passphrase-42")
    monkeypatch.delenv("FIELDGUIDE_ADMIN_EMAIL", raising=False)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "no admin account has an email address" in out.getvalue()
    assert "FIELDGUIDE_ADMIN_EMAIL" in out.getvalue()
    django_user_model.objects.filter(is_superuser=True).update(email="admin@example.org")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "no admin account has an email" not in out.getvalue()
