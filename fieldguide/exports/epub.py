"""EPUB 3 editions with ebooklib: one XHTML file per chapter, a nav document and NCX."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from django.template.loader import render_to_string
from ebooklib import epub

from .content import EditionContent
from .errors import EditionBuildError

STYLESHEET = Path(__file__).resolve().parent / "static" / "exports" / "epub.css"


def _identifier(content: EditionContent) -> str:
    """Stable per guide and edition, so reading systems treat a rebuild as an update."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{content.url}#{content.spec.stem}')}"


def build_epub(content: EditionContent) -> bytes:
    """Render ``content`` (gathered with the chapter-files layout) to EPUB bytes."""
    book = epub.EpubBook()
    book.set_identifier(_identifier(content))
    book.set_title(content.title)
    book.set_language("en")
    book.add_author(content.guide_title)
    book.add_metadata("DC", "publisher", "Fieldguide")
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
