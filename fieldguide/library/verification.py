"""What "Unverified" means, in one place: the rule, the words and the explanation.

A resource is unverified when an editor could not check something about it
(`Resource.verified` is false). `Resource.unverified_part` says what: the work's
details (authors, date, publisher: an accepted reader suggestion starts so) or the
link (the address could not be confirmed to lead to the work). Every place that shows
the mark (section pages, the citation page, the Cite box, the editions and the
downloaded RIS, BibTeX and CSL-JSON) takes its words from `notice_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Resource

#: The anchor of the explanation on the guide's about page (content/default/pages/about.md).
EXPLANATION_ANCHOR = "unverified"


@dataclass(frozen=True)
class VerificationNotice:
    """The mark readers see and the sentence that explains it."""

    part: str
    label: str
    explanation: str

    @property
    def line(self) -> str:
        """Label and explanation as one line, for downloads and plain text."""
        return f"{self.label}: {self.explanation}"


NOTICES = {
    "work": VerificationNotice(
        "work",
        "Unverified details",
        "the editors could not check this work's details (authors, date or publisher) "
        "against the work itself.",
    ),
    "link": VerificationNotice(
        "link",
        "Unverified link",
        "the editors could not confirm that this link leads to the work; the work's "
        "details were checked.",
    ),
}


def notice_for(resource: Resource) -> VerificationNotice | None:
    """The notice for an unverified resource, or None when it was verified."""
    if resource.verified:
        return None
    return NOTICES.get(resource.unverified_part) or NOTICES["work"]
