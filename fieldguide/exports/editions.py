"""The editions a guide offers, and the names they are downloaded under."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class EditionKind(StrEnum):
    GUIDE = "guide"
    SECTION = "section"
    DISCUSSION = "discussion"


class EditionFormat(StrEnum):
    PDF = "pdf"
    EPUB = "epub"


CONTENT_TYPES = {
    EditionFormat.PDF: "application/pdf",
    EditionFormat.EPUB: "application/epub+zip",
}
FORMAT_LABELS = {EditionFormat.PDF: "PDF", EditionFormat.EPUB: "EPUB"}
SLUG_RE = re.compile(r"^[-\w]{1,255}$")


@dataclass(frozen=True)
class EditionSpec:
    """One downloadable file: which edition, in which format."""

    kind: EditionKind
    fmt: EditionFormat
    section_slug: str = ""

    def __post_init__(self) -> None:
        if (self.kind == EditionKind.SECTION) != bool(self.section_slug):
            raise ValueError("A section edition needs a section slug, and only it.")
        if self.section_slug and not SLUG_RE.match(self.section_slug):
            raise ValueError(f"Not a section slug: {self.section_slug!r}")

    @property
    def stem(self) -> str:
        """The file name without its extension, unique within a guide."""
        if self.kind == EditionKind.SECTION:
            return f"section-{self.section_slug}"
        return "discussion-guide" if self.kind == EditionKind.DISCUSSION else "guide"

    @property
    def filename(self) -> str:
        return f"{self.stem}.{self.fmt}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    @property
    def url_path(self) -> str:
        """Where the reader site serves it (see exports.urls)."""
        if self.kind == EditionKind.SECTION:
            return f"/editions/sections/{self.section_slug}.{self.fmt}"
        return f"/editions/{self.stem}.{self.fmt}"


def guide_specs(section_slugs: list[str]) -> list[EditionSpec]:
    """Every edition of a guide with these sections, in every format."""
    specs = []
    for fmt in EditionFormat:
        specs.append(EditionSpec(EditionKind.GUIDE, fmt))
        specs.append(EditionSpec(EditionKind.DISCUSSION, fmt))
        specs.extend(EditionSpec(EditionKind.SECTION, fmt, slug) for slug in section_slugs)
    return specs
