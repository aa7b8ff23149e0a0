"""The policy record's admin form: category choices from the record's own codebook."""

from __future__ import annotations

from itertools import groupby

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Category


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories grouped under their topic, each shown as "Topic: label"."""

    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.topic.name}: {obj.label}"

    def _grouped_choices(self):
        categories = self.queryset.select_related("topic").order_by("topic__name", "sort_order")
        choices = [("", self.empty_label)]
        for topic, members in groupby(categories, key=lambda c: c.topic):
            choices.append((topic.name, [(c.pk, self.label_from_instance(c)) for c in members]))
        return choices

    choices = property(_grouped_choices, forms.ChoiceField.choices.fset)


class PolicyRecordForm(WagtailAdminModelForm):
    """Offers only the record's topic's categories once the topic is known (the model's
    clean still refuses a category from another codebook)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        self.fields["category"] = CategoryChoiceField(
            queryset=Category.objects.all(),
            required=field.required,
            label=field.label,
            help_text=field.help_text or "Choose the topic first: the list is its codebook.",
            widget=forms.Select,
        )
        topic = self.data.get(self.add_prefix("topic")) if self.is_bound else None
        topic = topic or getattr(self.instance, "topic_id", None)
        if topic and str(topic).isdigit():
            self.fields["category"].queryset = Category.objects.filter(topic_id=topic)
