"""EPUB 3 editions with ebooklib: one XHTML file per chapter, a nav document and NCX."""

from __future__ import annotations

import io
import textwrap
import uuid
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.html import escape
from ebooklib import epub

from .content import EditionContent
from .errors import EditionBuildError

STYLESHEET = Path(__file__).resolve().parent / "static" / "exports" / "epub.css"


def _identifier(content: EditionContent) -> str:
    """Stable per guide and edition, so reading systems treat a rebuild as an update."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{content.url}#{content.spec.stem}')}"


# schema.org accessibility metadata (EPUB Accessibility 1.1): what the book is made of
# and which features it has. Every chapter is text with real headings, a nav document
# with every chapter, and a reading order that follows the page order.
ACCESSIBILITY = [
    ("schema:accessMode", "textual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityHazard", "none"),
    (
        "schema:accessibilitySummary",
        "Text with headings for every part, a table of contents and links between the "
        "sections, the glossary and the list of resources. The cover image repeats the "
        "title in text. No audio, video or flashing content.",
    ),
]


SANS = 'font-family="sans-serif"'


def cover_svg(content: EditionContent) -> bytes:
    """An ink-light cover image with the title in text (readers show it in their library)."""
    lines = textwrap.wrap(content.title, 22)[:5]
    title = "".join(
        f'<tspan x="80" dy="{0 if i == 0 else 78}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    guide = escape(content.guide_title) if content.spec.kind != "guide" else ""
    label = escape(content.edition_label)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1800" '
        'viewBox="0 0 1200 1800" role="img" aria-label="Cover: '
        f'{escape(content.title)}">'
        '<rect width="1200" height="1800" fill="#ffffff"/>'
        '<rect x="80" y="300" width="1040" height="6" fill="#0b5f59"/>'
        f'<text x="80" y="260" {SANS} font-size="40" fill="#333333">{guide}</text>'
        f'<text x="80" y="420" {SANS} font-size="68" font-weight="bold" fill="#07423e">'
        f"{title}</text>"
        f'<text x="80" y="1640" {SANS} font-size="40" fill="#333333">{label}</text>'
        "</svg>"
    ).encode()


def build_epub(content: EditionContent) -> bytes:
    """Render ``content`` (gathered with the chapter-files layout) to EPUB bytes."""
    book = epub.EpubBook()
    book.set_identifier(_identifier(content))
    book.set_title(content.title)
    book.set_language("en")
    book.add_author(content.guide_title)
    book.add_metadata("DC", "publisher", "Fieldguide")
    if content.license:
        rights = content.license.name + (f" ({content.license.url})" if content.license.url else "")
        book.add_metadata("DC", "rights", rights)
    if content.url:
        book.add_metadata("DC", "source", content.url)
    for prop, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.set_cover("cover.svg", cover_svg(content), create_page=False)
    style = epub.EpubItem(
        uid="style",
        file_name="style/edition.css",
        media_type="text/css",
        content=STYLESHEET.read_bytes(),
    )
    book.add_item(style)

    title_page = epub.EpubHtml(title=content.title, file_name="title.xhtml", lang="en")
    title_page.content = render_to_string("exports/epub/title.html", {"edition": content})
    title_page.add_item(style)
    book.add_item(title_page)

    chapters = []
    for chapter in content.chapters:
        item = epub.EpubHtml(title=chapter.title, file_name=chapter.href, lang="en")
        item.content = render_to_string(
            "exports/epub/chapter.html", {"edition": content, "chapter": chapter}
        )
        item.add_item(style)
        book.add_item(item)
        chapters.append(item)

    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [title_page, "nav", *chapters]

    buffer = io.BytesIO()
    options = {"raise_exceptions": True}
    if content.updated_at:
        options["mtime"] = content.updated_at
    try:
        epub.write_epub(buffer, book, options)
    except (OSError, ValueError) as error:
        raise EditionBuildError(
            f"{content.spec.filename}: could not write the EPUB: {error}"
        ) from error
    return buffer.getvalue()
