"""Defaults as a fresh install gets them: private var/, no testserver host, no mail in logs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]
# Environment variables that would override the defaults under test.
OVERRIDES = (
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "FIELDGUIDE_VAR_DIR",
    "MEDIA_ROOT",
    "SECRET_KEY",
    "HTTPS",
)
# Runs in a fresh process: settings as a new install computes them, a database write
# (which makes SQLite create its -wal and -shm files) and an upload, then the modes.
PROBE = """
import json, stat, django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x integer)")
    cursor.execute("INSERT INTO probe VALUES (1)")
    default_storage.save("images/probe.txt", ContentFile(b"upload"))
    var = settings.VAR_DIR
    paths = [var, *var.rglob("*")]
    modes = {str(p.relative_to(var)): oct(stat.S_IMODE(p.stat().st_mode)) for p in paths}
print(json.dumps({
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "modes": modes,
}))
"""


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    env["FIELDGUIDE_VAR_DIR"] = str(tmp_path_factory.mktemp("install") / "var")
    env["DJANGO_SETTINGS_MODULE"] = "fieldguide.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        umask=0o022,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_var_and_everything_in_it_is_private_to_the_owner(fresh_install):
    modes = fresh_install["modes"]
    for name in ("fieldguide.sqlite3", "fieldguide.sqlite3-wal", "fieldguide.sqlite3-shm"):
        assert name in modes, sorted(modes)
    for name, mode in modes.items():
        is_dir = name in {".", "media", "media/images"}
        assert mode == ("0o700" if is_dir else "0o600"), (name, mode)


def test_allowed_hosts_default_is_the_local_machine_only(fresh_install):
    assert fresh_install["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]


def test_default_mail_backend_is_not_the_console(fresh_install):
    assert fresh_install["EMAIL_BACKEND"] == "fieldguide.core.mail.UnconfiguredEmailBackend"


@pytest.fixture
def default_mail(settings, fresh_install):
    """Tests normally swap in Django's memory backend; use the real default instead."""
    settings.EMAIL_BACKEND = fresh_install["EMAIL_BACKEND"]


def everything_logged(caplog, capfd) -> str:
    out, err = capfd.readouterr()
    return "\n".join([caplog.text, out, err])


@pytest.mark.django_db
def test_password_reset_link_never_reaches_the_log(
    client, django_user_model, default_mail, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw-for-tests-1", is_staff=True
    )
    response = client.post("/admin/password_reset/", {"email": "editor@example.org"})
    assert response.status_code == 302
    logged = everything_logged(caplog, capfd)
    assert "1 message to 1 recipient not sent: no mail server configured" in logged
    assert "password_reset/confirm" not in logged
    assert default_token_generator.make_token(user) not in logged
    assert "editor@example.org" not in logged


@pytest.mark.django_db
def test_contact_message_is_stored_but_never_logged(
    client, guide, django_user_model, default_mail, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests-1")
    words = "My landlord found out what I do and is threatening me"
    data = {"name": "Ana Reader", "email": "ana@example.org", "message": words}
    assert client.post("/contact/", data).status_code == 302
    logged = everything_logged(caplog, capfd)
    assert "1 message to 1 recipient not sent" in logged
    for secret in (words, "Ana Reader", "ana@example.org", "editor@example.org"):
        assert secret not in logged


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_system_check_refuses_mail_backends_that_write_mail_out_under_https(settings, backend):
    settings.EMAIL_BACKEND = backend
    settings.HTTPS = True
    with pytest.raises(SystemCheckError, match="fieldguide.E001"):
        call_command("check")
    settings.HTTPS = False
    call_command("check")


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["a", "password", "12345678901", "admin1234"])
def test_ensure_admin_refuses_a_weak_password(monkeypatch, django_user_model, weak):
    monkeypatch.setenv("FIELDGUIDE_ADMIN_PASSWORD", weak)
    monkeypatch.setenv("FIELDGUIDE_ADMIN_USER", "admin")
    with pytest.raises(CommandError, match="FIELDGUIDE_ADMIN_PASSWORD is too weak"):
        call_command("ensure_admin")
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
def test_ensure_admin_accepts_a_strong_password(monkeypatch, django_user_model, capsys):
    monkeypatch.setenv("FIELDGUIDE_ADMIN_PASSWORD", "correct horse battery staple 9")
    call_command("ensure_admin")
    assert django_user_model.objects.get().check_password("correct horse battery staple 9")
    assert "correct horse" not in capsys.readouterr().out


def test_error_page_promises_nothing_that_is_not_done(rf):
    html = server_error(rf.get("/")).content.decode()
    assert "could not be shown because of an error on the site" in html
    assert "have been told" not in html and "notified" not in html
