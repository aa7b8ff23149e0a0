"""The guide's pages: home, sections, glossary, standard pages and contact."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, RevisionMixin
from wagtail.search import index

from fieldguide.library.models import Profile, Resource

from .licenses import DEFAULT_LICENSE, LICENSE_CHOICES, LICENSES, License, PaperSize


class GuideHomePage(Page):
    """The front of a guide: what it is, who it is for, how to use it, its sections."""

    subtitle = models.CharField(max_length=250, blank=True)
    introduction = RichTextField(blank=True, help_text="Frames the guide for readers.")
    who_it_is_for = RichTextField(blank=True)
    how_to_use = RichTextField(
        blank=True, help_text="How to work through the guide alone or in groups."
    )
    editors = models.TextField(
        blank=True,
        max_length=2000,
        help_text=(
            "The guide's editors as readers should cite them, one per line: "
            'family name, comma, given names (e.g. "Okafor, Adaeze"); '
            "a line without a comma is an organisation."
        ),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How often each section should be reviewed by an editor.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("introduction"),
        FieldPanel("who_it_is_for"),
        FieldPanel("how_to_use"),
        FieldPanel("editors"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("review_interval_months")]

    subpage_types = [
        "guide.SectionPage",
        "guide.GlossaryPage",
        "guide.StandardPage",
        "guide.ContactPage",
    ]
    search_fields = Page.search_fields + [index.SearchField("subtitle")]

    class Meta:
        verbose_name = "guide home page"

    def sections(self):
        return SectionPage.objects.child_of(self).live().public().order_by("path")


class SectionPage(Page):
    """A topic, in five parts: introduction, resources, questions, people, actions."""

    summary = models.TextField(max_length=400, help_text="One or two sentences for the contents.")
    introduction = RichTextField(help_text="A few paragraphs that frame the topic.")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("introduction"),
        InlinePanel(
            "selected_resources",
            heading="Selected Resources",
            label="Resource",
            help_text="Resources from the shared library, in the order readers see them.",
        ),
        InlinePanel("questions", heading="Discussion Questions", label="Question"),
        InlinePanel("follow", heading="Who To Follow", label="Person or organisation"),
        InlinePanel("actions", heading="For Further Learning", label="Action"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("introduction"),
        index.RelatedFields("questions", [index.SearchField("text")]),
        index.RelatedFields(
            "actions", [index.SearchField("title"), index.SearchField("description")]
        ),
    ]

    parent_page_types = ["guide.GuideHomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "section"

    @cached_property
    def guide(self) -> GuideHomePage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def content_changed_at(self):
        status = getattr(self, "status", None)
        if status and status.content_changed_at:
            return status.content_changed_at
        return self.last_published_at

    @cached_property
    def reading_minutes(self) -> int:
        from .reading import reading_minutes, section_words

        return reading_minutes(section_words(self))

    def siblings(self):
        return list(SectionPage.objects.sibling_of(self).live().public().order_by("path"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = self.siblings()
        position = next((i for i, s in enumerate(sections) if s.pk == self.pk), None)
        context["sections"] = sections
        context["section_count"] = len(sections)
        if position is not None:
            context["section_number"] = position + 1
            context["previous_section"] = sections[position - 1] if position > 0 else None
            context["next_section"] = (
                sections[position + 1] if position + 1 < len(sections) else None
            )
        context["resources"] = (
            self.selected_resources.select_related("resource")
            .prefetch_related("resource__creators")
            .all()
        )
        context["profiles"] = self.follow.select_related("profile").all()
        return context


class SectionResource(Orderable):
    page = ParentalKey(SectionPage, related_name="selected_resources", on_delete=models.CASCADE)
    resource = models.ForeignKey(Resource, related_name="selections", on_delete=models.PROTECT)
    note = models.TextField(
        blank=True, help_text="Optional: why the editors selected it for this section."
    )

    panels = [FieldPanel("resource"), FieldPanel("note")]

    def __str__(self) -> str:
        return str(self.resource) if self.resource_id else ""


class DiscussionQuestion(Orderable):
    page = ParentalKey(SectionPage, related_name="questions", on_delete=models.CASCADE)
    text = models.TextField()

    panels = [FieldPanel("text")]

    def __str__(self) -> str:
        return self.text


class SectionProfile(Orderable):
    page = ParentalKey(SectionPage, related_name="follow", on_delete=models.CASCADE)
    profile = models.ForeignKey(Profile, related_name="sections", on_delete=models.PROTECT)

    panels = [FieldPanel("profile")]

    def __str__(self) -> str:
        return str(self.profile) if self.profile_id else ""


class ActionKind(models.TextChoices):
    LEARN = "learn", "Learn"
    VOLUNTEER = "volunteer", "Volunteer"
    CAMPAIGN = "campaign", "Join a campaign"
    ADVOCATE = "advocate", "Advocate"
    DONATE = "donate", "Donate"
    CONTACT = "contact", "Contact officials"
    ATTEND = "attend", "Attend"
    OTHER = "other", "Other"


class Action(Orderable):
    page = ParentalKey(SectionPage, related_name="actions", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.LEARN)
    title = models.CharField(max_length=250)
    description = RichTextField(blank=True, features=["bold", "italic", "link"])
    url = models.URLField("link", max_length=1000, blank=True)

    panels = [FieldPanel("kind"), FieldPanel("title"), FieldPanel("description"), FieldPanel("url")]

    def __str__(self) -> str:
        return self.title


class SectionStatus(models.Model):
    """Derived dates for a section, kept outside its revisions so they are never typed.

    ``content_changed_at`` moves only when a publish (or an edit of a shared resource or
    profile it shows) changes what readers see; republishing unchanged content does not.
    """

    page = models.OneToOneField(SectionPage, related_name="status", on_delete=models.CASCADE)
    fingerprint = models.CharField(max_length=64, blank=True)
    content_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "section statuses"

    def __str__(self) -> str:
        return (
            f"{self.page_id}: changed {self.content_changed_at:%Y-%m-%d}"
            if self.content_changed_at
            else str(self.page_id)
        )


class GlossaryTerm(index.Indexed, RevisionMixin, models.Model):
    term = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other forms that should link to this entry, separated by commas.",
    )
    definition = RichTextField(features=["bold", "italic", "link"])
    attribution = models.CharField(
        max_length=300, help_text="Where the definition comes from or draws on."
    )
    attribution_url = models.URLField(max_length=500, blank=True)
    related_terms = models.ManyToManyField("self", blank=True)

    panels = [
        FieldPanel("term"),
        FieldPanel("definition"),
        MultiFieldPanel([FieldPanel("attribution"), FieldPanel("attribution_url")], "Source"),
        FieldPanel("aliases"),
        FieldPanel("related_terms"),
        FieldPanel("slug"),
    ]
    search_fields = [
        index.SearchField("term", boost=3),
        index.AutocompleteField("term"),
        index.SearchField("aliases", boost=2),
        index.SearchField("definition"),
    ]

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.term)
        super().save(*args, **kwargs)

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.split(",") if a.strip()]


class GlossaryPage(Page):
    introduction = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["guide.GuideHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["terms"] = GlossaryTerm.objects.prefetch_related("related_terms")
        return context


class StandardPage(Page):
    """About, who it is for, thanks, privacy, accessibility, and the like."""

    body = RichTextField(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["guide.GuideHomePage"]
    subpage_types: list[str] = []


class ContactPage(Page):
    introduction = RichTextField(blank=True)
    topics = models.TextField(
        blank=True, help_text="The topics a writer can choose from, one per line."
    )
    thank_you = RichTextField(blank=True, help_text="Shown after a message is sent.")

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("topics"),
        FieldPanel("thank_you"),
    ]
    parent_page_types = ["guide.GuideHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def serve(self, request, *args, **kwargs):
        from .contact import serve_contact_page

        return serve_contact_page(self, request)


class ContactMessage(models.Model):
    """A message sent through the contact page. Keeps only what the writer typed."""

    page = models.ForeignKey(ContactPage, null=True, on_delete=models.SET_NULL)
    topic = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    message = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When an editor first opened it."
    )
    handled = models.BooleanField(default=False)

    panels = [FieldPanel("handled")]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.topic or 'Message'} ({self.created_at:%Y-%m-%d})"

    @property
    def state(self) -> str:
        """Unread, read or handled: what the inbox shows."""
        if self.handled:
            return "Handled"
        return "Read" if self.read_at else "Unread"

    def reply_link(self) -> str:
        """A ``mailto:`` link answering the writer (empty when they left no email)."""
        from urllib.parse import quote

        if not self.email:
            return ""
        subject = quote(f"Re: {self.topic or 'your message'}")
        return f"mailto:{quote(self.email, safe='@')}?subject={subject}"


@register_setting(icon="doc-full")
class GuideSettings(BaseSiteSetting):
    """Choices editors make for the whole site: the license and the editions' paper."""

    license = models.CharField(
        max_length=40,
        choices=LICENSE_CHOICES,
        default=DEFAULT_LICENSE,
        help_text=(
            "The license of the guide's own text, shown on every page and in every edition. "
            "Linked resources keep their authors' terms."
        ),
    )
    paper_size = models.CharField(
        max_length=10,
        choices=PaperSize.choices,
        default=PaperSize.LETTER,
        help_text="The page size of the PDF editions.",
    )

    panels = [FieldPanel("license"), FieldPanel("paper_size")]

    class Meta:
        verbose_name = "guide settings"

    @classmethod
    def current(cls, site) -> GuideSettings:
        """The site's settings, or the defaults when editors have not saved any.

        Unlike ``for_site``, reading never creates the row: a reader's request must not
        write to the database (creating it would count as a change readers see, move the
        content generation and queue every edition).
        """
        if site is None:
            return cls()
        return cls.objects.filter(site=site).first() or cls(site=site)

    @property
    def license_info(self) -> License:
        return LICENSES.get(self.license, LICENSES[DEFAULT_LICENSE])
