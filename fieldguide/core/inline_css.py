"""The site's stylesheet, inlined into every reader page so it renders in one round trip.

A strict Content-Security-Policy forbids inline styles unless their hash is listed, so
the hash of exactly the bytes we inline is computed once and added to ``style-src``.
Hashes (not nonces) keep cached pages valid: the policy is the same for every response.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders

INLINE_STYLESHEETS = ("core/css/site.css",)


def minify_css(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};:,>])\s*", r"\1", css)
    return css.replace(";}", "}").strip()


@cache
def inline_css(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"Static stylesheet {path!r} was not found")
    return minify_css(Path(found).read_text(encoding="utf-8"))


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_css_hashes() -> list[str]:
    return [csp_hash(inline_css(path)) for path in INLINE_STYLESHEETS]
