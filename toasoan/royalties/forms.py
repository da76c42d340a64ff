"""Forms of the royalty screens, with the texts of the screens that are only a form; the rules
themselves live in `grading`, `periods` and `adjustments`."""

import re
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator

from toasoan.newsroom.models import PenName

from .models import Genre, Multiplier, Regulation, RoyaltyMonth, Share
from .money import points_text, vnd
from .uses import WEB


class VndField(forms.CharField):
    """Whole đồng typed as Vietnamese write them: `1.250.000`, `1250000`, `-200.000 đ`."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 30})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        cleaned = re.sub(r"[\s.đĐ]|VND|vnd", "", text).replace("\u2212", "-")
        if not re.fullmatch(r"-?\d{1,15}", cleaned):
            raise forms.ValidationError("Nhập số tiền nguyên bằng đồng, ví dụ 1.250.000.")
        amount = int(cleaned)
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError("Số tiền không được âm.")
        return amount

    def prepare_value(self, value):
        if isinstance(value, int):
            return vnd(value).removesuffix(" đ")
        return value


class MonthChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": "Kỳ này đã khoá sổ hoặc không dùng được ở đây: hãy chọn một kỳ đang mở."
    }

    def label_from_instance(self, obj: RoyaltyMonth) -> str:
        return f"Tháng {obj.label}"


class GenreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Genre) -> str:
        return str(obj)  # name, range of points, medium


class GradeForm(forms.Form):
    month = MonthChoiceField(
        label="Chi trong kỳ", queryset=RoyaltyMonth.objects.none(), empty_label=None
    )
    genre = GenreChoiceField(label="Thể loại", queryset=Genre.objects.none())
    points = forms.DecimalField(
        label="Điểm", max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    multipliers = forms.ModelMultipleChoiceField(
        label="Hệ số",
        queryset=Multiplier.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, months, regulations, medium=WEB, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].queryset = RoyaltyMonth.objects.filter(pk__in=[m.pk for m in months])
        self.fields["genre"].queryset = Genre.objects.filter(
            regulation__in=regulations, medium__in=[medium, ""]
        )
        self.fields["multipliers"].queryset = Multiplier.objects.filter(regulation__in=regulations)
        self.fields["points"].widget.attrs.update({"step": "0.5", "inputmode": "decimal"})


class ShareForm(forms.Form):
    pen_name = forms.ModelChoiceField(label="Bút danh", queryset=PenName.objects.all())
    role = forms.ChoiceField(label="Vai trò", choices=Share.ROLES)
    percent = forms.DecimalField(
        label="Tỷ lệ (%)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )

    def has_changed(self) -> bool:
        """A row counts when anything is typed in it, even if it equals the suggested split."""
        return any(self.data.get(self.add_prefix(name)) for name in ("pen_name", "percent"))


class BaseShareFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        shares = [f.cleaned_data for f in self.forms if f.cleaned_data and not self._deleted(f)]
        if not shares:
            raise forms.ValidationError("Cần ít nhất một người hưởng nhuận bút.")
        total = sum(s["percent"] for s in shares)
        if total != 100:
            raise forms.ValidationError(
                f"Tổng tỷ lệ chia phải đúng 100 % (đang là {points_text(total)} %)."
            )

    def _deleted(self, form) -> bool:
        return self.can_delete and self._should_delete_form(form)


ShareFormSet = forms.formset_factory(
    ShareForm, formset=BaseShareFormSet, extra=2, can_delete=True, max_num=20
)


class MonthSettingsForm(forms.ModelForm):
    title = "Thiết lập kỳ nhuận bút tháng {month}"
    intro = (
        "Giá trị một điểm và quỹ nhuận bút của riêng kỳ này. Thay đổi ở đây không ảnh hưởng các "
        "kỳ khác; kỳ đã khoá sổ không bao giờ thay đổi."
    )
    submit = "Lưu thiết lập"
    done = "Đã lưu thiết lập kỳ {month}."

    point_value = VndField(label="Giá trị một điểm (đồng)")
    fund_cap = VndField(
        label="Quỹ nhuận bút tối đa (đồng)",
        required=False,
        help_text="Để trống nếu không giới hạn. Vượt quỹ thì mọi dòng được co lại theo tỷ lệ.",
    )

    class Meta:
        model = RoyaltyMonth
        fields = ["regulation", "point_value", "fund_cap"]

    def __init__(self, *args, month: RoyaltyMonth, **kwargs):
        super().__init__(*args, instance=month, **kwargs)
        self.fields["regulation"].queryset = Regulation.objects.all()
        self.fields["regulation"].required = True


class AdjustmentForm(forms.Form):
    title = "Lập dòng điều chỉnh trong kỳ {month}"
    intro = (
        "Kỳ đã khoá sổ không sửa được. Khoản chi thêm (số dương) hoặc thu lại (số âm) cho một kỳ "
        "đã khoá được ghi thành dòng điều chỉnh, chi cùng kỳ này."
    )
    submit = "Lập dòng điều chỉnh"
    done = "Đã lập dòng điều chỉnh trong kỳ {month}."

    corrects = MonthChoiceField(
        label="Điều chỉnh cho kỳ đã khoá sổ",
        queryset=RoyaltyMonth.objects.none(),
        error_messages={"invalid_choice": "Chỉ điều chỉnh cho một kỳ đã khoá sổ trước kỳ này."},
    )
    pen_name = forms.ModelChoiceField(label="Bút danh người nhận", queryset=PenName.objects.all())
    amount = VndField(
        label="Số tiền (đồng)",
        allow_negative=True,
        help_text="Số dương để chi thêm, số âm (ví dụ -200000) để thu lại.",
    )
    reason = forms.CharField(label="Lý do", max_length=500, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, month: RoyaltyMonth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = RoyaltyMonth.objects.filter(
            status=RoyaltyMonth.Status.LOCKED, month__lt=month.month
        )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("Số tiền điều chỉnh phải khác 0.")
        return amount
