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
