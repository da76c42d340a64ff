"""The search form: filters a reader can get wrong are reported, then simply not applied."""

from django import forms

from toasoan.newsroom.models import SectionPage

DATE_FORMAT = "%d/%m/%Y"
DATE_ERROR = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 22/12/2021."


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


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Từ khóa")
    section = forms.TypedChoiceField(
        required=False, label="Chuyên mục", coerce=int, empty_value=None
    )
    date_from = DayField(label="Từ ngày")
    date_to = DayField(label="Đến ngày")
    sort = forms.ChoiceField(
        required=False,
        label="Sắp xếp",
        choices=[("", "Liên quan nhất"), ("newest", "Mới nhất")],
    )

    def __init__(self, *args, root_page=None, **kwargs):
        super().__init__(*args, **kwargs)
        sections = SectionPage.objects.live().order_by("path")
        if root_page is not None:
            sections = sections.descendant_of(root_page)
        self.sections = {s.pk: s for s in sections.only("id", "title", "path", "depth")}
        top = min((s.depth for s in self.sections.values()), default=0)
        self.fields["section"].choices = [("", "Tất cả chuyên mục")] + [
            (pk, ("— " * (s.depth - top)) + s.title) for pk, s in self.sections.items()
        ]
        self.fields["section"].error_messages["invalid_choice"] = "Chuyên mục không tồn tại."

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Ngày kết thúc phải sau ngày bắt đầu.")
            data.pop("date_to", None)
        return data

    def value(self, name: str):
        """A cleaned value, or None when the reader's input was invalid or absent."""
        return getattr(self, "cleaned_data", {}).get(name) or None
