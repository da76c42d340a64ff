from django import forms

from .models import Comment
from .moderation import Refused, form_token

CHECK_FIELDS = "Vui lòng kiểm tra lại các ô được đánh dấu."


class ReaderForm(forms.Form):
    """What every form a reader sends carries (comments here, questions to a Q&A session in
    toasoan.live): a name, a `text`, the honeypot `website` and the signed time stamp `ts`
    (moderation.form_token). A subclass declares its `text` field and says what an empty
    one is (EMPTY_TEXT)."""

    EMPTY_TEXT = "Vui lòng nhập nội dung."

    name = forms.CharField(label="Tên của bạn", min_length=2, max_length=80)
    website = forms.CharField(label="Trang web (để trống)", required=False, max_length=200)
    ts = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages.update(
            required="Vui lòng nhập tên.", min_length="Tên cần ít nhất 2 ký tự."
        )
        self.fields["text"].error_messages.update(required=self.EMPTY_TEXT)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Tên cần ít nhất 2 ký tự.")
        return name

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(self.EMPTY_TEXT)
        return text

    def send(self, submit) -> tuple[int, str]:
        """Valid: `submit(cleaned_data)`, which may refuse (moderation.Refused, shown on its
        field). Returns the answer's status and message: (200, "") when it was sent."""
        if not self.is_valid():
            return 400, CHECK_FIELDS
        try:
            submit(self.cleaned_data)
        except Refused as refused:
            if refused.field:
                self.add_error(refused.field, refused.message)
            return refused.status, refused.message
        return 200, ""

    def restamp(self) -> None:
        """Shown again after a refusal: a fresh stamp for the next try."""
        self.data = self.data.copy()
        self.data["ts"] = form_token()


class CommentForm(ReaderForm):
    """What a reader fills in to comment; `parent` is the comment answered."""

    EMPTY_TEXT = "Vui lòng nhập nội dung bình luận."
    field_order = ["name", "email", "text", "parent", "website", "ts"]

    email = forms.EmailField(label="Email", max_length=254, help_text="Không hiển thị công khai.")
    text = forms.CharField(
        label="Bình luận",
        max_length=Comment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            required="Vui lòng nhập email.", invalid="Email không hợp lệ."
        )
        self.fields["text"].error_messages.update(
            max_length="Bình luận dài tối đa 2.000 ký tự (hiện có %(show_value)d).",
        )


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label="Nội dung phản hồi",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BlockForm(forms.Form):
    email = forms.BooleanField(label="Chặn email này", required=False, initial=True)
    ip = forms.BooleanField(label="Chặn địa chỉ IP này", required=False)
    reason = forms.CharField(label="Lý do", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("ip"):
            raise forms.ValidationError("Chọn chặn email, địa chỉ IP hoặc cả hai.")
        return data


class PersonalDataForm(forms.Form):
    email = forms.EmailField(label="Email của bạn đọc")
    confirm = forms.BooleanField(
        label="Tôi xác nhận xoá vĩnh viễn mọi bình luận của email này", required=False
    )
