"""The contact form: stored, emailed, field errors, honeypot and rate limit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from fieldguide.guide.models import ContactMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "editor", "editor@example.org", "pw-for-tests-1"
    )


def test_good_message_is_stored_emailed_and_confirmed(client, guide, editor):
    response = client.post(
        "/contact/",
        {
            "topic": "A correction",
            "name": "Ana",
            "email": "ana@example.org",
            "message": "Link 3 moved.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/contact/?sent=1"
    message = ContactMessage.objects.get()
    assert (message.topic, message.name, message.email, message.message) == (
        "A correction",
        "Ana",
        "ana@example.org",
        "Link 3 moved.",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@example.org"]
    assert "Link 3 moved." in mail.outbox[0].body
    confirmation = client.get(response["Location"]).content.decode()
    assert "your message has been sent" in confirmation
    assert "Thanks for writing." in confirmation


def test_name_and_email_are_optional(client, guide, editor):
    response = client.post("/contact/", {"message": "Just a note."})
    assert response.status_code == 302
    assert ContactMessage.objects.get().email == ""


def test_bad_submission_gets_field_errors_and_keeps_what_was_typed(client, guide):
    response = client.post(
        "/contact/",
        {"name": "Ana", "email": "not-an-email", "message": "  ", "topic": "A question"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Please write a message." in html
    assert "Enter a valid email address." in html
    assert 'value="Ana"' in html and 'value="not-an-email"' in html
    assert '<option value="A question" selected>' in html
    assert not ContactMessage.objects.exists()


def test_unknown_topic_is_rejected_not_stored(client, guide):
    response = client.post("/contact/", {"message": "Hello", "topic": "<script>"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_honeypot_submission_looks_sent_but_is_not_stored(client, guide, editor):
    response = client.post("/contact/", {"message": "Buy now", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_address_keeps_the_message(client, guide, settings):
    settings.CONTACT_RATE = "2/h"
    for n in range(2):
        assert client.post("/contact/", {"message": f"Message {n}"}).status_code == 302
    response = client.post("/contact/", {"message": "Third message"}, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many messages" in html
    assert "Third message" in html
    assert ContactMessage.objects.count() == 2
    other = client.post("/contact/", {"message": "From elsewhere"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_contact_page_sets_no_cookie(client, guide):
    assert not client.get("/contact/").cookies
    sent = client.post("/contact/", {"message": "Hello"})
    assert not sent.cookies
    assert not client.get(sent["Location"]).cookies
    assert not client.post("/contact/", {"message": ""}).cookies
    assert not client.cookies


def test_editors_see_messages_in_the_admin_but_cannot_write_one(client, guide, editor):
    client.post(
        "/contact/", {"message": "Please add a resource on bail funds.", "topic": "A question"}
    )
    client.force_login(editor)
    listing = client.get("/admin/snippets/guide/contactmessage/")
    assert listing.status_code == 200
    assert "A question" in listing.content.decode()
    message = ContactMessage.objects.get()
    inspect = client.get(f"/admin/snippets/guide/contactmessage/inspect/{message.pk}/")
    assert "Please add a resource on bail funds." in inspect.content.decode()
    assert client.get("/admin/snippets/guide/contactmessage/add/").status_code in {302, 403}
