"""Two narrow fixes to citeproc-py 0.11.1, applied once when citations are first rendered.

Both make citeproc-py follow the CSL 1.0.2 specification where it does not; each is
covered by a test that renders a style guide's own example (tests/library/test_citations.py).

1. `initialize="false"` on cs:name is ignored: citeproc-py initialises given names
   whenever `initialize-with` is set (inherited from the style). Chicago author-date
   sets `initialize-with=". "` on the style and `initialize="false"` on the
   bibliography's names, so "Platt, Lucy" came out as "Platt, L.". The spec: with
   initialize="false", given names are kept in full (only existing initials are
   normalised).
2. Localised dates (`<date form="text">` using a cs:date defined in the style's or the
   locale's cs:locale) are joined with the *calling* element's delimiter, which is empty,
   so NLM/Vancouver printed "2018Dec11". The spec: the localised date format's own
   delimiter applies; only affixes come from the calling element.
3. `text-case` on cs:label is skipped when the item has no language (the library
   treats "no language" as "not English"), so APA printed "(eds.)" for "(Eds.)". The
   spec: an item without a language is in the style's default locale (en here).
4. `is-numeric` only accepts a single number, so "18-2424" was not numeric and APA
   left out "No." in "(NIH Publication No. 18-2424)". The spec: numbers separated by
   hyphens, commas or ampersands are numeric.
5. Having made "18-2424" numeric, its label became plural ("Nos."). A report number
   is one identifier: for the `number` variable only a comma, ampersand or "and"
   marks several numbers; a hyphen does not (APA: "NIH Publication No. 18-2424").
"""

from __future__ import annotations

import re

from citeproc import model

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True

    # "initialize" is an inheritable name option the library does not know about.
    model.CitationStylesElement._default_options.setdefault("initialize", "true")
    original_initialize = model.Name.initialize

    def initialize(self, given, mark, context):
        if str(self.get_option("initialize", context) or "true").lower() == "false":
            return given
        return original_initialize(self, given, mark, context)

    model.Name.initialize = initialize

    def render_single_date(self, date, show_parts=None, context=None):
        if context != self:
            parts = self.parts(date, show_parts, context)
        else:
            parts = self.parts(date, show_parts)
        if not parts:
            return None
        return self.join(parts)

    model.Date.render_single_date = render_single_date

    original_case = model.TextCased.case

    def case(self, text, language=None):
        return original_case(self, text, "en" if language is None else language)

    model.TextCased.case = case

    original_is_plural = model.Label._is_plural

    def _is_plural(self, item):
        if self.get("variable") == "number":
            try:
                value = str(item.reference["number"])
            except Exception:
                return False
            return bool(re.search(r"\d\s*(?:,|&|\band\b)\s*\S", value))
        return original_is_plural(self, item)

    model.Label._is_plural = _is_plural

    model.If.re_numeric = re.compile(
        r"^[A-Z]*\d+[A-Z]*(?:\s*[-–,&]\s*[A-Z]*\d+[A-Z]*)*$", re.IGNORECASE
    )
