"""Content-Security-Policy violation reports, kept as daily counts and nothing else.

Browsers post reports in two shapes: ``report-uri`` sends one ``{"csp-report": {...}}``
object, the Reporting API (``report-to`` with ``Reporting-Endpoints``) a list of
``{"type": "csp-violation", "body": {...}}``. Each report is reduced to three public
facts: the directive, what was blocked (an origin's scheme and host, a keyword such as
``inline`` or ``eval``, or a bare scheme like ``data:``), and the page's path without its
query. Addresses, user agents, full URLs, sample code and everything else are dropped
before anything is stored. Anyone can post here, so every value is checked against a
strict pattern and unknown ones are counted as ``other``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CspReport

OTHER = "other"
MAX_REPORTS_PER_BODY = 20
DIRECTIVES = frozenset(
    {
        "default-src",
        "script-src",
        "script-src-elem",
        "script-src-attr",
        "style-src",
        "style-src-elem",
        "style-src-attr",
        "img-src",
        "font-src",
        "connect-src",
        "media-src",
        "object-src",
        "frame-src",
        "child-src",
        "worker-src",
        "manifest-src",
        "fenced-frame-src",
        "form-action",
        "frame-ancestors",
        "base-uri",
        "navigate-to",
        "prefetch-src",
        "require-trusted-types-for",
        "trusted-types",
        "sandbox",
        "upgrade-insecure-requests",
        "webrtc",
    }
)
KEYWORDS = frozenset(
    {"inline", "eval", "wasm-eval", "self", "trusted-types-policy", "trusted-types-sink"}
)
WEB_SCHEMES = frozenset({"http", "https", "ws", "wss"})
HOST_PATTERN = re.compile(r"[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\]")
SCHEME_PATTERN = re.compile(r"[a-z][a-z0-9+.-]{0,30}")
PATH_PATTERN = re.compile(r"/[A-Za-z0-9._~%/-]{0,199}")
TOO_MANY_KINDS = "(too many kinds today)"


class ReportError(ValueError):
    """The body is not a CSP report in either shape."""


def _directive(value: object) -> str:
    words = str(value or "").split()
    name = words[0].lower() if words else ""
    return name if name in DIRECTIVES else OTHER


def _blocked(value: object) -> str:
    text = str(value or "").strip()
    if not text:
        return "(none)"
    if text.lower() in KEYWORDS:
        return text.lower()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return OTHER
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        host = (parts.hostname or "").lower()
        if parts.netloc.startswith("[") and host:
            host = f"[{host}]"
        if not HOST_PATTERN.fullmatch(host):
            return OTHER
        return f"{scheme}://{host}{f':{port}' if port else ''}"
    if SCHEME_PATTERN.fullmatch(scheme):
        # data:, blob:, chrome-extension: ... the scheme alone; an extension's id or a
        # data URL's contents would say something about the reader.
        return f"{scheme}:"
    return OTHER


def _path(value: object) -> str:
    try:
        path = urlsplit(str(value or "")).path
    except ValueError:
        return OTHER
    return path if PATH_PATTERN.fullmatch(path) else OTHER


def parse_reports(body: bytes) -> list[tuple[str, str, str]]:
    """(directive, blocked, path) for each report in a posted body."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise ReportError("not JSON") from error
    items: Iterable[object]
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        report = data["csp-report"]
        items = [
            (
                report.get("effective-directive") or report.get("violated-directive"),
                report.get("blocked-uri"),
                report.get("document-uri"),
            )
        ]
    elif isinstance(data, list):
        items = [
            (
                entry["body"].get("effectiveDirective"),
                entry["body"].get("blockedURL"),
                entry["body"].get("documentURL") or entry.get("url"),
            )
            for entry in data[:MAX_REPORTS_PER_BODY]
            if isinstance(entry, dict)
            and entry.get("type") == "csp-violation"
            and isinstance(entry.get("body"), dict)
        ]
    else:
        raise ReportError("neither a csp-report object nor a list of reports")
    return [(_directive(d), _blocked(b), _path(p)) for d, b, p in items]


def _increment(day: datetime.date, directive: str, blocked: str, path: str) -> bool:
    rows = CspReport.objects.filter(day=day, directive=directive, blocked=blocked, path=path)
    return bool(rows.update(count=F("count") + 1))


def record(kinds: list[tuple[str, str, str]]) -> None:
    """Add one to today's count for each kind; a new kind past the day's cap is folded."""
    today = timezone.now().date()
    for directive, blocked, path in kinds:
        if _increment(today, directive, blocked, path):
            continue
        if CspReport.objects.filter(day=today).count() >= settings.CSP_REPORT_MAX_KINDS_PER_DAY:
            directive, blocked, path = OTHER, OTHER, TOO_MANY_KINDS
            if _increment(today, directive, blocked, path):
                continue
        CspReport.objects.filter(
            day__lt=today - datetime.timedelta(days=settings.CSP_REPORT_DAYS)
        ).delete()
        try:
            with transaction.atomic():
                CspReport.objects.create(
                    day=today, directive=directive, blocked=blocked, path=path, count=1
                )
        except IntegrityError:
            # Another request created the row first.
            _increment(today, directive, blocked, path)
