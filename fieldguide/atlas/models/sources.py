"""The fields every cited source carries."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class SourceBase(Orderable):
    """Where a fact can be checked, and when it last was."""

    url = models.URLField("URL", max_length=1000)
    title = models.CharField(max_length=300)
    checked_on = models.DateField(
        "date checked",
        null=True,
        blank=True,
        help_text="Blank until a person has opened the source and confirmed it.",
    )

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("checked_on")]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return self.title
