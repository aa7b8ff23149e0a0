"""Two-step sign-in (TOTP) for staff in the Wagtail admin, on django-otp.

- Any staff member can turn it on from the admin menu ("Two-step sign-in"): the page
  shows a QR code (an inline SVG data URI, so the admin CSP needs nothing new) and the
  secret, and asks for one code to confirm.
- Whoever has a confirmed device is asked for a code after the password; until then
  every admin URL except the code page, sign-out and password reset sends them there.
- With FIELDGUIDE_REQUIRE_2FA_SUPERUSERS on, a superuser without a device is sent to
  enrolment before any other admin page.
- A locked-out user is recovered with ``manage.py reset_two_factor USERNAME``, which
  removes their devices (they enrol again at their next sign-in).

Wrong codes are throttled by django-otp's TOTP device (growing delays per failure).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import is_admin_path

DEVICE_NAME = "Authenticator app"


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The code is made of digits only.")
        return token


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _required(user) -> bool:
    return bool(settings.FIELDGUIDE_REQUIRE_2FA_SUPERUSERS and user.is_superuser)


@login_required(login_url="wagtailadmin_login")
def verify(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in user with a device for a code."""
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(
            f"{reverse('fieldguide_2fa_enrol')}?{urlencode({'next': _next_url(request)})}"
        )
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = match_token(request.user, form.data.get("token", "")) if form.is_valid() else None
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        if form.is_valid():
            form.add_error("token", "That code is not right, or it has expired. Try the next one.")
        status = 400
    context = {"form": form, "next": _next_url(request)}
    return TemplateResponse(request, "core/two_factor/verify.html", context, status=status)


@login_required(login_url="wagtailadmin_login")
def enrol(request: HttpRequest) -> HttpResponse:
    """Turn on two-step sign-in: show the secret as a QR code, confirm with one code."""
    user = request.user
    if user_has_device(user):
        if not user.is_verified():
            return redirect(
                f"{reverse('fieldguide_2fa_verify')}?{urlencode({'next': _next_url(request)})}"
            )
        return TemplateResponse(request, "core/two_factor/enrol.html", {"enrolled": True})
    device = next(iter(devices_for_user(user, confirmed=False)), None) or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-step sign-in is on for your account.")
            return HttpResponseRedirect(_next_url(request))
        if form.is_valid():
            form.add_error(
                "token",
                "That code is not right. Check the clock on your phone and try the next one.",
            )
        status = 400
    context = {
        "form": form,
        "next": _next_url(request),
        "required": _required(user),
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "core/two_factor/enrol.html", context, status=status)


class TwoFactorMiddleware:
    """Keeps an admin session that has not given its code (or, when required, has no
    device yet) on the code or enrolment page. Installed after django-otp's
    OTPMiddleware."""

    OPEN_URL_NAMES = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_javascript_catalog",
        "fieldguide_2fa_verify",
        "fieldguide_2fa_enrol",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_admin_path(request.path_info)
            and user.is_authenticated
            and not user.is_verified()
            and not request.path_info.startswith(self._open_paths())
        ):
            if user_has_device(user):
                return self._send(request, "fieldguide_2fa_verify")
            if _required(user):
                return self._send(request, "fieldguide_2fa_enrol")
        return self.get_response(request)

    def _open_paths(self) -> tuple[str, ...]:
        return tuple(reverse(name) for name in self.OPEN_URL_NAMES)

    @staticmethod
    def _send(request: HttpRequest, name: str) -> HttpResponse:
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
