from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists. The password comes from FIELDGUIDE_ADMIN_PASSWORD "
        "or is generated and printed once; there is never a fixed default."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("FIELDGUIDE_ADMIN_USER", "admin")
        email = os.environ.get("FIELDGUIDE_ADMIN_EMAIL", "")
        base = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        if User.objects.filter(is_superuser=True).exists():
            self._warn_without_email(User)
            self.stdout.write(
                f"Admin: sign in at {base}/admin/ with your existing account. "
                f"Forgotten the password? Run: .venv/bin/python manage.py changepassword {username}"
            )
            return
        password = os.environ.get("FIELDGUIDE_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        try:
            password_validation.validate_password(
                password, user=User(username=username, email=email)
            )
        except ValidationError as error:
            problems = " ".join(error.messages)
            raise CommandError(
                f"FIELDGUIDE_ADMIN_PASSWORD is too weak for the admin account: {problems} "
                "Choose a longer one, or unset it to have a strong password generated."
            ) from None
        User.objects.create_superuser(username=username, email=email, password=password)
        shown = (
            "the password in FIELDGUIDE_ADMIN_PASSWORD"
            if os.environ.get("FIELDGUIDE_ADMIN_PASSWORD")
            else f"password {password}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin account created. Sign in at {base}/admin/ as '{username}' with {shown}\n"
                "(this password is shown only once; change it after signing in)."
            )
        )
        self._warn_without_email(User)

    def _warn_without_email(self, User) -> None:
        """New contact messages are emailed to admins: say so when none can receive one."""
        admins = User.objects.filter(is_superuser=True, is_active=True)
        if not admins.exclude(email="").exists():
            self.stdout.write(
                self.style.WARNING(
                    "Warning: no admin account has an email address, so new messages from "
                    "readers reach no one by email (they are still in Admin > Messages). "
                    "Set FIELDGUIDE_ADMIN_EMAIL before the first run, or add an email to "
                    "your account in Admin > Account."
                )
            )
