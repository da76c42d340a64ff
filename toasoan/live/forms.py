from django import forms

from toasoan.comments.forms import ReaderForm
from toasoan.newsroom.models import Photo

from .models import Kind, LiveEntry


class EntryForm(forms.ModelForm):
    photo = forms.ModelChoiceField(
        label="Ảnh (chọn trong thư viện)",
        queryset=Photo.objects.order_by("-created_at"),
        required=False,
    )

    class Meta:
        model = LiveEntry
        fields = ["kind", "title", "text", "attribution", "photo", "is_key_event"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != Kind.ANSWER:  # an answer stays one (the Q&A desk makes them)
            self.fields["kind"].choices = [c for c in Kind.choices if c[0] != Kind.ANSWER]
        # The newest 200 photos offered (and the entry's own); any photo validates: a sliced
        # queryset cannot be looked up, and every photo entry was refused as invalid.
        recent = list(Photo.objects.order_by("-created_at")[:200])
        own = self.instance.photo if self.instance.photo_id else None
        if own is not None and own not in recent:
            recent.append(own)
        self.fields["photo"].widget.choices = [("", "---------")] + [
            (photo.pk, str(photo)) for photo in recent
        ]

    def clean(self):
        data = super().clean()
        if data.get("is_key_event") and not data.get("title"):
            self.add_error("title", "Diễn biến chính cần có tiêu đề.")
        if data.get("kind") == Kind.PHOTO and not data.get("photo"):
            self.add_error("photo", "Chọn một ảnh.")
        return data


class QuestionForm(ReaderForm):
    """A reader's question (the name, honeypot and time stamp as a comment's)."""

    EMPTY_TEXT = "Vui lòng nhập câu hỏi."
    field_order = ["name", "contact", "text", "website", "ts"]

    contact = forms.CharField(
        label="Email hoặc điện thoại (không bắt buộc)",
        required=False,
        max_length=200,
        help_text="Chỉ tòa soạn thấy, không hiển thị công khai.",
    )
    text = forms.CharField(
        label="Câu hỏi", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class QuestionEditForm(forms.Form):
    text = forms.CharField(
        label="Câu hỏi", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Trả lời", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
