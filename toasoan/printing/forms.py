from django import forms

from .models import PrintIssue, PrintVersion


class IssueForm(forms.ModelForm):
    sections = forms.CharField(
        label="Chuyên mục từng trang",
        required=False,
        help_text="Mỗi dòng một trang, theo thứ tự, ví dụ “Thời sự”.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = PrintIssue
        fields = ["date", "number", "page_count", "page_width_mm", "page_height_mm", "teaser_hour"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "teaser_hour": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean_page_count(self):
        count = self.cleaned_data["page_count"]
        if not 1 <= count <= 96:
            raise forms.ValidationError("Số trang phải từ 1 đến 96.")
        return count


class PrintVersionForm(forms.ModelForm):
    class Meta:
        model = PrintVersion
        fields = ["title", "sapo", "body"]
        widgets = {
            "sapo": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18}),
        }
