"""Sign-in and password reset throttling, per client and per account."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a long editor passphrase"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def login(client, username: str, password: str, **headers):
    client.logout()
    return client.post("/admin/login/", {"username": username, "password": password}, **headers)


def test_behind_a_proxy_one_clients_bad_logins_do_not_block_another(client, staff, settings):
    settings.TRUSTED_PROXIES = "127.0.0.1"
    settings.LOGIN_RATE = "10/m"
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    statuses = [login(client, "editor", "wrong", **attacker).status_code for _ in range(10)]
    assert 429 in statuses and set(statuses) <= {200, 429}
    for n in range(3):
        reader = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        response = login(client, "editor", PASSWORD, **reader)
        assert response.status_code == 302, n


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(client, staff, settings):
    settings.TRUSTED_PROXIES = "10.0.0.1"
    settings.LOGIN_RATE = "3/m"
    for n in range(3):
        spoofed = {"REMOTE_ADDR": "203.0.113.66", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert login(client, f"user{n}", "wrong", **spoofed).status_code == 200
    spoofed = {"REMOTE_ADDR": "203.0.113.66", "HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert login(client, "user99", "wrong", **spoofed).status_code == 429


def test_an_empty_remote_addr_is_no_500(client, staff, settings):
    settings.TRUSTED_PROXIES = ""
    assert login(client, "editor", "wrong", REMOTE_ADDR="").status_code == 200
    assert login(client, "editor", PASSWORD, REMOTE_ADDR="").status_code == 302
    settings.TRUSTED_PROXIES = "unix"
    unix = {"REMOTE_ADDR": "", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    assert login(client, "editor", PASSWORD, **unix).status_code == 302


def test_failures_for_one_account_lock_that_account_from_that_address_only(
    client, staff, django_user_model, settings
):
    settings.LOGIN_RATE = "100/m"
    settings.LOGIN_ACCOUNT_RATE = "3/15m"
    django_user_model.objects.create_superuser("other", "other@example.org", PASSWORD)
    here = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(3):
        assert login(client, "editor", "wrong", **here).status_code == 200
    # Spent for this account from this address, even with the right password.
    assert login(client, "Editor", PASSWORD, **here).status_code == 429
    # Another account from the same address, and this account from elsewhere, still work.
    assert login(client, "other", PASSWORD, **here).status_code == 302
    assert login(client, "editor", PASSWORD, REMOTE_ADDR="198.51.100.5").status_code == 302


def test_successful_sign_ins_do_not_count(client, staff, settings):
    settings.LOGIN_RATE = "2/m"
    settings.LOGIN_ACCOUNT_RATE = "2/15m"
    for _ in range(5):
        assert login(client, "editor", PASSWORD).status_code == 302
    assert login(client, "editor", "wrong").status_code == 200


def test_password_reset_is_limited_per_email_and_per_address(client, staff, settings):
    settings.PASSWORD_RESET_RATE = "3/h"
    settings.PASSWORD_RESET_EMAIL_RATE = "2/h"
    url = "/admin/password_reset/"
    for n in range(2):
        response = client.post(url, {"email": "editor@example.org"}, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 302
    response = client.post(url, {"email": "EDITOR@example.org"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert len(mail.outbox) == 2
    # Per address, whatever the email (and whether or not it has an account).
    for n in range(3):
        response = client.post(url, {"email": f"x{n}@example.org"}, REMOTE_ADDR="203.0.113.1")
        assert response.status_code == 302
    response = client.post(url, {"email": "x9@example.org"}, REMOTE_ADDR="203.0.113.1")
    assert response.status_code == 429
    # A malformed request is not counted.
    for _ in range(5):
        response = client.post(url, {"email": "not an email"}, REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 200
    response = client.post(url, {"email": "editor2@example.org"}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 302


# Two-step sign-in (TOTP) --------------------------------------------------------------


def totp(secret_b32: str, at: float, digits: int = 6, step: int = 30) -> str:
    """RFC 6238, written out here so the test does not trust the library it checks."""
    key = base64.b32decode(secret_b32)
    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def enrol(client) -> str:
    page = client.get("/admin/2fa/enrol/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "img-src 'self' data:" in page["Content-Security-Policy"]
    secret = re.search(r'<code id="totp-secret">([A-Z2-7=]+)</code>', html).group(1)
    response = client.post("/admin/2fa/enrol/", {"token": totp(secret, time.time())})
    assert response.status_code == 302
    return secret


def test_totp_enrol_then_sign_in_with_a_real_code(client, staff):
    assert login(client, "editor", PASSWORD).status_code == 302
    secret = enrol(client)
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/admin/").status_code == 200

    assert login(client, "editor", PASSWORD).status_code == 302
    held = client.get("/admin/pages/")
    assert held.status_code == 302
    assert held["Location"].startswith("/admin/2fa/verify/?next=")
    wrong = client.post("/admin/2fa/verify/", {"token": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    time.sleep(1.1)  # django-otp waits a second after one wrong code
    # The enrolment code has been used; the next step's code is accepted (one step of drift).
    code = totp(secret, time.time() + 30)
    right = client.post("/admin/2fa/verify/", {"token": code, "next": "/admin/pages/"})
    assert right.status_code == 302 and right["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_superuser_without_a_device_is_sent_to_enrolment_when_required(
    client, staff, django_user_model, settings
):
    settings.FIELDGUIDE_REQUIRE_2FA_SUPERUSERS = False
    assert login(client, "editor", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200

    settings.FIELDGUIDE_REQUIRE_2FA_SUPERUSERS = True
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/2fa/enrol/?next=%2Fadmin%2F"
    assert "must use two-step sign-in" in client.get("/admin/2fa/enrol/").content.decode()

    # Staff who are not superusers may enrol but are not made to.
    moderator = django_user_model.objects.create_user("moderator", password=PASSWORD)
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert login(client, "moderator", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_locked_out_superuser_is_recovered_from_manage_py(client, staff, settings):
    settings.FIELDGUIDE_REQUIRE_2FA_SUPERUSERS = True
    assert login(client, "editor", PASSWORD).status_code == 302
    enrol(client)
    out = StringIO()
    call_command("reset_two_factor", "editor", stdout=out)
    assert "Removed 1 two-step sign-in device(s) for editor" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert login(client, "editor", PASSWORD).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/enrol/")
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("reset_two_factor", "nobody")
