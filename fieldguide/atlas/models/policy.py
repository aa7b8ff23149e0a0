"""Policy topics, their codebooks, and coded, dated, sourced policy records."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from .places import Jurisdiction
from .sources import SourceBase

slug_list_validator = RegexValidator(
    r"^\s*([a-z0-9-]+\s*(,\s*[a-z0-9-]+\s*)*)?$",
    "Section slugs separated by commas, e.g. sex-trade-criminalization, war-on-drugs.",
)

# Records in date order on every database: "in force before coding began" (no
# effective date) comes first (PostgreSQL would otherwise sort NULLs last, SQLite first).
START_FIRST = F("effective_date").asc(nulls_first=True)

# The map and legend have this many distinct colour + pattern styles.
STYLE_COUNT = 6


class Topic(index.Indexed, ClusterableModel):
    """A policy question coded for every jurisdiction, with its codebook of categories."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    question = models.CharField(
        max_length=300, help_text="The legal question coded, e.g. 'Is selling sex a crime?'"
    )
    description = models.TextField(blank=True, help_text="What the topic covers and excludes.")
    section_slugs = models.CharField(
        max_length=500,
        blank=True,
        validators=[slug_list_validator],
        help_text="Guide sections whose 'For Further Learning' shows this topic's lookup.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("question"),
        FieldPanel("description"),
        InlinePanel("categories", heading="Codebook", label="Category", min_num=1),
        FieldPanel("section_slugs"),
        FieldPanel("sort_order"),
        FieldPanel("slug"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("atlas:topic", args=[self.slug])

    def section_slug_list(self) -> list[str]:
        return [s.strip() for s in self.section_slugs.split(",") if s.strip()]


class Category(Orderable):
    """One coded answer in a topic's codebook, with the definition coders apply."""

    topic = ParentalKey(Topic, related_name="categories", on_delete=models.CASCADE)
    code = models.SlugField(
        max_length=60, help_text="Used in CSV files, e.g. full-criminalization."
    )
    label = models.CharField(max_length=120)
    definition = models.TextField(help_text="When a jurisdiction is coded in this category.")

    panels = [FieldPanel("label"), FieldPanel("code"), FieldPanel("definition")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["topic", "code"], name="atlas_category_unique_code")
        ]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.label

    @property
    def style(self) -> int:
        """Which colour and pattern the map uses (1..STYLE_COUNT), from the codebook order."""
        return (self.sort_order or 0) % STYLE_COUNT + 1


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"


def format_date(value: dt.date | None, precision: str) -> str:
    """A date shown only as precisely as it is known."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.strftime('%B')} {value.day}, {value.year}"


class PolicyRecord(ClusterableModel):
    """A jurisdiction's law or policy on a topic for a span of time.

    Spans are half-open: a record applies from ``effective_date`` up to, not including,
    ``end_date``, so a change is one record ending on the day the next begins. A blank
    effective date means the policy was in force before the coded history starts.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, related_name="policies", on_delete=models.PROTECT
    )
    topic = models.ForeignKey(Topic, related_name="policies", on_delete=models.PROTECT)
    category = models.ForeignKey(Category, related_name="policies", on_delete=models.PROTECT)
    effective_date = models.DateField(
        null=True,
        blank=True,
        help_text="When it took effect. Blank if it was in force before the coded history.",
    )
    effective_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="The day it stopped applying. Blank if still in force."
    )
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    citation = models.CharField(
        max_length=300, help_text="Statute, bill, ordinance or written policy, e.g. NRS 244.345."
    )
    citation_url = models.URLField(
        "link to the cited section",
        max_length=1000,
        blank=True,
        help_text="The legislature's page for the section itself, or an official compilation.",
    )
    summary = models.TextField(help_text="What the law or policy does, in plain words.")
    coded_by = models.CharField(max_length=120, help_text="Who coded this record.")
    coded_on = models.DateField(help_text="When it was coded.")

    panels = [
        FieldRowPanel([FieldPanel("jurisdiction"), FieldPanel("topic")]),
        FieldPanel("category"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("effective_precision")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_precision")]),
            ],
            heading="When it applies",
        ),
        FieldPanel("citation"),
        FieldPanel("citation_url"),
        FieldPanel("summary"),
        InlinePanel("sources", heading="Sources", label="Source", min_num=1),
        FieldRowPanel([FieldPanel("coded_by"), FieldPanel("coded_on")]),
    ]

    class Meta:
        ordering = ["jurisdiction__state_abbr", "topic", START_FIRST]
        indexes = [models.Index(fields=["topic", "jurisdiction"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.topic} ({self.span_display()})"

    def span_display(self) -> str:
        start = format_date(self.effective_date, self.effective_precision)
        end = format_date(self.end_date, self.end_precision)
        if start and end:
            return f"{start} to {end}"
        if end:
            return f"until {end}"
        return f"since {start}" if start else "in force; start date not coded"

    @property
    def effective_display(self) -> str:
        return format_date(self.effective_date, self.effective_precision)

    @property
    def end_display(self) -> str:
        return format_date(self.end_date, self.end_precision)

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        started = self.effective_date is None or self.effective_date <= on
        return started and (self.end_date is None or on < self.end_date)

    def overlaps(self, other: PolicyRecord) -> bool:
        return spans_overlap(
            (self.effective_date, self.end_date), (other.effective_date, other.end_date)
        )

    def clean(self) -> None:
        errors = {}
        if self.category_id and self.topic_id and self.category.topic_id != self.topic_id:
            errors["category"] = f"'{self.category}' is not in the codebook of '{self.topic}'."
        if self.effective_date and self.end_date and self.end_date <= self.effective_date:
            errors["end_date"] = "Must be after the effective date."
        if errors:
            raise ValidationError(errors)
        if self.jurisdiction_id and self.topic_id:
            clash = next(
                (
                    other
                    for other in PolicyRecord.objects.filter(
                        jurisdiction_id=self.jurisdiction_id, topic_id=self.topic_id
                    ).exclude(pk=self.pk)
                    if self.overlaps(other)
                ),
                None,
            )
            if clash:
                raise ValidationError(
                    f"Overlaps the existing record {clash.span_display()} ({clash.category}); "
                    "end that record first (history is kept as separate records)."
                )


def spans_overlap(
    a: tuple[dt.date | None, dt.date | None], b: tuple[dt.date | None, dt.date | None]
) -> bool:
    """Half-open spans; None is the open past (start) or open future (end)."""
    a_start, a_end = a[0] or dt.date.min, a[1] or dt.date.max
    b_start, b_end = b[0] or dt.date.min, b[1] or dt.date.max
    return a_start < b_end and b_start < a_end


class PolicySource(SourceBase):
    record = ParentalKey(PolicyRecord, related_name="sources", on_delete=models.CASCADE)
