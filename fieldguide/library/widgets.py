"""The admin's "Other citation data": labelled inputs over the CSL-JSON that is stored.

``Resource.csl_extra`` keeps the CSL variables the form has no column for, so imports
and exports lose nothing. Editors are not programmers: the common text variables get
one labelled box each, and only what is left (names, dates, numbers, unknown keys)
appears as CSL-JSON, under its own label.
"""

from __future__ import annotations

import json

from django import forms
from django.utils.html import format_html, format_html_join

#: Text variables of CSL 1.0.2 that a resource has no column for, with their labels.
LABELLED_VARIABLES: dict[str, str] = {
    "title-short": "Short title",
    "original-title": "Original title",
    "abstract": "Abstract",
    "note": "Note (shown in some styles)",
    "section": "Section of a newspaper or code",
    "version": "Version",
    "status": "Status (e.g. in press)",
    "event-title": "Event (conference) name",
    "event-place": "Event place",
    "archive": "Archive",
    "archive_location": "Place in the archive",
    "authority": "Issuing authority",
    "ISBN": "ISBN",
    "ISSN": "ISSN",
    "PMID": "PubMed ID (PMID)",
    "PMCID": "PubMed Central ID (PMCID)",
}
REST_LABEL = "Anything else, as CSL-JSON (names, dates, other variables)"


class CslExtraWidget(forms.Widget):
    """One labelled text input per common variable, and a JSON box for the rest."""

    def format_value(self, value) -> dict:
        if isinstance(value, str):
            try:
                value = json.loads(value or "{}")
            except json.JSONDecodeError:
                return {"__raw__": value}
        return value if isinstance(value, dict) else {}

    def render(self, name, value, attrs=None, renderer=None) -> str:
        data = self.format_value(value)
        base = (attrs or {}).get("id") or f"id_{name}"
        rows = []
        for variable, label in LABELLED_VARIABLES.items():
            current = data.get(variable)
            if current is not None and not isinstance(current, str):
                continue  # shown in the JSON box instead
            rows.append((f"{base}_{variable}", label, f"{name}__{variable}", current or ""))
        labelled = format_html_join(
            "",
            '<div class="w-field__wrapper"><label class="w-field__label" for="{}">{}</label>'
            '<div class="w-field__input"><input type="text" id="{}" name="{}" value="{}">'
            "</div></div>",
            ((i, label, i, n, v) for i, label, n, v in rows),
        )
        rest = data.get("__raw__")
        if rest is None:
            rest_data = {
                k: v
                for k, v in data.items()
                if k not in LABELLED_VARIABLES or not isinstance(v, str)
            }
            rest = json.dumps(rest_data, indent=1, ensure_ascii=False) if rest_data else ""
        return format_html(
            '<div class="fg-csl-extra" id="{}">{}<div class="w-field__wrapper">'
            '<label class="w-field__label" for="{}_rest">{}</label>'
            '<div class="w-field__input"><textarea id="{}_rest" name="{}__rest" rows="3">'
            "{}</textarea></div></div></div>",
            base,
            labelled,
            base,
            REST_LABEL,
            base,
            name,
            rest,
        )

    def value_from_datadict(self, data, files, name) -> str | None:
        if f"{name}__rest" not in data and name in data:
            return data[name]  # a plain JSON post (scripts, older forms)
        rest_text = (data.get(f"{name}__rest") or "").strip()
        try:
            value = json.loads(rest_text) if rest_text else {}
        except json.JSONDecodeError:
            return rest_text  # the JSON field reports the error, and keeps the text
        if not isinstance(value, dict):
            return rest_text
        for variable in LABELLED_VARIABLES:
            typed = (data.get(f"{name}__{variable}") or "").strip()
            if typed:
                value[variable] = typed
        return json.dumps(value, ensure_ascii=False)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return f"{name}__rest" not in data and name not in data
