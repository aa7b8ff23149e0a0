"""Editorial records: when sections were reviewed, and resources readers suggest."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SectionReview(models.Model):
    """An editor read a section through and confirmed it is still right.

    Separate from when the content last changed: a review can find nothing to change.
    """

    page = models.ForeignKey("guide.SectionPage", related_name="reviews", on_delete=models.CASCADE)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.page} reviewed {self.reviewed_at:%Y-%m-%d}"


class SuggestionState(models.TextChoices):
    PENDING = "pending", "Waiting for an editor"
    ACCEPTED = "accepted", "Accepted"
    DRAFTED = "drafted", "Accepted into a draft"
    DECLINED = "declined", "Declined"


class ResourceSuggestion(models.Model):
    """A reader's suggestion of a resource for a section, waiting in the moderation queue."""

    section = models.ForeignKey(
        "guide.SectionPage", related_name="suggestions", on_delete=models.CASCADE
    )
    url = models.URLField("URL", max_length=1000, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    reason = models.TextField("why it fits", max_length=2000)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(
        max_length=10,
        choices=SuggestionState.choices,
        default=SuggestionState.PENDING,
        db_index=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    resource = models.ForeignKey(
        "library.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.doi or self.url} for {self.section}"

    @property
    def address(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url
