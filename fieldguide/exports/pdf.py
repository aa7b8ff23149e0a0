"""PDF editions with WeasyPrint: tagged (PDF/UA-1), with an outline from h1/h2.

WeasyPrint's default fetcher fetches remote URLs. Editions need nothing from outside:
the stylesheet is passed in as a string and the fetcher refuses every protocol but
``data:``, failing the build rather than logging, so a build never touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .content import EditionContent
from .errors import EditionBuildError

STYLESHEET = Path(__file__).resolve().parent / "static" / "exports" / "edition.css"
PDF_VARIANT = "pdf/ua-1"


def offline_fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


@lru_cache(maxsize=1)
def _stylesheet_text() -> str:
    return STYLESHEET.read_text()


def render_pdf_html(content: EditionContent) -> str:
    return render_to_string("exports/pdf.html", {"edition": content})


# The cover fills its page (margin 0), so it is as tall as the paper.
PAGE_HEIGHTS = {"letter": "279.4mm", "A4": "297mm"}


def page_css(content: EditionContent) -> str:
    """The paper the editors chose (guide settings): US Letter by default, or A4."""
    size = content.page_size
    return f"@page {{ size: {size}; }} .cover {{ height: {PAGE_HEIGHTS[size]}; }}"


def build_pdf(content: EditionContent) -> bytes:
    """Render ``content`` (gathered with the single-document layout) to PDF bytes."""
    fetcher = offline_fetcher()
    html = HTML(string=render_pdf_html(content), base_url=content.url or None, url_fetcher=fetcher)
    stylesheet = CSS(string=_stylesheet_text(), url_fetcher=fetcher)
    paper = CSS(string=page_css(content), url_fetcher=fetcher)
    try:
        return html.write_pdf(
            stylesheets=[stylesheet, paper],
            pdf_variant=PDF_VARIANT,
            pdf_identifier=content.spec.filename.encode(),
            custom_metadata=True,
        )
    except FatalURLFetchingError as error:
        raise EditionBuildError(
            f"{content.spec.filename}: the edition refers to an outside file: {error}"
        ) from error
