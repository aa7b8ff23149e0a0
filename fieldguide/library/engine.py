"""citeproc-js (the CSL processor inside Zotero and Mendeley), run in process in V8.

The engine is the npm package ``citeproc`` 2.4.63 (citeproc-js 1.4.61), vendored as
``vendor/citeproc-js/citeproc.js`` with its licence; V8 comes from the ``mini-racer``
wheel, so no Node is needed to serve or test the site. Styles and the en-US locale are
the official CSL files in ``vendor/csl/`` (see ``vendor/README.md``).

One V8 context per process holds the library and one engine per style, each built
the first time its style is asked for (APA and Chicago take 1–2 s of CPU, AMA and
Vancouver ~60 ms; ``bench/citations.py`` prints the figures). A mini-racer context is
not thread-safe and Gunicorn runs threads, so every call into it holds ``_lock``.
An engine that throws is rebuilt before its next entry (its state is not to be trusted).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
LIBRARY_JS = VENDOR / "citeproc-js" / "citeproc.js"
GLUE_JS = HERE / "citeproc_glue.js"
STYLE_DIR = VENDOR / "csl"
LOCALE = "en-US"

#: How long one entry may take before V8 stops it (a pathological item cannot hang a
#: worker thread), and how long building a style may take, in seconds.
RENDER_TIMEOUT = 5.0
BUILD_TIMEOUT = 30.0

Format = Literal["html", "text"]


class CitationEngineError(RuntimeError):
    """citeproc-js could not build a style or render an item."""


class _Engines:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._context = None
        self._built: set[str] = set()

    def _ctx(self):
        if self._context is None:
            from py_mini_racer import MiniRacer

            context = MiniRacer()
            context.eval("var module = {exports: {}}; var exports = module.exports;")
            context.eval(LIBRARY_JS.read_text(encoding="utf-8"), timeout_sec=BUILD_TIMEOUT)
            context.eval(GLUE_JS.read_text(encoding="utf-8"))
            locale = (STYLE_DIR / f"locales-{LOCALE}.xml").read_text(encoding="utf-8")
            context.call("fieldguide.addLocale", LOCALE, locale)
            self._context = context
        return self._context

    def _ensure(self, csl_id: str) -> None:
        if csl_id not in self._built:
            xml = style_path(csl_id).read_text(encoding="utf-8")
            self._ctx().call("fieldguide.build", csl_id, xml, timeout_sec=BUILD_TIMEOUT)
            self._built.add(csl_id)

    def warm(self, csl_id: str) -> None:
        with self._lock:
            self._ensure(csl_id)

    def render(self, csl_id: str, item: dict, fmt: Format) -> str:
        from py_mini_racer import JSEvalException

        with self._lock:
            try:
                self._ensure(csl_id)
                return self._ctx().call(
                    "fieldguide.render", csl_id, item, fmt, timeout_sec=RENDER_TIMEOUT
                )
            except JSEvalException as error:
                # citeproc-js leaves its state half-updated when it throws (the next
                # entry lost its date in a test): build this style afresh next time.
                self._built.discard(csl_id)
                # The JS message can quote the item: keep it out of the exception text
                # that reaches logs; the class says what kind of failure it was.
                raise CitationEngineError(type(error).__name__) from None


_engines = _Engines()


def style_path(csl_id: str) -> Path:
    path = STYLE_DIR / f"{csl_id}.csl"
    if not path.is_file():
        raise CitationEngineError(f"no style file for {csl_id!r}")
    return path


def render_entry(csl_id: str, item: dict, fmt: Format = "html") -> str:
    """citeproc-js's bibliography entry for ``item`` (a CSL-JSON dict) in one style.

    Raw, as citeproc-js writes it: a ``<div class="csl-entry">`` in ``html``, a line in
    ``text``. Raises `CitationEngineError` when the engine fails.
    """
    return _engines.render(csl_id, item, fmt)


def warm(csl_id: str) -> None:
    """Build a style's engine now (the bench measures this cold start)."""
    _engines.warm(csl_id)
