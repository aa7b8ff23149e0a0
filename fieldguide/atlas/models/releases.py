"""A topic's dataset as published: numbered releases with a changelog, and blind second
codings that measure how far two coders agree (LawAtlas's quality-control practice)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from .places import Jurisdiction
from .policy import Category, Topic

# LawAtlas double-codes a dataset until coders disagree on fewer than 5% of answers.
AGREEMENT_TARGET = 0.95


class DatasetRelease(models.Model):
    """A frozen copy of one topic's records, numbered v1, v2, … per topic.

    ``rows`` holds every record as the CSV export writes it (one dict per record) and
    ``changes`` every cell that differs from the previous release, so a release page
    and its CSV never change after publication, whatever editors do to the records.
    """

    topic = models.ForeignKey(Topic, related_name="releases", on_delete=models.PROTECT)
    number = models.PositiveIntegerField(editable=False)
    law_current_as_of = models.DateField(
        help_text="The law was researched up to this date: later changes are not in it."
    )
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(blank=True, help_text="What this release changes, in words.")
    rows = models.JSONField(default=list, editable=False)
    changes = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["topic", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="atlas_release_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("atlas:release", args=[self.topic.slug, self.number])

    @property
    def label(self) -> str:
        return f"v{self.number}"

    def clean(self) -> None:
        if self.law_current_as_of and self.law_current_as_of > dt.date.today():
            raise ValidationError({"law_current_as_of": "Cannot be in the future."})


class SecondCoding(models.Model):
    """A second coder's answer for one jurisdiction and topic, given without seeing the
    first coding. It is compared with the record in force on the day it was coded."""

    topic = models.ForeignKey(Topic, related_name="second_codings", on_delete=models.CASCADE)
    jurisdiction = models.ForeignKey(
        Jurisdiction, related_name="second_codings", on_delete=models.CASCADE
    )
    category = models.ForeignKey(Category, related_name="+", on_delete=models.PROTECT)
    coded_on = models.DateField(default=dt.date.today, editable=False)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, editable=False, on_delete=models.SET_NULL
    )
    note = models.TextField(blank=True, help_text="Where the answer came from.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "jurisdiction"], name="atlas_second_coding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.topic} (second coding)"

    def clean(self) -> None:
        if self.category_id and self.topic_id and self.category.topic_id != self.topic_id:
            raise ValidationError(
                {"category": f"'{self.category}' is not in the codebook of '{self.topic}'."}
            )
