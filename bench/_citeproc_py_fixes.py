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

Two speed fixes: citeproc-py looks every macro up with an XPath query over the whole
style, and every cs:group asks, for each item, whether each child (recursively through
macros) calls a variable: ~20,000 XPath queries and ~90,000 calls for 44 Chicago
items. Profiling bench/citations.py put half the rendering time in the queries. Both
answers depend only on the style, so `_index_macros` indexes macros by name once per
style and `_remember_calls_variable` remembers each element's answer.
"""

from __future__ import annotations

import re

from citeproc import model

CSL_MACRO = "{http://purl.org/net/xbiblio/csl}macro"
_applied = False
# Style root element -> {macro name: macro element}. Holding the root keeps lxml's
# proxy object (and so this key) alive; there is one entry per parsed style.
_macros: dict = {}


def _index_macros() -> None:
    def get_macro(self, name):
        root = self.get_root()
        macros = _macros.get(root)
        if macros is None:
            macros = {}
            for macro in root.iterchildren(CSL_MACRO):
                macros.setdefault(macro.get("name"), macro)
            _macros[root] = macros
        try:
            return macros[name]
        except KeyError:
            raise IndexError(f"no CSL macro named {name!r}") from None

    model.CitationStylesElement.get_macro = get_macro


# Style element -> whether it (or a macro it calls) renders a CSL variable.
_calls_variable: dict = {}


def _remember_calls_variable() -> None:
    for cls in (model.Parent, model.Text):

        def calls_variable(self, _original=cls.calls_variable):
            try:
                return _calls_variable[self]
            except KeyError:
                answer = _calls_variable[self] = _original(self)
                return answer

        cls.calls_variable = calls_variable


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _index_macros()
    _remember_calls_variable()

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
