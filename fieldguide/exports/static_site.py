"""Bake the public site into a folder that any static host or CDN can serve.

Pages are rendered by the real site through Django's test client, then crawled: every
internal ``href``/``src`` found in a baked page (and every ``url()`` in a baked
stylesheet) is fetched and written too, so what is baked is exactly what readers can
reach. Static files are copied from the collected static folder. URLs stay
root-relative and each page is written as ``<path>/index.html``, so the folder must be
served at the root of a host.

What cannot work on a static host is replaced: the contact page (a static copy cannot
take form posts) tells readers how to reach the editors, any other form that posts
becomes a short notice, and search runs in the browser over a small prebuilt index
(``/search/index.json``) with a self-hosted script, and lists every section for readers
without JavaScript.

A static host sends no headers of ours, so every baked HTML page carries the reader
Content-Security-Policy in a ``<meta http-equiv>`` tag (`csp_meta_policy`: the live
policy without what a meta tag cannot set), and ``/_headers`` (the Netlify and
Cloudflare Pages format) gives hosts that read it the full policy and the other
security headers the live site sends (`headers_file`).
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import tempfile
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.utils.html import format_html, strip_tags
from wagtail.models import Page, Site

from fieldguide.guide.models import (
    ContactPage,
    GlossaryPage,
    GlossaryTerm,
    GuideHomePage,
    StandardPage,
)

MARKER = ".fieldguide-static"
SEARCH_PATH = "/search/"
SEARCH_INDEX_PATH = "/search/index.json"
NOT_FOUND_PROBE = "/fieldguide-static-404-probe/"
POST_FORM_RE = re.compile(r"<form\b[^>]*\bmethod=[\"']?post\b.*?</form>", re.I | re.S)
STATIC_FORM_NOTICE = (
    '<p class="notice">This copy of the guide is a static site, so it cannot send forms. '
    "See the contact page for how to reach the editors.</p>"
)
# A form that needs the live server (a GET lookup) marks itself with the page a static
# copy should offer instead: data-static-href="…" data-static-label="…".
SERVER_FORM_RE = re.compile(
    r"<form\b(?=[^>]*\bdata-static-href=\"(?P<href>[^\"]*)\")"
    r"(?=[^>]*\bdata-static-label=\"(?P<label>[^\"]*)\")[^>]*>.*?</form>",
    re.I | re.S,
)
SERVER_FORM_NOTICE = (
    '<p class="notice static-form-notice">This copy of the site is static, so it cannot '
    'look places up. <a href="{href}">{label}</a></p>'
)
CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
LINK_ATTRIBUTES = {"href", "src"}
SKIP_PREFIXES = ("/admin/", "/django-admin/")
HEADERS_PATH = "/_headers"
# Directives a <meta> policy cannot carry (browsers ignore them there, with a warning);
# reporting endpoints do not exist on a static host either.
META_IGNORED_DIRECTIVES = {"frame-ancestors", "report-uri", "report-to", "sandbox"}
HEAD_RE = re.compile(r"<head\b[^>]*>", re.I)
CHARSET_RE = re.compile(r"<meta\s+charset=[^>]*>", re.I)


class BakeError(Exception):
    """The site could not be baked into the folder given; the message says why."""


@dataclass
class BakeReport:
    output: Path
    pages: int = 0
    files: int = 0
    total_bytes: int = 0
    broken: list[tuple[str, str, int]] = field(default_factory=list)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value:
                self.links.append(value.strip())


def html_links(html: str) -> list[str]:
    parser = _LinkParser()
    parser.feed(html)
    return parser.links


def internal_path(base: str, link: str) -> str | None:
    """The site path ``link`` (found on page ``base``) points to, or None if external."""
    if not link or link.startswith(("#", "//")) or urlsplit(link).scheme:
        return None
    return urlsplit(urljoin(base, link)).path or "/"


def output_file(root: Path, path: str) -> Path:
    """Where the resource at site ``path`` is written: directories get an index.html."""
    clean = posixpath.normpath(path)
    if clean.startswith("/.."):
        raise BakeError(f"Refusing to write outside the output folder: {path}")
    relative = clean.lstrip("/")
    if path.endswith("/") or not relative:
        relative = posixpath.join(relative, "index.html")
    return root / relative


def without_post_forms(html: str) -> str:
    """Replace forms that post (suggestions, messages) with a notice: nothing on a
    static host could receive them. Forms that need the server to answer a GET (the
    atlas lookup) become a note with the link they name (already escaped HTML)."""
    html = SERVER_FORM_RE.sub(
        lambda m: SERVER_FORM_NOTICE.format(href=m["href"], label=m["label"]), html
    )
    return POST_FORM_RE.sub(STATIC_FORM_NOTICE, html)


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


def full_policy() -> str:
    """The live reader Content-Security-Policy (with its inline-style hashes)."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return _policy({k: v for k, v in directives.items() if k not in {"report-uri", "report-to"}})


def csp_meta_policy() -> str:
    """The reader policy as a ``<meta>`` tag can enforce it (no frame-ancestors)."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return _policy({k: v for k, v in directives.items() if k not in META_IGNORED_DIRECTIVES})


def with_csp_meta(html: str) -> str:
    """``html`` with the policy as the first thing after ``<meta charset>`` in its head
    (a meta policy governs only what comes after it)."""
    tag = format_html('<meta http-equiv="Content-Security-Policy" content="{}">', csp_meta_policy())
    anchor = CHARSET_RE.search(html) or HEAD_RE.search(html)
    if anchor is None:
        raise BakeError("A baked page has no <head> to put its Content-Security-Policy in.")
    return f"{html[: anchor.end()]}{tag}{html[anchor.end() :]}"


def headers_file() -> str:
    """``_headers`` for Netlify and Cloudflare Pages: what the live site sends readers."""
    headers = {
        "Content-Security-Policy": full_policy(),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
    }
    lines = ["# Security headers for static hosts that read _headers (Netlify, Cloudflare).", "/*"]
    lines += [f"  {name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


def _text(html: str, limit: int = 6000) -> str:
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()[:limit]


def search_index(home: GuideHomePage) -> list[dict[str, str]]:
    """What the in-browser search looks through: sections, pages and glossary terms."""
    entries: list[dict[str, str]] = []
    for section in home.sections():
        text = " ".join(
            [
                _text(section.introduction),
                *(q.text for q in section.questions.all()),
                *(a.title for a in section.actions.all()),
                *(
                    item.resource.title
                    for item in section.selected_resources.select_related("resource")
                ),
            ]
        )
        entries.append(
            {"title": section.title, "url": section.url, "summary": section.summary, "text": text}
        )
    for page in StandardPage.objects.child_of(home).live().public():
        entries.append(
            {"title": page.title, "url": page.url, "summary": "", "text": _text(page.body)}
        )
    glossary = GlossaryPage.objects.child_of(home).live().public().first()
    if glossary is not None:
        for term in GlossaryTerm.objects.all():
            entries.append(
                {
                    "title": term.term,
                    "url": f"{glossary.url}#{term.slug}",
                    "summary": "Glossary",
                    "text": f"{term.aliases} {_text(term.definition)}",
                }
            )
    return entries


class SiteBaker:
    """Renders and crawls the default site's guide into ``output``."""

    def __init__(self, output: Path, contact_url: str = "", contact_email: str = ""):
        self.output = output
        self.contact_url = contact_url
        self.contact_email = contact_email
        self.client = Client()
        self.factory = RequestFactory()

    def _guide(self) -> GuideHomePage:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        root = site.root_page.specific if site else None
        if not isinstance(root, GuideHomePage) or not root.live:
            raise BakeError("The default site has no published guide home page to bake.")
        return root

    def _check_output(self) -> None:
        if self.output.exists() and not self.output.is_dir():
            raise BakeError(f"{self.output} is a file, not a folder.")
        if (
            self.output.is_dir()
            and any(self.output.iterdir())
            and not (self.output / MARKER).exists()
        ):
            raise BakeError(
                f"{self.output} is not empty and was not made by bake_static; "
                "choose an empty or new folder so nothing in it is lost."
            )

    def _render(self, template: str, path: str, context: dict) -> str:
        request = self.factory.get(path)
        request.user = AnonymousUser()
        return render_to_string(template, context, request=request)

    def _special_pages(self, home: GuideHomePage) -> dict[str, str]:
        pages: dict[str, str] = {}
        for contact in ContactPage.objects.child_of(home).live().public():
            pages[contact.url] = self._render(
                "exports/static_contact.html",
                contact.url,
                {
                    "page": contact,
                    "contact_url": self.contact_url,
                    "contact_email": self.contact_email,
                },
            )
        pages[SEARCH_PATH] = self._render(
            "exports/static_search.html", SEARCH_PATH, {"search_index_url": SEARCH_INDEX_PATH}
        )
        return pages

    def _write(self, path: str, data: bytes, report: BakeReport) -> None:
        target = output_file(self.work, path)
        if target.suffix == ".html":
            data = with_csp_meta(data.decode()).encode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        report.files += 1
        report.total_bytes += len(data)

    def _fetch(self, path: str) -> tuple[int, bytes, str]:
        if path.startswith(settings.STATIC_URL):
            source = Path(settings.STATIC_ROOT) / path[len(settings.STATIC_URL) :]
            if source.is_file() and Path(settings.STATIC_ROOT) in source.resolve().parents:
                content_type = "text/css" if source.suffix == ".css" else "application/octet-stream"
                return 200, source.read_bytes(), content_type
            return 404, b"", ""
        response = self.client.get(path)
        if response.status_code != 200:
            return response.status_code, b"", ""
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            body = without_post_forms(body.decode()).encode()
        return 200, body, content_type

    def _links_in(self, path: str, body: bytes, content_type: str) -> list[str]:
        if content_type.startswith("text/html"):
            found = html_links(body.decode("utf-8", "replace"))
        elif content_type.startswith("text/css"):
            found = CSS_URL_RE.findall(body.decode("utf-8", "replace"))
        else:
            return []
        return [p for p in (internal_path(path, link) for link in found) if p is not None]

    def _crawl(self, home: GuideHomePage, report: BakeReport) -> None:
        special = self._special_pages(home)
        pages = Page.objects.descendant_of(home, inclusive=True).live().public().specific()
        queue: deque[tuple[str, str]] = deque((page.url, "(page tree)") for page in pages)
        queue.append((SEARCH_PATH, "(search)"))
        seen: set[str] = set()
        while queue:
            path, referrer = queue.popleft()
            if path in seen or path.startswith(SKIP_PREFIXES):
                continue
            seen.add(path)
            if path in special:
                status, body, content_type = 200, special[path].encode(), "text/html"
            else:
                status, body, content_type = self._fetch(path)
            if status != 200:
                report.broken.append((referrer, path, status))
                continue
            self._write(path, body, report)
            report.pages += content_type.startswith("text/html")
            queue.extend((link, path) for link in self._links_in(path, body, content_type))

    def _write_extras(self, home: GuideHomePage, report: BakeReport) -> None:
        index = json.dumps(search_index(home), ensure_ascii=False, separators=(",", ":"))
        self._write(SEARCH_INDEX_PATH, index.encode(), report)
        response = self.client.get(NOT_FOUND_PROBE)
        if response.status_code == 404:
            self._write("/404.html", response.content, report)
        self._write(HEADERS_PATH, headers_file().encode(), report)
        (self.work / MARKER).write_text("Baked by manage.py bake_static; safe to replace.\n")

    def bake(self) -> BakeReport:
        self._check_output()
        home = self._guide()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-", dir=self.output.parent))
        report = BakeReport(self.output)
        try:
            with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                self._crawl(home, report)
                self._write_extras(home, report)
        except BaseException:
            shutil.rmtree(self.work, ignore_errors=True)
            raise
        if self.output.exists():
            shutil.rmtree(self.output)
        self.work.rename(self.output)
        self.output.chmod(0o755)
        return report
