"""Models shared by every app."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """One fixed-window rate-limit counter in the database store.

    ``digest`` is a keyed hash (HMAC with a key derived from SECRET_KEY) of the limit's
    scope, the window and the identity counted (a reader's address, a sign-in name), so
    the table never holds an address or a name in any form that can be reversed without
    the key. Rows are deleted once ``expires_at`` has passed (see core.ratelimit).
    """

    digest = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate-limit counter"

    def __str__(self) -> str:
        return f"{self.digest[:12]}… = {self.count}"
