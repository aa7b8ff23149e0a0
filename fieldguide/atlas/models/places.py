"""Jurisdictions: states, DC and territories, with local jurisdictions below them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class JurisdictionKind(models.TextChoices):
    STATE = "state", "State"
    DISTRICT = "district", "Federal district"
    TERRITORY = "territory", "Territory"
    COUNTY = "county", "County or county-equivalent"
    CITY = "city", "City or town"
    PROSECUTOR = "prosecutor", "Prosecutorial district"


TOP_LEVEL_KINDS = {JurisdictionKind.STATE, JurisdictionKind.DISTRICT, JurisdictionKind.TERRITORY}


class Jurisdiction(index.Indexed, models.Model):
    """A place whose law or policy can be coded; local ones sit below a state."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="States use their postal code (md); local places add a name (md-baltimore-city).",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=JurisdictionKind.choices)
    state_abbr = models.CharField(
        "state", max_length=2, validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters.")]
    )
    fips = models.CharField(
        "FIPS code",
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{2}(\d{3}(\d{2})?)?$", "2, 5 or 7 digits.")],
        help_text="State (2 digits) or county (5 digits) FIPS code, where one exists.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    county_names = models.CharField(
        max_length=300,
        blank=True,
        help_text="Prosecutors and cities: the counties they cover, separated by commas.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("state_abbr"),
        FieldPanel("fips"),
        FieldPanel("county_names"),
        FieldPanel("slug"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["state_abbr", "parent_id", "name"]

    def __str__(self) -> str:
        if self.kind in TOP_LEVEL_KINDS:
            return self.name
        return f"{self.name}, {self.state_abbr}"

    def get_absolute_url(self) -> str:
        return reverse("atlas:jurisdiction", args=[self.slug])

    def clean(self) -> None:
        if self.kind in TOP_LEVEL_KINDS and self.parent_id:
            raise ValidationError({"parent": "States, DC and territories have no parent."})
        if self.kind not in TOP_LEVEL_KINDS and not self.parent_id:
            raise ValidationError({"parent": "Local jurisdictions need the state they are in."})
        if self.parent_id and self.parent.state_abbr != self.state_abbr:
            raise ValidationError({"state_abbr": "Must match the parent's state."})

    @property
    def is_top_level(self) -> bool:
        return self.kind in TOP_LEVEL_KINDS

    def county_list(self) -> list[str]:
        return [name.strip() for name in self.county_names.split(",") if name.strip()]
