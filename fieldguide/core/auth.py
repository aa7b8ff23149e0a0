"""Sign-in and password reset, throttled with the counters in core.ratelimit.

Sign-in policy (LOGIN_RATE, LOGIN_ACCOUNT_RATE):

- Every attempt takes one use from two counters before the password is checked: the
  client's address (LOGIN_RATE, all account names together) and the pair of account
  name and address (LOGIN_ACCOUNT_RATE). A correct password gives both uses back, so
  only failures add up.
- When either counter is spent the attempt is refused with 429 without checking the
  password, so a guesser learns nothing more in that window.
- Failures against an account from one address never block the same account from
  another address, nor other accounts from other addresses: behind a proxy each client
  is counted by the address ``client_address()`` finds (see TRUSTED_PROXIES).
- Guessing one account's password from many addresses is bounded only per address;
  two-factor sign-in is the defence for staff accounts that matter.

Password reset (PASSWORD_RESET_RATE, PASSWORD_RESET_EMAIL_RATE): each well-formed
request takes one use per address and one per email address asked for, whether or
not an account has that email, so the limit reveals nothing about who has an account.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail.admin.views.account import LoginView, PasswordResetView

from .ratelimit import client_address, hit, setting_rate, undo
from .views import rate_limited


class RateLimitedLoginView(LoginView):
    """Wagtail's sign-in, with failures counted per address and per account name."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        address = client_address(request)
        account = (request.POST.get("username") or "").strip().casefold()[:150]
        uses = [
            ("login", address, setting_rate("LOGIN_RATE")),
            ("login-account", f"{account}\x00{address}", setting_rate("LOGIN_ACCOUNT_RATE")),
        ]
        allowed = [hit(scope, identity, rate) for scope, identity, rate in uses]
        if not all(allowed):
            return rate_limited(request)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            for scope, identity, rate in uses:
                undo(scope, identity, rate)
        return response


class RateLimitedPasswordResetView(PasswordResetView):
    """Wagtail's password reset, limited per address and per email asked for."""

    def form_valid(self, form) -> HttpResponse:
        email = form.cleaned_data["email"].strip().casefold()
        within = [
            hit("reset", client_address(self.request), setting_rate("PASSWORD_RESET_RATE")),
            hit("reset-email", email, setting_rate("PASSWORD_RESET_EMAIL_RATE")),
        ]
        if not all(within):
            return rate_limited(self.request)
        return super().form_valid(form)
