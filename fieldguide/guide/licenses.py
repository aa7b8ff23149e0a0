"""The licenses editors can put the guide's own text under, and the paper sizes of editions.

One list for the admin's choices, the footer, the PDF and the EPUB's rights metadata.
The default is CC BY-SA 4.0: a teacher or facilitator may copy, print, adapt and hand
out the guide (a course pack, a translated handout) as long as they credit it and
share their adaptation under the same terms, so the guide's text stays open as it
travels. The license covers the guide's own writing, not the resources it links to,
which belong to their authors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class License:
    code: str
    name: str
    url: str
    summary: str


LICENSES: dict[str, License] = {
    license.code: license
    for license in (
        License(
            "cc-by-sa-4.0",
            "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
            "https://creativecommons.org/licenses/by-sa/4.0/",
            "You may copy, share and adapt it, for any purpose, if you credit the guide and "
            "share your adaptations under the same license.",
        ),
        License(
            "cc-by-4.0",
            "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/",
            "You may copy, share and adapt it, for any purpose, if you credit the guide.",
        ),
        License(
            "cc-by-nc-sa-4.0",
            "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International "
            "(CC BY-NC-SA 4.0)",
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
            "You may copy, share and adapt it, not for commercial purposes, if you credit the "
            "guide and share your adaptations under the same license.",
        ),
        License(
            "cc0-1.0",
            "CC0 1.0 Universal (public domain dedication)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "You may copy, share and adapt it without asking and without credit.",
        ),
        License(
            "all-rights-reserved",
            "All rights reserved",
            "",
            "Ask the editors before copying or adapting it.",
        ),
    )
}
DEFAULT_LICENSE = "cc-by-sa-4.0"
LICENSE_CHOICES = [(code, license.name) for code, license in LICENSES.items()]


class PaperSize(models.TextChoices):
    LETTER = "letter", "US Letter (8.5 × 11 in)"
    A4 = "a4", "A4 (210 × 297 mm)"


# What CSS @page size and the PDF's page box are called for each paper size.
PAGE_SIZES = {PaperSize.LETTER: "letter", PaperSize.A4: "A4"}
