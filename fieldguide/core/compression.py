"""Compress reader pages on the way out (Brotli where accepted, else gzip), never secrets.

BREACH recovers a secret from the compressed size of responses that also reflect
attacker-chosen text. It needs a secret that stays the same across the attacker's many
requests, and such a secret is bound to the reader's credentials. So a response is
compressed only when the request carried no credentials (no session cookie, no
``Authorization``), the response sets no cookie, renders no CSRF token, does not vary on
``Cookie`` and is not under the admin. A search or a place lookup asked without
credentials holds nothing but the words in its own address, so it is compressed even
though it is ``private, no-store``; the same page for a signed-in editor is not.

Pages in the page cache are compressed once per encoding and kept compressed (see
``page_cache``); everything else that qualifies is compressed here, per response.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# Preferred first: Brotli is 15-20% smaller than gzip on these pages.
ENCODINGS = ("br", "gzip")
_TOKEN_RE = re.compile(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([\d.]+))?\s*")


def accepted_encoding(request: HttpRequest) -> str | None:
    """The best encoding the client accepts (``br``, ``gzip``), or None for identity."""
    weights: dict[str, float] = {}
    for item in request.headers.get("Accept-Encoding", "").lower().split(","):
        match = _TOKEN_RE.fullmatch(item)
        if not match:
            continue
        try:
            weights[match.group(1)] = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
    wildcard = weights.get("*", 0.0)
    for encoding in ENCODINGS:
        if weights.get(encoding, wildcard) > 0:
            return encoding
    return None


def compress(body: bytes, encoding: str, *, once: bool = False) -> bytes:
    """``body`` compressed; ``once`` (a cached page) spends more time for fewer bytes."""
    levels = settings.COMPRESSION_LEVELS["cached" if once else "live"]
    if encoding == "br":
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=levels["br"])
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=levels["gzip"], mtime=0)
    raise ValueError(f"unknown content encoding {encoding!r}")


def _compressible_type(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in settings.COMPRESSION_TYPES


def carries_credentials(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers


def may_carry_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """True when the body may hold something an attacker must not learn by its size."""
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    return bool(
        carries_credentials(request)
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was rendered
        or "cookie" in vary
        or "*" in vary
        or request.path_info.startswith(tuple(settings.ADMIN_URL_PREFIXES))
    )


def should_compress(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        not response.streaming
        and response.status_code not in {204, 206, 304}
        and not response.has_header("Content-Encoding")
        and _compressible_type(response)
        and len(response.content) >= settings.COMPRESSION_MIN_BYTES
        and not may_carry_secret(request, response)
    )


def encode(response: HttpResponse, encoding: str, body: bytes) -> HttpResponse:
    """Put the already compressed ``body`` in ``response`` with matching headers."""
    response.content = body
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):
        # A strong validator names one representation: each encoding needs its own.
        response["ETag"] = f'{etag[:-1]}-{encoding}"'
    return response


class CompressionMiddleware:
    """Compress text responses that carry no secret; always say they vary on encoding."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or not _compressible_type(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted_encoding(request)
        if encoding and should_compress(request, response):
            encode(response, encoding, compress(response.content, encoding))
        return response
