from __future__ import annotations

from django import forms

from .lookup import MAX_LENGTH


class LookupForm(forms.Form):
    """The 'Act where you live' box. GET only: the place stays in the reader's URL."""

    place = forms.CharField(
        label="Your ZIP code, city and state, or state",
        max_length=MAX_LENGTH,
        help_text="For example 21201, “Portland, ME” or Nevada. Nothing you type is stored.",
    )
    topic = forms.SlugField(required=False, widget=forms.HiddenInput)
    section = forms.SlugField(required=False, widget=forms.HiddenInput)


class StateForm(forms.Form):
    state = forms.CharField(label="Your state", max_length=40)
