"""The search form: filters a reader can get wrong are reported, then simply not applied.
Its labels and messages are in the editions' catalogue (English msgids, toasoan.editions)."""

import hashlib

from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import pgettext_lazy

from toasoan.core.changes import framed, kept_here, versioned
from toasoan.newsroom.models import SectionPage

DATE_FORMAT = "%d/%m/%Y"
DATE_ERROR = pgettext_lazy("search", "Enter the date as dd/mm/yyyy, for example 22/12/2021.")


class DayField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            input_formats=[DATE_FORMAT],
            required=False,
            error_messages={"invalid": DATE_ERROR},
            widget=forms.TextInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": 10}
            ),
            **kwargs,
        )


def _sections(root_page) -> dict[int, SectionPage]:
    """The sections a reader may narrow to, by id, in tree order: kept in this worker until
    the frame changes (a section published, moved or renamed changes it)."""

    def build() -> dict[int, SectionPage]:
        sections = SectionPage.objects.live().order_by("path")
        if root_page is not None:
            sections = sections.descendant_of(root_page)
        return {s.pk: s for s in sections.only("id", "title", "path", "depth")}

    return framed(f"search:sections:{root_page.pk if root_page else ''}", build)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label=pgettext_lazy("search", "Keywords"))
    section = forms.TypedChoiceField(
        required=False, label=pgettext_lazy("search", "Section"), coerce=int, empty_value=None
    )
    date_from = DayField(label=pgettext_lazy("search", "From date"))
    date_to = DayField(label=pgettext_lazy("search", "To date"))
    sort = forms.ChoiceField(
        required=False,
        label=pgettext_lazy("search", "Sort by"),
        choices=[
            ("", pgettext_lazy("search", "Most relevant")),
            ("newest", pgettext_lazy("search", "Newest")),
        ],
    )

    def __init__(self, *args, root_page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = _sections(root_page)
        top = min((s.depth for s in self.sections.values()), default=0)
        self.fields["section"].choices = [("", pgettext_lazy("search", "All sections"))] + [
            (pk, ("— " * (s.depth - top)) + s.title) for pk, s in self.sections.items()
        ]
        self.fields["section"].error_messages["invalid_choice"] = pgettext_lazy(
            "search", "There is no such section."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", pgettext_lazy("search", "The end date must come after the start date.")
            )
            data.pop("date_to", None)
        return data

    def value(self, name: str):
        """A cleaned value, or None when the reader's input was invalid or absent."""
        return getattr(self, "cleaned_data", {}).get(name) or None


FILTERS_TEMPLATE = "search/filters.html"


def filters_html(form: SearchForm, root_page) -> SafeString:
    """The form's filters (section, dates, order) as HTML, made once per content generation
    and what was typed into them, and kept in this worker: Django renders each of the
    sections' options through a template, which cost more than the rest of a page without
    results. What a filter shows (its value, its choices, whether it is marked invalid)
    follows from those, the edition and the language alone."""
    typed = [form.data.get(name) for name in ("section", "date_from", "date_to", "sort")]
    page = root_page.pk if root_page is not None else ""
    digest = hashlib.sha256(repr((page, translation.get_language(), typed)).encode()).hexdigest()
    return kept_here(
        versioned(f"search:filters:{digest[:32]}"),
        lambda: render_to_string(FILTERS_TEMPLATE, {"form": form}),
    )
