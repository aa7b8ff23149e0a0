"""The mail backend used when no mail server is configured.

Django's console backend, the old default, printed every email to the server log:
password-reset links that open the set-password form, and readers' contact messages
with their names and addresses. Contact messages and suggestions are stored for the
admin, so nothing is lost when mail is not sent; this backend only says how much was
not sent, with no subject, body, address or link.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class UnconfiguredEmailBackend(BaseEmailBackend):
    """Sends nothing and logs one count-only warning per batch."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        messages = list(email_messages)
        if messages:
            recipients = sum(len(message.recipients()) for message in messages)
            logger.warning(
                "%d message%s to %d recipient%s not sent: no mail server configured "
                "(set EMAIL_BACKEND/EMAIL_HOST)",
                len(messages),
                "" if len(messages) == 1 else "s",
                recipients,
                "" if recipients == 1 else "s",
            )
        return 0
