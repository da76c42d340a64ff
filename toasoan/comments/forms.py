from django import forms

from .models import Comment


class CommentForm(forms.Form):
    """What a reader fills in. `website` is the honeypot; `ts` the signed time stamp."""

    name = forms.CharField(label="Tên của bạn", min_length=2, max_length=80)
    email = forms.EmailField(label="Email", max_length=254, help_text="Không hiển thị công khai.")
    text = forms.CharField(
        label="Bình luận",
        max_length=Comment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    website = forms.CharField(label="Trang web (để trống)", required=False, max_length=200)
    ts = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages.update(
            required="Vui lòng nhập tên.", min_length="Tên cần ít nhất 2 ký tự."
        )
        self.fields["email"].error_messages.update(
            required="Vui lòng nhập email.", invalid="Email không hợp lệ."
        )
        self.fields["text"].error_messages.update(
            required="Vui lòng nhập nội dung bình luận.",
            max_length="Bình luận dài tối đa 2.000 ký tự (hiện có %(show_value)d).",
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Tên cần ít nhất 2 ký tự.")
        return name

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Vui lòng nhập nội dung bình luận.")
        return text


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
