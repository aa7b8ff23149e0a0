"""Link states and editor choices; importable without Django's app registry."""

from __future__ import annotations

from django.db import models


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "OK"
    REDIRECTED = "redirected", "Moved permanently"
    # The server answered that the work is gone: 404, 410, a "not found" page, parking.
    BROKEN = "broken", "Broken"
    # No answer about the work itself: DNS, connection, TLS, timeout, 5xx, 429, 401/403.
    UNREACHABLE = "unreachable", "Could not check"
    SUSPICIOUS = "suspicious", "Suspicious"
    ROBOTS = "robots", "Not checked (robots.txt)"
    # The outbound client would not fetch it: a non-public address, or a redirect to one.
    REFUSED = "refused", "Not checked (address refused)"


class BrokenLinkDisplay(models.TextChoices):
    """What readers see beside a resource whose link is confirmed broken."""

    ARCHIVE = "archive", "Show a link to the archived copy"
    NOTE = "note", 'Show a "this link may be broken" note'
    HIDE = "hide", "Hide the link"


#: A link's own choice: the site-wide default, or one of the displays.
SITE_DEFAULT = ""
LINK_DISPLAY_CHOICES = [(SITE_DEFAULT, "The site-wide default"), *BrokenLinkDisplay.choices]


class UsageKind(models.TextChoices):
    RESOURCE_URL = "resource.url", "Resource URL"
    RESOURCE_DOI = "resource.doi", "Resource DOI"
    PROFILE = "profile", "Profile link"
    ACTION_URL = "action.url", "Action link"
    SECTION_TEXT = "section.introduction", "Link in a section introduction"
    ACTION_TEXT = "action.description", "Link in an action description"
    STANDARD_TEXT = "standard.body", "Link in a page"
    GLOSSARY_TEXT = "glossary.definition", "Link in a glossary definition"
