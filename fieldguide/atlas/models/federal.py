"""Federal bills, members of Congress, and the provenance of imported datasets."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from .policy import Topic


def congress_on(day: dt.date) -> int:
    """The Congress in session on a day: each begins on 3 January of an odd year."""
    year = day.year if (day.month, day.day) >= (1, 3) else day.year - 1
    return (year - 1789) // 2 + 1


class DatasetImport(models.Model):
    """One import of an outside dataset: what, from where, when, how many records."""

    class Dataset(models.TextChoices):
        LEGISLATORS = "legislators", "Members of Congress"
        BILLS = "bills", "Bill status"

    dataset = models.CharField(max_length=20, choices=Dataset.choices)
    source = models.CharField(max_length=1000, help_text="File path or URL it was read from.")
    imported_at = models.DateTimeField()
    record_count = models.PositiveIntegerField()
    congress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For legislators: the Congress the data describes."
    )

    class Meta:
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} from {self.source} ({self.imported_at:%Y-%m-%d})"

    @classmethod
    def latest(cls, dataset: str) -> DatasetImport | None:
        return cls.objects.filter(dataset=dataset).order_by("-imported_at").first()

    def is_outdated(self, today: dt.date | None = None) -> bool:
        return bool(self.congress) and self.congress < congress_on(today or dt.date.today())


class BillType(models.TextChoices):
    HR = "hr", "H.R."
    S = "s", "S."
    HJRES = "hjres", "H.J.Res."
    SJRES = "sjres", "S.J.Res."
    HCONRES = "hconres", "H.Con.Res."
    SCONRES = "sconres", "S.Con.Res."
    HRES = "hres", "H.Res."
    SRES = "sres", "S.Res."


class Bill(ClusterableModel):
    """A bill in Congress, from its official BILLSTATUS record plus the editors' notes."""

    congress = models.PositiveSmallIntegerField()
    bill_type = models.CharField(max_length=8, choices=BillType.choices)
    number = models.PositiveIntegerField()
    title = models.TextField()
    sponsor = models.CharField(max_length=200, blank=True)
    introduced_on = models.DateField(null=True, blank=True)
    latest_action_on = models.DateField(null=True, blank=True)
    latest_action = models.TextField(blank=True)
    status = models.CharField(
        max_length=200, blank=True, help_text="Furthest stage reached, from the bill's actions."
    )
    source_url = models.URLField(max_length=500, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    topics = ParentalManyToManyField(Topic, blank=True, related_name="bills")
    why_it_matters = models.TextField(
        blank=True, help_text="Why it matters to this guide's readers."
    )
    ask = models.TextField(
        "what to ask for",
        blank=True,
        help_text="One or two sentences readers say when they call, e.g. 'Vote no on ...'.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("congress"), FieldPanel("bill_type"), FieldPanel("number")]
                ),
                FieldPanel("title"),
                FieldPanel("sponsor"),
                FieldRowPanel([FieldPanel("introduced_on"), FieldPanel("latest_action_on")]),
                FieldPanel("latest_action"),
                FieldPanel("status"),
                FieldPanel("source_url"),
            ],
            heading="From the official record (re-import to update)",
        ),
        FieldPanel("topics"),
        FieldPanel("why_it_matters"),
        FieldPanel("ask"),
    ]

    class Meta:
        ordering = ["-congress", "bill_type", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "bill_type", "number"], name="atlas_bill_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.title}"

    @property
    def label(self) -> str:
        return f"{self.get_bill_type_display()} {self.number} ({self.congress}th Congress)"

    @property
    def slug(self) -> str:
        return f"{self.congress}-{self.bill_type}-{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("atlas:bill", args=[self.congress, self.bill_type, self.number])


class Chamber(models.TextChoices):
    SENATE = "sen", "Senate"
    HOUSE = "rep", "House"


class Legislator(models.Model):
    """A current member of Congress, from the congress-legislators dataset."""

    bioguide_id = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    chamber = models.CharField(max_length=3, choices=Chamber.choices)
    state = models.CharField(max_length=2)
    district = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="House only; 0 is an at-large seat."
    )
    party = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=500, blank=True)
    contact_form = models.URLField(max_length=500, blank=True)
    term_end = models.DateField(null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("chamber"), FieldPanel("state"), FieldPanel("district")]),
        FieldPanel("party"),
        FieldPanel("phone"),
        FieldPanel("url"),
        FieldPanel("contact_form"),
        FieldPanel("term_end"),
        FieldPanel("bioguide_id"),
    ]

    class Meta:
        ordering = ["state", "chamber", "district", "name"]
        indexes = [models.Index(fields=["state", "chamber"])]

    def __str__(self) -> str:
        seat = "Senator" if self.chamber == Chamber.SENATE else "Representative"
        return f"{seat} {self.name} ({self.party[:1]}-{self.state})"
