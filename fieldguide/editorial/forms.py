"""Forms readers and editors fill in: a resource suggestion, a review, a decision."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from fieldguide.core import outbound
from fieldguide.guide.contact import HONEYPOT
from fieldguide.library.models import normalise_doi, validate_doi

from .models import ResourceSuggestion


class SuggestionForm(forms.Form):
    url = forms.URLField(
        label="Web address (URL)",
        max_length=ResourceSuggestion._meta.get_field("url").max_length,
        required=False,
        assume_scheme="https",
        help_text="Where readers can find it, e.g. https://www.example.org/report.",
        error_messages={"invalid": "Enter a full web address starting with https://."},
    )
    doi = forms.CharField(
        label="DOI (for an article or report that has one)",
        max_length=ResourceSuggestion._meta.get_field("doi").max_length,
        required=False,
        help_text="e.g. 10.1371/journal.pmed.1002680",
    )
    reason = forms.CharField(
        label="Why it fits this section",
        max_length=ResourceSuggestion._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell the editors why it fits this section."},
    )
    email = forms.EmailField(
        label="Your email (optional)",
        max_length=ResourceSuggestion._meta.get_field("email").max_length,
        required=False,
        help_text="Only if you would like to hear what the editors decide.",
        error_messages={
            "invalid": "Enter an email address like name@example.org, or leave it empty."
        },
    )
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        """Point each field with an error at its message, for screen readers."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()
                widget.attrs["aria-invalid"] = "true"

    def clean_url(self) -> str:
        """Only public web addresses: an editor's accept would fetch it from the server.

        The address as written is checked (no lookup from a reader's request); accepting
        checks what the name resolves to as well.
        """
        url = self.cleaned_data["url"]
        if url:
            try:
                outbound.validate_url(url)
            except outbound.OutboundRefused as exc:
                raise ValidationError(
                    f"Web address: {exc.host} cannot be used, because {exc.reason}. "
                    "Give the public address where readers can find it."
                ) from None
        return url

    def clean_doi(self) -> str:
        doi = normalise_doi(self.cleaned_data["doi"])
        if doi:
            try:
                validate_doi(doi)
            except ValidationError:
                raise ValidationError(
                    "This does not look like a DOI. A DOI starts with 10. and a slash, "
                    "e.g. 10.1371/journal.pmed.1002680."
                ) from None
        return doi

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Tell the editors why it fits this section.")
        return reason

    def clean(self) -> dict:
        data = super().clean()
        given = data.get("url") or data.get("doi")
        if not given and not (self.has_error("url") or self.has_error("doi")):
            self.add_error("url", "Give a web address or a DOI, so the editors can find it.")
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="Review note",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you checked, or what still needs doing.",
    )


class AcceptForm(forms.Form):
    title = forms.CharField(
        max_length=500,
        required=False,
        help_text="As fetched from Crossref or the page itself; correct it if it is wrong.",
    )
    note = forms.CharField(
        label="Why it is here (shown to readers)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    #: The fetched metadata the editor was shown, signed, so exactly that is saved.
    proposal = forms.CharField(widget=forms.HiddenInput)


class DeclineForm(forms.Form):
    decision_note = forms.CharField(
        label="Why it was declined",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write a short note on why, for the other editors."},
    )
