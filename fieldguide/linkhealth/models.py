"""The state of every external link the guide shows, and the history of its checks."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from fieldguide.core import outbound

from .choices import LINK_DISPLAY_CHOICES, SITE_DEFAULT, BrokenLinkDisplay, LinkStatus, UsageKind

__all__ = [
    "PROBLEM_STATUSES",
    "BrokenLinkDisplay",
    "Link",
    "LinkCheck",
    "LinkHealthSettings",
    "LinkStatus",
    "LinkUsage",
    "UsageKind",
]

WAYBACK = "https://web.archive.org/web/{stamp}/{url}"
# What editors are asked to look at (unless they dismissed it); readers are warned about
# fewer: only links confirmed broken (see Link.confirmed_broken_at). "Could not check"
# is not here: it says nothing about the work and is simply tried again.
PROBLEM_STATUSES = (
    LinkStatus.BROKEN,
    LinkStatus.REDIRECTED,
    LinkStatus.SUSPICIOUS,
    LinkStatus.REFUSED,
)


@register_setting(icon="link")
class LinkHealthSettings(BaseGenericSetting):
    """Site-wide link-health choices editors make (Settings → Link health)."""

    broken_display = models.CharField(
        "when a link is confirmed broken, readers see",
        max_length=10,
        choices=BrokenLinkDisplay.choices,
        default=BrokenLinkDisplay.ARCHIVE,
        help_text="Each link can override this on its own page in Link health.",
    )

    class Meta:
        verbose_name = "Link health"


class LinkQuerySet(models.QuerySet):
    def in_use(self) -> LinkQuerySet:
        return self.filter(usages__isnull=False).distinct()

    def needs_attention(self) -> LinkQuerySet:
        """Problem links editors have not dismissed."""
        return self.filter(status__in=PROBLEM_STATUSES, dismissed_at__isnull=True)

    def shown_broken(self) -> LinkQuerySet:
        """Links readers are told are broken: confirmed, and not dismissed by an editor."""
        return self.filter(confirmed_broken_at__isnull=False, dismissed_at__isnull=True)


class Link(models.Model):
    """One external URL and its current state; keyed by URL, never by the object using it."""

    url = models.CharField("URL", max_length=2000, unique=True)
    host = models.CharField(max_length=255, db_index=True)
    status = models.CharField(
        max_length=12, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED, db_index=True
    )
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField("final URL", max_length=2000, blank=True)
    redirect_chain = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    broken_display = models.CharField(
        "when broken, readers see",
        max_length=10,
        choices=LINK_DISPLAY_CHOICES,
        default=SITE_DEFAULT,
        blank=True,
    )
    # The two-checks rule: the current run of "broken" answers (reset by a good answer,
    # kept through "could not check"), and when it was confirmed for readers.
    broken_since = models.DateTimeField(null=True, blank=True)
    broken_checks = models.PositiveSmallIntegerField(default=0)
    confirmed_broken_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # An editor looked and dismissed it; holds until a check gives another answer
    # about the work ("could not check" is not one).
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_status = models.CharField(max_length=12, choices=LinkStatus.choices, blank=True)
    # Internet Archive Save Page Now: the request, and the copy once it is known.
    archive_requested_at = models.DateTimeField(null=True, blank=True)
    archive_job = models.CharField(max_length=100, blank=True)
    archive_note = models.CharField(max_length=300, blank=True)
    archived_url = models.CharField("archived copy", max_length=2300, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url

    def save(self, *args, **kwargs) -> None:
        self.host = (urlsplit(self.url).hostname or "")[:255]
        super().save(*args, **kwargs)

    @property
    def is_permanent_redirect(self) -> bool:
        """Moved permanently to an address the outbound client would fetch.

        Checks the target as written only (no lookup); the update itself checks its
        addresses too. A record from before the client refused internal addresses may
        hold such a target, and must not be offered.
        """
        if self.status != LinkStatus.REDIRECTED or not self.final_url:
            return False
        try:
            outbound.validate_url(self.final_url)
        except outbound.OutboundRefused:
            return False
        return True

    @property
    def archive_url(self) -> str:
        """The archived copy: the one saved for us, else the Internet Archive's snapshot
        nearest the last good check, else any."""
        if self.archived_url:
            return self.archived_url
        stamp = self.last_ok_at.strftime("%Y%m%d%H%M%S") if self.last_ok_at else "*"
        return WAYBACK.format(stamp=stamp, url=self.url)

    @property
    def is_dismissed(self) -> bool:
        return self.dismissed_at is not None

    @property
    def awaiting_confirmation(self) -> bool:
        """Broken, but not yet on two checks far enough apart to tell readers."""
        return self.status == LinkStatus.BROKEN and self.confirmed_broken_at is None

    def display_for_readers(self, site_default: str) -> str:
        return self.broken_display or site_default


class LinkCheck(models.Model):
    """One visit of a link by the checker, kept as history."""

    link = models.ForeignKey(Link, related_name="checks", on_delete=models.CASCADE)
    checked_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=12, choices=LinkStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField("final URL", max_length=2000, blank=True)
    redirect_chain = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=8, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    duration_ms = models.PositiveIntegerField(default=0)
    text_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="Characters of visible text, to spot pages that shrink."
    )

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.link.url} {self.status} at {self.checked_at:%Y-%m-%d %H:%M}"


class LinkUsage(models.Model):
    """Where a link appears; rebuilt from the content before each run."""

    link = models.ForeignKey(Link, related_name="usages", on_delete=models.CASCADE)
    kind = models.CharField(max_length=24, choices=UsageKind.choices)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    label = models.CharField(max_length=300)
    section = models.ForeignKey(
        "guide.SectionPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["kind", "label"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"
