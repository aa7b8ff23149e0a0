"""The fields every cited source carries, and the record of a person checking it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class SourceBase(Orderable):
    """Where a fact can be checked, and who confirmed it there, when.

    ``checked_on`` and ``checked_by`` are not editable fields: only ``confirm`` sets
    them, called by the admin action a person takes after opening the source ("I opened
    this source and it supports the record"). Files and forms cannot type a check in.
    """

    url = models.URLField("URL", max_length=1000)
    title = models.CharField(max_length=300)
    checked_on = models.DateField(
        "date checked",
        null=True,
        blank=True,
        editable=False,
        help_text="Set by the 'I opened this source' action, never typed.",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person who opened the source and confirmed it.",
    )

    panels = [FieldPanel("title"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_checked(self) -> bool:
        return self.checked_on is not None

    @property
    def checked_by_name(self) -> str:
        """The checker's name as readers see it."""
        user = self.checked_by
        if user is None:
            return "a coder whose account was removed" if self.checked_on else ""
        return user.get_full_name() or user.get_username()

    def confirm(self, user, on: dt.date | None = None) -> None:
        """Record that ``user`` opened this source today and it supports the record."""
        self.checked_on = on or dt.date.today()
        self.checked_by = user
        self.save(update_fields=["checked_on", "checked_by"])

    def keep_check_of(self, previous: SourceBase | None) -> None:
        """Carry a check over when a source is re-created with the same URL (imports)."""
        if previous is not None and previous.url == self.url and previous.checked_on:
            self.checked_on = previous.checked_on
            self.checked_by_id = previous.checked_by_id
