"""Models shared by every app."""

from __future__ import annotations

from django.db import models


class CspReport(models.Model):
    """How often browsers reported one kind of Content-Security-Policy violation in a day.

    Only counts are kept, per (day, directive, blocked origin or keyword, page path).
    No address, user agent, full URL or query string is ever stored (see core.csp_reports).
    """

    day = models.DateField()
    directive = models.CharField(max_length=40)
    blocked = models.CharField(max_length=200)
    path = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-count", "directive"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "directive", "blocked", "path"], name="core_cspreport_unique_kind"
            )
        ]
        verbose_name = "CSP violation count"

    def __str__(self) -> str:
        return f"{self.day} {self.directive} {self.blocked} {self.path}: {self.count}"


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


class PendingPurge(models.Model):
    """A front-cache purge or ban that failed, kept until a retry succeeds.

    ``kind`` is "url" (a PURGE of ``target``) or "ban" (every page of a generation
    older than ``target``); only the newest ban is kept, since it covers the older ones.
    """

    kind = models.CharField(max_length=8)
    target = models.CharField(max_length=2000)
    attempts = models.PositiveIntegerField(default=1)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "target"], name="pending_purge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target}"
