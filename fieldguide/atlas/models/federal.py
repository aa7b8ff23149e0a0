"""Federal bills, members of Congress, and the provenance of imported datasets."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from .policy import Topic


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def congress_on(day: dt.date) -> int:
    """The Congress in session on a day: each begins on 3 January of an odd year."""
    year = day.year if (day.month, day.day) >= (1, 3) else day.year - 1
    return (year - 1789) // 2 + 1


class DatasetImport(models.Model):
    """One import of an outside dataset: what, from where, when, how many records."""

    class Dataset(models.TextChoices):
        LEGISLATORS = "legislators", "Members of Congress"
        BILLS = "bills", "Bill status"
        STATE_OFFICIALS = "state_officials", "State legislators and executives"

    dataset = models.CharField(max_length=20, choices=Dataset.choices)
    source = models.CharField(max_length=1000, help_text="File path or URL it was read from.")
    imported_at = models.DateTimeField()
    record_count = models.PositiveIntegerField()
    congress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For legislators: the Congress the data describes."
    )
    data_date = models.DateField(
        null=True,
        blank=True,
        help_text="The data's own date (its snapshot or commit), shown to readers as 'as of'.",
    )

    class Meta:
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} from {self.source} ({self.imported_at:%Y-%m-%d})"

    @classmethod
    def latest(cls, dataset: str) -> DatasetImport | None:
        return cls.objects.filter(dataset=dataset).order_by("-imported_at").first()

    @property
    def as_of(self) -> dt.date:
        """The date readers see: the data's own date, or the import date when it is unknown."""
        return self.data_date or self.imported_at.date()

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
    updated_on = models.DateField(
        "record updated",
        null=True,
        blank=True,
        help_text="The official record's own update date (<updateDate>): the data's 'as of'.",
    )
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
                FieldPanel("updated_on"),
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
        return f"{self.get_bill_type_display()} {self.number} ({self.congress_name})"

    @property
    def congress_name(self) -> str:
        return f"{ordinal(self.congress)} Congress"

    @property
    def slug(self) -> str:
        return f"{self.congress}-{self.bill_type}-{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("atlas:bill", args=[self.congress, self.bill_type, self.number])

    @property
    def congress_ended(self) -> dt.date:
        """Each Congress ends when the next begins, on 3 January of the odd year after next."""
        return dt.date(1789 + 2 * self.congress, 1, 3)

    def is_ended(self, today: dt.date | None = None) -> bool:
        """A bill not enacted dies with its Congress: readers can no longer act on it."""
        return self.congress < congress_on(today or dt.date.today())

    @property
    def became_law(self) -> bool:
        return self.status == "Became law"


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
        return f"{self.title} {self.name} ({self.party[:1]}-{self.state})"

    @property
    def title(self) -> str:
        """Senator, Representative, Delegate (DC and four territories) or Resident Commissioner."""
        if self.chamber == Chamber.SENATE:
            return "Senator"
        return HOUSE_TITLES.get(self.state, "Representative")


# Non-voting members of the House: Puerto Rico elects a Resident Commissioner, DC and the
# other inhabited territories (Guam, US Virgin Islands, American Samoa, Northern Marianas) a
# Delegate.
HOUSE_TITLES = {
    "PR": "Resident Commissioner",
    "DC": "Delegate",
    "GU": "Delegate",
    "VI": "Delegate",
    "AS": "Delegate",
    "MP": "Delegate",
}


class StateOfficial(models.Model):
    """A state legislator or executive (governor, attorney general), from openstates/people.

    A vacant seat is a row with no name, so a district a reader can choose is never empty.
    """

    class Role(models.TextChoices):
        UPPER = "upper", "State senate"
        LOWER = "lower", "Lower chamber"
        LEGISLATURE = "legislature", "Unicameral legislature or council"
        GOVERNOR = "governor", "Governor"
        ATTORNEY_GENERAL = "attorney general", "Attorney general"

    state = models.CharField(max_length=2)
    role = models.CharField(max_length=20, choices=Role.choices)
    district = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=200, blank=True, help_text="Empty: the seat is vacant.")
    party = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["state", "role", "district", "name"]
        indexes = [models.Index(fields=["state", "role", "district"])]

    def __str__(self) -> str:
        return f"{self.name or 'Vacant seat'} ({self.state} {self.role} {self.district})".strip()

    @property
    def is_vacant(self) -> bool:
        return not self.name
