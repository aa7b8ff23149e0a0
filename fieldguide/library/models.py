"""The shared library: resources and the people and organisations to follow."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from .markup import is_web_url, plain_text, plain_values
from .widgets import CslExtraWidget

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def validate_doi(value: str) -> None:
    if not DOI_RE.match(value):
        raise ValidationError(
            "Enter a bare DOI such as 10.1371/journal.pmed.1002680 (without https://doi.org/)."
        )


def normalise_doi(value: str) -> str:
    value = (value or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.strip()


def unique_key_for(title: str, exclude: int | None = None) -> str:
    """A resource key made from ``title``: its slug, numbered if already taken."""
    from django.utils.text import slugify

    base = slugify(title)[:60].strip("-") or "resource"
    taken = Resource.objects.exclude(pk=exclude) if exclude else Resource.objects.all()
    key, n = base, 1
    while taken.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


class ResourceType(models.TextChoices):
    ARTICLE = "article", "Peer-reviewed article"
    REPORT = "report", "Report or evaluation"
    POLICY = "policy", "Policy statement"
    TOOLKIT = "toolkit", "Toolkit or guide"
    BOOK = "book", "Book"
    CHAPTER = "chapter", "Book chapter"
    VIDEO = "video", "Video"
    PODCAST = "podcast", "Podcast"
    NEWS = "news", "News or opinion"
    WEBSITE = "website", "Website"
    DATASET = "dataset", "Dataset"


class Access(models.TextChoices):
    OPEN = "open", "Open access"
    PAYWALLED = "paywalled", "Paywalled"
    UNKNOWN = "unknown", "Not known"


class UnverifiedPart(models.TextChoices):
    """What an unverified resource's mark is about (wording: library/verification.py)."""

    WORK = "work", "The work's details"
    LINK = "link", "The link"


#: Resource types whose work may itself be a whole site, so a home page is its address.
SITE_TYPES = ("website", "dataset")


def is_home_page(url: str) -> bool:
    """Whether `url` is a site's home page (no path, query or fragment beyond "/")."""
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return bool(parts.netloc) and parts.path in ("", "/") and not parts.query and not parts.fragment


class ResourceTopic(TaggedItemBase):
    content_object = ParentalKey(
        "library.Resource", related_name="tagged_topics", on_delete=models.CASCADE
    )


class Resource(index.Indexed, RevisionMixin, ClusterableModel):
    """A reading, report, video or other item, shared by every section that selects it."""

    key = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text=(
            "A short stable identifier, used in links and content bundles. "
            "Leave empty to make one from the title."
        ),
    )
    title = models.CharField(max_length=500)
    resource_type = models.CharField(
        "type", max_length=20, choices=ResourceType.choices, default=ResourceType.ARTICLE
    )
    container = models.CharField(
        max_length=300, blank=True, help_text="Journal, site, or the book a chapter is in."
    )
    publisher = models.CharField(max_length=300, blank=True)
    issued_year = models.PositiveSmallIntegerField(
        "year",
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    issued_month = models.PositiveSmallIntegerField(
        "month", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    issued_day = models.PositiveSmallIntegerField(
        "day", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True, help_text="Page range, e.g. 45-67.")
    url = models.URLField("URL", max_length=1000, blank=True)
    doi = models.CharField(
        "DOI", max_length=200, blank=True, validators=[validate_doi], help_text="e.g. 10.1000/xyz"
    )
    container_title_short = models.CharField(
        "short container title",
        max_length=200,
        blank=True,
        help_text="Abbreviated journal title (NLM), e.g. PLoS Med; AMA and Vancouver use it.",
    )
    collection_title = models.CharField(
        "series", max_length=300, blank=True, help_text="Series or collection title."
    )
    publisher_place = models.CharField("place of publication", max_length=200, blank=True)
    edition = models.CharField(max_length=40, blank=True)
    number = models.CharField(
        max_length=80,
        blank=True,
        help_text="Report or publication number, e.g. NIH Publication No. 18-2424.",
    )
    genre = models.CharField(
        max_length=120,
        blank=True,
        help_text="Kind of work as the source names it, e.g. Policy brief.",
    )
    medium = models.CharField(max_length=80, blank=True, help_text="e.g. Video, Podcast audio.")
    language = models.CharField(
        max_length=20, blank=True, help_text="A language tag such as en or es."
    )
    accessed = models.DateField(
        null=True, blank=True, help_text="When an editor last read the online version."
    )
    csl_extra = models.JSONField(
        "other citation data",
        default=dict,
        blank=True,
        help_text=(
            "CSL variables this form has no field for, kept so imports and exports lose nothing."
        ),
    )
    access = models.CharField(max_length=12, choices=Access.choices, default=Access.UNKNOWN)
    length_pages = models.PositiveIntegerField("length (pages)", null=True, blank=True)
    length_minutes = models.PositiveIntegerField("length (minutes)", null=True, blank=True)
    annotation = models.TextField(blank=True, help_text="One or two sentences for readers.")
    topics = ClusterTaggableManager(through=ResourceTopic, blank=True)
    verified = models.BooleanField(
        default=True,
        help_text="Untick if a detail could not be checked: readers see it marked unverified.",
    )
    unverified_part = models.CharField(
        "what could not be checked",
        max_length=10,
        choices=UnverifiedPart.choices,
        default=UnverifiedPart.WORK,
        help_text="Only used when the resource is not verified: readers are told which.",
    )
    publisher_site = models.URLField(
        "publisher's site",
        max_length=500,
        blank=True,
        help_text=(
            "The publisher's or organisation's home page, when no address of the work "
            "itself is known. Shown as the publisher's site; never exported as the work's URL."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("resource_type"), FieldPanel("access")]),
        InlinePanel("creators", heading="Creators", label="Creator"),
        MultiFieldPanel(
            [
                FieldPanel("container"),
                FieldPanel("publisher"),
                FieldRowPanel(
                    [
                        FieldPanel("issued_year"),
                        FieldPanel("issued_month"),
                        FieldPanel("issued_day"),
                    ]
                ),
                FieldRowPanel([FieldPanel("volume"), FieldPanel("issue"), FieldPanel("pages")]),
                FieldRowPanel(
                    [FieldPanel("container_title_short"), FieldPanel("collection_title")]
                ),
                FieldRowPanel(
                    [FieldPanel("publisher_place"), FieldPanel("edition"), FieldPanel("number")]
                ),
                FieldRowPanel([FieldPanel("genre"), FieldPanel("medium"), FieldPanel("language")]),
            ],
            heading="Where and when it was published",
        ),
        FieldPanel("url"),
        FieldPanel("publisher_site"),
        FieldPanel("doi"),
        FieldPanel("accessed"),
        FieldPanel("csl_extra", widget=CslExtraWidget),
        FieldRowPanel([FieldPanel("length_pages"), FieldPanel("length_minutes")]),
        FieldPanel("annotation"),
        FieldPanel("topics"),
        FieldRowPanel([FieldPanel("verified"), FieldPanel("unverified_part")]),
        FieldPanel("key"),
    ]

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("annotation"),
        index.SearchField("container"),
        index.SearchField("publisher"),
        index.FilterField("resource_type"),
        index.RelatedFields("creators", [index.SearchField("name_for_search")]),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    #: Text readers see as written: stored without markup (see library/markup.py).
    PLAIN_TEXT_FIELDS = (
        "title",
        "container",
        "publisher",
        "volume",
        "issue",
        "pages",
        "container_title_short",
        "collection_title",
        "publisher_place",
        "edition",
        "number",
        "genre",
        "medium",
        "language",
        "annotation",
    )

    def save(self, *args, **kwargs) -> None:
        # Every way in (admin, imports, library.yaml, suggestions) saves here.
        for name in self.PLAIN_TEXT_FIELDS:
            setattr(self, name, plain_text(getattr(self, name) or ""))
        self.csl_extra = plain_values(self.csl_extra or {})
        if not self.key:
            self.key = unique_key_for(self.title, exclude=self.pk)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if not self.key:
            self.key = unique_key_for(self.title, exclude=self.pk)
        self.doi = normalise_doi(self.doi)
        if self.doi:
            try:
                validate_doi(self.doi)
            except ValidationError as error:
                # On the DOI field, not the whole record ("__all__" in an import report).
                raise ValidationError({"doi": error.messages}) from error
        if self.issued_day and not self.issued_month:
            raise ValidationError({"issued_day": "A day needs a month."})
        if self.issued_month and not self.issued_year:
            raise ValidationError({"issued_month": "A month needs a year."})
        if self.url and is_home_page(self.url) and self.resource_type not in SITE_TYPES:
            raise ValidationError(
                {
                    "url": (
                        f"{self.url} is a site's home page, not the address of this "
                        f"{self.get_resource_type_display().lower()}. Give the work's own "
                        "page, or put the home page under Publisher's site."
                    )
                }
            )

    def to_csl(self) -> dict:
        """This resource as a CSL-JSON item (see library/csl.py)."""
        from .csl import to_csl

        return to_csl(self)

    @classmethod
    def from_csl(cls, item: dict) -> Resource:
        """An unsaved resource, with its creators attached, from a CSL-JSON item."""
        from .csl import from_csl

        return from_csl(item)

    @property
    def link(self) -> str:
        """The address readers follow: the URL, else the DOI resolver (http(s) only)."""
        if is_web_url(self.url):
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return ""

    @property
    def verification(self):
        """What readers are told about this resource's verification (or None)."""
        from .verification import notice_for

        return notice_for(self)

    @property
    def type_label(self) -> str:
        return self.get_resource_type_display()

    @property
    def issued_display(self) -> str:
        if not self.issued_year:
            return "n.d."
        return str(self.issued_year)

    def creator_names(self) -> list[str]:
        return [c.display_name for c in self.creators.all()]

    @property
    def creators_display(self) -> str:
        names = self.creator_names()
        if len(names) > 3:
            return f"{names[0]}, {names[1]}, {names[2]}, et al."
        if len(names) > 1:
            return ", ".join(names[:-1]) + " and " + names[-1]
        return names[0] if names else ""

    @property
    def creators_sentence(self) -> str:
        """The creators as the first sentence of a citation line (no doubled period)."""
        names = self.creators_display
        return names if not names or names.endswith(".") else f"{names}."

    @property
    def length_display(self) -> str:
        if self.length_minutes:
            return f"{self.length_minutes} min"
        if self.length_pages:
            return f"{self.length_pages} pages"
        return ""


class CreatorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organisation"


class CreatorRole(models.TextChoices):
    """CSL name variables an editor can choose; the value is the CSL variable."""

    AUTHOR = "author", "Author"
    EDITOR = "editor", "Editor"
    CONTAINER_AUTHOR = "container-author", "Author of the containing work"
    COLLECTION_EDITOR = "collection-editor", "Series editor"
    DIRECTOR = "director", "Director"
    TRANSLATOR = "translator", "Translator"
    INTERVIEWER = "interviewer", "Interviewer"
    RECIPIENT = "recipient", "Recipient"
    COMPOSER = "composer", "Composer"
    ILLUSTRATOR = "illustrator", "Illustrator"
    ORIGINAL_AUTHOR = "original-author", "Original author"
    REVIEWED_AUTHOR = "reviewed-author", "Reviewed author"
    EDITORIAL_DIRECTOR = "editorial-director", "Editorial director"
    HOST = "host", "Host"
    GUEST = "guest", "Guest"
    PRODUCER = "producer", "Producer"
    EXECUTIVE_PRODUCER = "executive-producer", "Executive producer"
    SCRIPT_WRITER = "script-writer", "Script writer"
    PERFORMER = "performer", "Performer"
    NARRATOR = "narrator", "Narrator"
    CONTRIBUTOR = "contributor", "Contributor"
    COMPILER = "compiler", "Compiler"
    CURATOR = "curator", "Curator"
    ORGANIZER = "organizer", "Organiser"
    CHAIR = "chair", "Chair"
    SERIES_CREATOR = "series-creator", "Series creator"


class Creator(Orderable):
    """An author, editor or producer, in the order the work lists them."""

    resource = ParentalKey(Resource, related_name="creators", on_delete=models.CASCADE)
    role = models.CharField(max_length=30, choices=CreatorRole.choices, default=CreatorRole.AUTHOR)
    family = models.CharField("family name", max_length=200, blank=True)
    given = models.CharField("given names", max_length=200, blank=True)
    literal = models.CharField(
        "organisation name", max_length=300, blank=True, help_text="For an organisation."
    )
    non_dropping_particle = models.CharField(
        "particle before the family name",
        max_length=40,
        blank=True,
        help_text='Kept with the family name: "van der" in van der Berg, "de la" in de la Cruz.',
    )
    dropping_particle = models.CharField(
        "particle after the given names",
        max_length=40,
        blank=True,
        help_text='Dropped when the family name leads: "van" in Ludwig van Beethoven.',
    )
    suffix = models.CharField(max_length=40, blank=True, help_text="e.g. Jr., III")

    panels = [
        FieldRowPanel([FieldPanel("family"), FieldPanel("given")]),
        FieldRowPanel(
            [
                FieldPanel("non_dropping_particle"),
                FieldPanel("dropping_particle"),
                FieldPanel("suffix"),
            ]
        ),
        FieldPanel("literal"),
        FieldPanel("role"),
    ]

    #: Creator columns and the CSL name parts they hold (one source for both directions).
    NAME_PARTS = {
        "family": "family",
        "given": "given",
        "literal": "literal",
        "non_dropping_particle": "non-dropping-particle",
        "dropping_particle": "dropping-particle",
        "suffix": "suffix",
    }

    def save(self, *args, **kwargs) -> None:
        for name in self.NAME_PARTS:
            setattr(self, name, plain_text(getattr(self, name) or ""))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not (self.family or self.literal):
            raise ValidationError("Give a family name (for a person) or an organisation name.")
        if self.literal and (self.family or self.given or self.particles_or_suffix):
            raise ValidationError("A creator is either a person or an organisation, not both.")

    @property
    def particles_or_suffix(self) -> bool:
        return bool(self.non_dropping_particle or self.dropping_particle or self.suffix)

    @property
    def display_name(self) -> str:
        if self.literal:
            return self.literal
        family = " ".join(p for p in (self.non_dropping_particle, self.family) if p)
        if self.given:
            initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", self.given) if part)
            family = f"{family} {initials.replace('. ', '.').rstrip()}".strip()
        return f"{family}, {self.suffix}" if self.suffix else family

    @property
    def name_for_search(self) -> str:
        parts = (
            self.given,
            self.dropping_particle,
            self.non_dropping_particle,
            self.family,
            self.suffix,
        )
        return self.literal or " ".join(p for p in parts if p)

    def __str__(self) -> str:
        return self.display_name


class ProfileKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organisation"


SOCIAL_FIELDS = [
    ("bluesky", "Bluesky"),
    ("instagram", "Instagram"),
    ("x", "X"),
    ("mastodon", "Mastodon"),
    ("youtube", "YouTube"),
    ("podcast", "Podcast"),
    ("newsletter", "Newsletter"),
]


class Profile(index.Indexed, RevisionMixin, models.Model):
    """A person or organisation readers can follow."""

    key = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=ProfileKind.choices, default=ProfileKind.ORGANIZATION
    )
    description = models.TextField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    bluesky = models.URLField(max_length=500, blank=True)
    instagram = models.URLField(max_length=500, blank=True)
    x = models.URLField("X", max_length=500, blank=True)
    mastodon = models.URLField(max_length=500, blank=True)
    youtube = models.URLField("YouTube", max_length=500, blank=True)
    podcast = models.URLField(max_length=500, blank=True)
    newsletter = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("website"),
        MultiFieldPanel([FieldPanel(name) for name, _ in SOCIAL_FIELDS], heading="Social accounts"),
        FieldPanel("key"),
    ]

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def social_links(self) -> list[tuple[str, str]]:
        return [
            (label, getattr(self, name)) for name, label in SOCIAL_FIELDS if getattr(self, name)
        ]
