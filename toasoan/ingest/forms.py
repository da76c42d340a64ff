"""Staff forms: starting an archive import, turning a wire story into a draft."""

from pathlib import Path

from django import forms
from django.conf import settings
from wagtail.models import Page

from toasoan.frontpage.models import HomePage
from toasoan.newsroom.models import ArticleKind, SectionPage

from .archive import ImportRefused, parse_section_map
from .text import host_of


def import_media_root() -> Path | None:
    """Folders on the server the import screen may read photos from (TOASOAN IMPORT_MEDIA_ROOT)."""
    root = settings.TOASOAN["IMPORT_MEDIA_ROOT"]
    return Path(root).resolve() if root else None


def target_choices() -> list[tuple[int, str]]:
    """Editions' home pages, then every section, indented under its parent."""
    choices = []
    for home in HomePage.objects.order_by("path"):
        choices.append((home.pk, f"{home.title} (cả ấn bản)"))
        for section in SectionPage.objects.descendant_of(home).order_by("path"):
            indent = "— " * (section.depth - home.depth)
            choices.append((section.pk, f"{indent}{section.title}"))
    return choices


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp",
        help_text="Tệp .xml xuất từ WordPress (Công cụ → Xuất → Tất cả nội dung), "
        "hoặc tệp .zip chứa các tệp tin ninjs (.json).",
    )
    target = forms.TypedChoiceField(
        label="Nhập vào",
        coerce=int,
        help_text="Cả ấn bản: chuyên mục WordPress thành chuyên mục của báo. Một chuyên mục "
        "(sáp nhập báo): chuyên mục cũ thành chuyên mục con của nó.",
    )
    section_map = forms.CharField(
        label="Ghép chuyên mục",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "ví dụ:\ntin-tuc=thoi-su\nrao-vat=-"}
        ),
        help_text="Mỗi dòng “chuyên-mục-cũ=đường-dẫn-chuyên-mục-mới” (tính từ nơi nhập vào); "
        "“=-” bỏ qua bài của chuyên mục đó. Chuyên mục không ghép được tạo mới (ẩn khỏi menu).",
    )
    old_domain = forms.CharField(
        label="Tên miền cũ",
        required=False,
        max_length=255,
        help_text="Khi sáp nhập báo khác: địa chỉ cũ chỉ chuyển hướng khi khách đến từ tên miền "
        "này (ví dụ baocu.vn). Để trống khi nhập kho bài của chính báo mình.",
    )
    flatten = forms.BooleanField(
        label="Mọi bài vào thẳng chuyên mục đã chọn (chuyên mục cũ thành chủ đề)",
        required=False,
    )
    featured = forms.BooleanField(
        label="Bài ghim (sticky) lên mục Nổi bật của trang chủ", required=False, initial=True
    )
    comments = forms.BooleanField(
        label="Nhập bình luận (giữ trạng thái duyệt)", required=False, initial=True
    )
    media_dir = forms.CharField(
        label="Thư mục ảnh trên máy chủ",
        required=False,
        help_text="Bản sao thư mục wp-content/uploads, nằm trong thư mục nhập liệu đã cấu hình. "
        "Ảnh không có tệp ở đây giữ địa chỉ gốc; không tải gì về.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices()
        if import_media_root() is None:
            del self.fields["media_dir"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xml", ".zip")):
            raise forms.ValidationError("Chỉ nhận tệp .xml (WordPress) hoặc .zip (ninjs).")
        return upload

    def clean_target(self):
        page = Page.objects.filter(pk=self.cleaned_data["target"]).first()
        if page is None or not isinstance(page.specific, SectionPage | HomePage):
            raise forms.ValidationError("Hãy chọn trang chủ hoặc một chuyên mục.")
        return page.pk

    def clean_section_map(self):
        try:
            parse_section_map([self.cleaned_data["section_map"]])
        except ImportRefused as error:
            raise forms.ValidationError(str(error)) from None
        return self.cleaned_data["section_map"]

    def clean_old_domain(self):
        value = self.cleaned_data["old_domain"].strip()
        if value and not host_of(value):
            raise forms.ValidationError("Tên miền không hợp lệ.")
        return host_of(value) if value else ""

    def clean_media_dir(self):
        value = self.cleaned_data.get("media_dir", "").strip()
        if not value:
            return ""
        root = import_media_root()
        folder = (root / value).resolve()
        if not folder.is_relative_to(root) or not folder.is_dir():
            raise forms.ValidationError(f"Không thấy thư mục này trong {root}.")
        return str(folder)


class DraftForm(forms.Form):
    section = forms.ModelChoiceField(label="Chuyên mục", queryset=SectionPage.objects.none())
    kind = forms.ChoiceField(label="Thể loại", choices=ArticleKind.choices, initial="tin")

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections if sections is not None else SectionPage.objects
        self.fields["section"].label_from_instance = lambda s: s.get_admin_display_title()
