"""Organisations, campaigns and programmes readers can join, by place and topic."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from fieldguide.library.models import Profile

from .places import Jurisdiction
from .policy import Topic
from .sources import SourceBase


class EntryKind(models.TextChoices):
    ORGANIZATION = "organization", "Organisation"
    CAMPAIGN = "campaign", "Campaign"
    PROGRAMME = "programme", "Programme or service"


class DirectoryEntry(index.Indexed, ClusterableModel):
    """One organisation, campaign or programme.

    When the group is also in "Who To Follow", link its library profile: the name,
    description and website then come from that one record and are not typed twice.
    """

    key = models.SlugField(max_length=120, unique=True, help_text="Stable identifier for imports.")
    profile = models.OneToOneField(
        Profile,
        null=True,
        blank=True,
        related_name="directory_entry",
        on_delete=models.PROTECT,
        help_text="If the group is already a 'Who To Follow' profile, choose it here.",
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="Leave blank when a profile is linked."
    )
    description = models.TextField(blank=True, help_text="Leave blank to use the profile's.")
    website = models.URLField(
        max_length=500, blank=True, help_text="Leave blank to use the profile's."
    )
    kind = models.CharField(
        max_length=12, choices=EntryKind.choices, default=EntryKind.ORGANIZATION
    )
    nationwide = models.BooleanField(default=False, help_text="Serves people in every state.")
    places = ParentalManyToManyField(Jurisdiction, blank=True, related_name="directory_entries")
    topics = ParentalManyToManyField(Topic, blank=True, related_name="directory_entries")
    volunteer = models.TextField("how to volunteer", blank=True)
    volunteer_url = models.URLField(max_length=500, blank=True)
    donate_url = models.URLField(max_length=500, blank=True)

    panels = [
        FieldPanel("profile"),
        FieldPanel("key"),
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("description"), FieldPanel("website")],
            heading="Only when no profile is linked",
        ),
        FieldPanel("kind"),
        FieldPanel("nationwide"),
        FieldPanel("places"),
        FieldPanel("topics"),
        MultiFieldPanel(
            [FieldPanel("volunteer"), FieldPanel("volunteer_url"), FieldPanel("donate_url")],
            heading="Get involved",
        ),
        InlinePanel("sources", heading="Sources", label="Source", min_num=1),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        verbose_name = "directory entry"
        verbose_name_plural = "directory entries"

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if not self.profile_id and not self.name:
            raise ValidationError({"name": "Give a name, or link a 'Who To Follow' profile."})
        if not self.profile_id and not self.website:
            raise ValidationError(
                {"website": "Give the home page, or link a profile that has one."}
            )

    @property
    def display_name(self) -> str:
        return self.profile.name if self.profile_id else self.name

    @property
    def display_description(self) -> str:
        return self.description or (self.profile.description if self.profile_id else "")

    @property
    def home_page(self) -> str:
        return self.website or (self.profile.website if self.profile_id else "")


class DirectorySource(SourceBase):
    entry = ParentalKey(DirectoryEntry, related_name="sources", on_delete=models.CASCADE)
