"""The admin import's forms: step 1 (a file or DOIs) and step 2 (a choice per entry)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .formats import FORMATS, count_records, guess_format
from .models import DOI_RE, normalise_doi

MAX_DOIS = 50
_DOI_SEPARATORS = re.compile(r"[\s,;]+")


def max_bytes() -> int:
    return settings.LIBRARY_IMPORT_LIMITS["max_bytes"]


def max_entries() -> int:
    return settings.LIBRARY_IMPORT_LIMITS["max_entries"]


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def too_many_entries(source: str, count: int) -> str:
    """The message for a file over the entry cap (one wording for every check)."""
    return f"{source} has {count} entries; import at most {max_entries()} at a time."


ACTION_LABELS = {
    "skip": "Skip: do not import",
    "merge": "Merge: fill the existing resource's empty fields",
    "add": "Add as a new resource",
}
SKIP_DUPLICATE_LABEL = "Skip: keep the library as it is"


class ImportSourceForm(forms.Form):
    """A reference file in a known format, or a list of DOIs: exactly one of the two."""

    file = forms.FileField(
        required=False,
        label="Reference file",
    )
    format = forms.ChoiceField(
        choices=[("", "Detect from the file")]
        + [(key, label) for key, (label, _, _) in FORMATS.items()],
        required=False,
        label="File format",
    )
    dois = forms.CharField(
        required=False,
        label="Or DOIs",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {MAX_DOIS}, one per line, e.g. 10.1371/journal.pmed.1002680 or "
        "https://doi.org/10.1371/journal.pmed.1002680. Metadata comes from Crossref.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A RIS, BibTeX or CSL-JSON export from Zotero, Mendeley, EndNote and the like, "
            f"at most {_megabytes(max_bytes())} and {max_entries()} entries."
        )

    def clean_file(self) -> dict | None:
        """The upload as {"name", "text"}: a UTF-8 text file under the size limit."""
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        name = upload.name
        if upload.size > max_bytes():
            raise ValidationError(
                f"{name} is {upload.size / 1024 / 1024:.1f} MB; the most is "
                f"{_megabytes(max_bytes())}. Split the export into smaller files."
            )
        data = upload.read()
        if b"\x00" in data:
            raise ValidationError(
                f"{name} is not a text file. Export RIS, BibTeX or CSL-JSON as text."
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise ValidationError(
                f"{name} is not UTF-8 text: line {line} (byte {error.start}) cannot be read. "
                "Export it again with UTF-8 encoding."
            ) from error
        if not text.strip():
            raise ValidationError(f"{name} has no text in it.")
        return {"name": name, "text": text}

    def clean_dois(self) -> list[str]:
        """The distinct DOIs pasted, in order; names each piece that is not a DOI."""
        text = self.cleaned_data.get("dois") or ""
        dois, bad = [], []
        for piece in _DOI_SEPARATORS.split(text.strip()):
            if not piece:
                continue
            doi = normalise_doi(piece)
            if not DOI_RE.match(doi):
                bad.append(piece)
            elif doi.lower() not in {d.lower() for d in dois}:
                dois.append(doi)
        if bad:
            shown = ", ".join(f"“{piece[:60]}”" for piece in bad[:5])
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            raise ValidationError(
                f"Not a DOI: {shown}{more}. A DOI looks like 10.1371/journal.pmed.1002680."
            )
        if len(dois) > MAX_DOIS:
            raise ValidationError(f"{len(dois)} DOIs pasted; import at most {MAX_DOIS} at a time.")
        return dois

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, dois = cleaned.get("file"), cleaned.get("dois")
        if self.errors:
            return cleaned
        if upload and dois:
            raise ValidationError("Upload a file or paste DOIs, not both.")
        if not upload and not dois:
            raise ValidationError("Choose a file to upload, or paste one or more DOIs.")
        if upload:
            fmt = cleaned.get("format") or guess_format(upload["name"], upload["text"])
            if not fmt:
                self.add_error(
                    "format",
                    f"Could not tell what format {upload['name']} is in. "
                    "Choose RIS, BibTeX or CSL-JSON.",
                )
            cleaned["format"] = fmt
            count = count_records(upload["text"], fmt) if fmt else None
            if count is not None and count > max_entries():
                label = FORMATS[fmt][0]
                self.add_error(
                    "file",
                    too_many_entries(f"{upload['name']} ({label})", count)
                    + " Split the export into smaller files.",
                )
        return cleaned


class EntryChoicesForm(forms.Form):
    """Skip, merge or add for each importable entry of a staged import."""

    def __init__(self, *args, rows: list, can_merge: bool, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [a for a in ("skip", "merge", "add") if can_merge or a != "merge"]
        for row in rows:
            if not row.importable:
                continue
            actions = allowed if row.has_duplicate else [a for a in allowed if a != "merge"]
            labels = {**ACTION_LABELS, "skip": SKIP_DUPLICATE_LABEL} if row.has_duplicate else {}
            self.fields[row.field_name] = forms.ChoiceField(
                label=f"Entry {row.index}",
                choices=[(a, labels.get(a, ACTION_LABELS[a])) for a in actions],
                initial=row.default_action if row.default_action in actions else "skip",
                widget=forms.RadioSelect,
            )
