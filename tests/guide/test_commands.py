"""ensure_admin: an admin always exists, with a password that is never a fixed default."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_generated_password_is_printed_once_and_works(monkeypatch):
    monkeypatch.delenv("FIELDGUIDE_ADMIN_PASSWORD", raising=False)
    first = run()
    password = re.search(r"with password (\S+)", first).group(1)
    assert len(password) >= 16
    assert get_user_model().objects.get(username="admin").check_password(password)
    second = run()
    assert password not in second
    assert "changepassword admin" in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_two_sites_get_different_passwords(monkeypatch):
    monkeypatch.delenv("FIELDGUIDE_ADMIN_PASSWORD", raising=False)
    first = re.search(r"with password (\S+)", run()).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"with password (\S+)", run()).group(1)
    assert first != second


def test_password_from_the_environment_is_used_and_not_printed(monkeypatch):
    monkeypatch.setenv("FIELDGUIDE_ADMIN_PASSWORD", "a-chosen-passphrase-42")
    monkeypatch.setenv("FIELDGUIDE_ADMIN_USER", "editor")
    output = run()
    assert "a-chosen-passphrase-42" not in output
    assert "FIELDGUIDE_ADMIN_PASSWORD" in output
    assert get_user_model().objects.get(username="editor").check_password("a-chosen-passphrase-42")
